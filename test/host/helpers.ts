import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/extension';

/** The error messages commands showed, oldest first: read from the log, where each is written with its command. */
export function shownErrors(api: TestApi): string[] {
  return api.context.log.failures.flatMap((entry) => /^volumesLab\.\S+ failed: ([^]*)$/.exec(entry)?.[1] ?? []);
}

export async function activeApi(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  assert.ok('context' in api, 'in test mode, activate() hands the tests its live services');
  return api;
}

/** Polls `probe` until it returns something other than undefined; fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A tree node as the tests look at it (the classes live in the extension's bundle). */
export interface Node extends vscode.TreeItem {
  nodeType: 'course' | 'group' | 'volume' | 'usage' | 'files' | 'entry';
  group?: { kind: string; rows: unknown[] };
  row?: {
    volume: { name: string; anonymous: boolean; labels: Record<string, string> };
    users: { containerName: string }[];
    size?: number;
  };
  volume?: { name: string };
  inside?: string;
}

export async function children(api: TestApi, node?: Node): Promise<Node[]> {
  return await api.context.volumesTree.getChildren(node as never);
}

/** Every volume row in the tree, with the group it is in. */
export async function volumeRows(api: TestApi): Promise<{ group: string; item: Node }[]> {
  const out: { group: string; item: Node }[] = [];
  for (const top of await children(api)) {
    if (top.nodeType === 'course') continue;
    if (top.nodeType === 'volume') out.push({ group: '', item: top });
    else for (const item of await children(api, top)) out.push({ group: top.group!.kind, item });
  }
  return out;
}

export async function findVolume(api: TestApi, name: string): Promise<{ group: string; item: Node } | undefined> {
  return (await volumeRows(api)).find((r) => r.item.row?.volume.name === name);
}

/** A volume row's tooltip as the view shows it on hover: VS Code asks the tree to resolve it then. */
export function hoverText(api: TestApi, item: Node): string {
  const node = item as never;
  const resolved = api.context.volumesTree.resolveTreeItem(node, node);
  const tooltip = resolved.tooltip;
  return typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
}

export type PickedItem = { label: string; description?: string; detail?: string };
type Validation = string | { message: string; severity: number } | undefined | null;

/** What a typed path's item in the path picker says under it, in the shape an input box's validation had. */
function typedPathCheck(detail: string | undefined): Validation {
  const said = /^\$\((error|info|pass)\) ([^]*)$/.exec(detail ?? '');
  assert.ok(said, `a typed path's item says its check: ${detail}`);
  if (said[1] === 'pass') return undefined;
  return said[1] === 'error' ? said[2] : { message: said[2]!, severity: vscode.InputBoxValidationSeverity.Info };
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

type Driver = (picker: vscode.QuickPick<vscode.QuickPickItem>, closed: () => boolean) => Promise<void>;

/**
 * Hands every picker the extension builds itself (`createQuickPick`: the real one) to `drive` once it is shown, with
 * whether the extension has closed it yet; a failure to drive it is kept in `failures` and the picker closed. Returns
 * the function that puts the plain `createQuickPick` back.
 */
function drivingPickers(drive: Driver, failures: unknown[]): () => void {
  const window = vscode.window as unknown as Record<string, unknown>;
  const saved = window.createQuickPick as typeof vscode.window.createQuickPick;
  window.createQuickPick = () => {
    const picker = saved.call(vscode.window);
    let closed = false;
    const close = () => (closed = true);
    picker.onDidHide(close);
    const dispose = picker.dispose.bind(picker);
    picker.dispose = () => {
      close();
      dispose();
    };
    const show = picker.show.bind(picker);
    picker.show = () => {
      show();
      drive(picker, () => closed).catch((error: unknown) => {
        failures.push(error);
        picker.hide();
      });
    };
    return picker;
  };
  return () => {
    window.createQuickPick = saved;
  };
}

/**
 * Reports what each picker the extension builds itself shows (its title, placeholder and item labels), then closes it
 * as Escape would. Returns the function that puts the plain `createQuickPick` back; it throws what could not be done.
 */
export function dismissingPickers(
  shown: (picker: { title: string; placeholder: string; labels: string[] }) => void,
): () => void {
  const failures: unknown[] = [];
  const restore = drivingPickers(async (picker) => {
    await nextTask(); // the items reach the workbench with the picker itself
    shown({
      title: picker.title ?? '',
      placeholder: picker.placeholder ?? '',
      labels: picker.items.map((i) => i.label),
    });
    picker.hide();
  }, failures);
  return () => {
    restore();
    if (failures.length) throw failures[0];
  };
}

/**
 * Answers the pickers, input boxes and questions in place of a person, and records what was shown: the items of
 * each pick, the validation message of each typed value, each question with its detail and buttons.
 *
 * The path picker (`createQuickPick`) is the real one, driven as a keyboard would: its value set as if typed, the item
 * chosen made active, Enter pressed through the workbench's own accept command. When `pick` answers its "Type a
 * Path…" item and an `input` is queued, that input is typed straight into the picker; the check its item then shows
 * is recorded in `validations` (`$(error)` as the message, `$(info)` as an Info message, a found path as undefined).
 * An Enter the picker refuses (it stays open) is recorded in `refused`, and the picker is then closed like Escape.
 * With `enter: 'onHint'`, Enter on "Type a Path…" itself: the value it starts is recorded in `values`, the path it
 * offers is checked and taken by a second Enter. With `then`, once the typed path is offered, Enter goes to the item it
 * names among those then shown (recorded in `offered`), e.g. a file listed under a typed folder. The native Browse
 * dialog is not driven: each time it would open, its options are recorded in `dialogs` and it answers as cancelled.
 */
export function answering(answers: {
  pick?: (items: PickedItem[]) => string | undefined;
  input?: string[];
  warning?: (message: string, items: string[]) => string | undefined;
  /**
   * `now`: Enter is pressed as soon as the input is typed, before the picker offers it; `onHint`: on "Type a Path…"
   * itself, typing nothing.
   */
  enter?: 'offered' | 'now' | 'onHint';
  then?: (items: PickedItem[]) => string | undefined;
}) {
  const window = vscode.window as unknown as Record<string, unknown>;
  const saved = {
    showQuickPick: window.showQuickPick,
    showInputBox: window.showInputBox,
    showWarningMessage: window.showWarningMessage,
    showInformationMessage: window.showInformationMessage,
    showOpenDialog: window.showOpenDialog,
  };
  const offered: PickedItem[][] = [];
  const dialogs: vscode.OpenDialogOptions[] = [];
  const picks: PickedItem[][] = [];
  const validations: Validation[] = [];
  const refused: string[] = [];
  const values: string[] = [];
  const failures: unknown[] = [];
  const questions: { message: string; detail?: string; items: string[] }[] = [];
  const inputs = [...(answers.input ?? [])];
  const shown = (list: readonly PickedItem[]) =>
    list.map((i) => ({ label: i.label, description: i.description ?? '', detail: i.detail ?? '' }));
  window.showQuickPick = async (items: readonly PickedItem[] | Thenable<readonly PickedItem[]>) => {
    const list = await items;
    picks.push(shown(list));
    const label = answers.pick?.([...list]);
    return list.find((i) => i.label === label);
  };

  /** Answers one real picker once the extension has shown it; its failures fail the command's test through it. */
  async function drive(picker: vscode.QuickPick<vscode.QuickPickItem>, closed: () => boolean): Promise<void> {
    await nextTask(); // the items reach the workbench with the picker itself
    const first = picker.items;
    picks.push(shown(first));
    const label = answers.pick?.([...first]);
    const chosen = first.find((i) => i.label === label);
    if (!chosen) return picker.hide();
    let accepted = chosen;
    const typedShown = () => picker.items.find((i) => !before.has(i.label));
    const before = new Set(first.map((i) => i.label));
    if (/^Type a Path/.test(chosen.label) && inputs.length && answers.enter !== 'onHint') {
      const typed = inputs.shift()!;
      picker.value = typed;
      if (answers.enter === 'now') {
        // Enter pressed at once, before the picker has looked at the disk: it takes the value as it is.
        await nextTask();
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        const outcome = await eventually(
          () => (closed() ? 'closed' : typedShown()),
          `the picker to take or refuse "${typed}"`,
        );
        if (outcome === 'closed') return;
        validations.push(typedPathCheck(outcome.detail));
        refused.push(outcome.label);
        return picker.hide();
      }
      accepted = await eventually(typedShown, `the picker to offer "${typed}" as a path`);
      validations.push(typedPathCheck(accepted.detail));
      if (answers.then) {
        const now = [...picker.items];
        offered.push(shown(now));
        const next = now.find((i) => i.label === answers.then!(shown(now)));
        if (!next) return picker.hide();
        accepted = next;
        picker.activeItems = [next];
      }
    } else if (/^Type a Path/.test(chosen.label)) {
      // Enter on the hint itself: it starts a path in the box, offered with its check, and a second Enter takes it.
      picker.activeItems = [chosen];
      await nextTask();
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      accepted = await eventually(typedShown, 'the picker to offer the path its hint started');
      values.push(picker.value);
      validations.push(typedPathCheck(accepted.detail));
    } else {
      picker.activeItems = [chosen];
    }
    await nextTask(); // what the extension last set reaches the workbench before Enter
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    // An Enter the picker must look at the disk for is answered once it is no longer busy.
    await eventually(() => (closed() || !picker.busy ? true : undefined), 'the picker to answer Enter');
    if (closed()) return;
    refused.push(accepted.label);
    picker.hide();
  }
  const realPickers = drivingPickers(drive, failures);
  window.showInputBox = async (options?: vscode.InputBoxOptions) => {
    const value = inputs.shift();
    if (value !== undefined) validations.push(await options?.validateInput?.(value));
    return value;
  };
  window.showWarningMessage = (message: string, ...rest: unknown[]) => {
    const options = rest[0] && typeof rest[0] === 'object' ? (rest[0] as { detail?: string }) : undefined;
    const items = rest.filter((x): x is string => typeof x === 'string');
    questions.push({ message, ...(options?.detail ? { detail: options.detail } : {}), items });
    return Promise.resolve(answers.warning?.(message, items));
  };
  window.showInformationMessage = () => Promise.resolve(undefined);
  window.showOpenDialog = (options?: vscode.OpenDialogOptions) => {
    dialogs.push(options ?? {});
    return Promise.resolve(undefined);
  };
  /** Puts the real window functions back; a picker that could not be answered fails the test here. */
  const restore = () => {
    Object.assign(window, saved);
    realPickers();
    if (failures.length) throw failures[0];
  };
  return { picks, validations, refused, values, questions, offered, dialogs, restore };
}

/**
 * The path picker's "Type a Path…", which `answering` reads as: type the next input straight into the picker; on the
 * SELinux question, no label.
 */
export const typeAPath = (items: PickedItem[]) =>
  items.find((i) => /^Type a Path/.test(i.label))?.label ?? items.find((i) => i.label === 'No SELinux label')?.label;
