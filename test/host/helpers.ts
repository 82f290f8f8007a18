import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';

/** The error messages commands showed, oldest first: read from the log, where each is written with its command. */
export function shownErrors(api: ExtensionApi): string[] {
  return api.context.log.failures.flatMap((entry) => /^volumesLab\.\S+ failed: ([^]*)$/.exec(entry)?.[1] ?? []);
}

export async function activeApi(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  return extension.activate();
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

export async function children(api: ExtensionApi, node?: Node): Promise<Node[]> {
  return await api.context.volumesTree.getChildren(node as never);
}

/** Every volume row in the tree, with the group it is in. */
export async function volumeRows(api: ExtensionApi): Promise<{ group: string; item: Node }[]> {
  const out: { group: string; item: Node }[] = [];
  for (const top of await children(api)) {
    if (top.nodeType === 'course') continue;
    if (top.nodeType === 'volume') out.push({ group: '', item: top });
    else for (const item of await children(api, top)) out.push({ group: top.group!.kind, item });
  }
  return out;
}

export async function findVolume(api: ExtensionApi, name: string): Promise<{ group: string; item: Node } | undefined> {
  return (await volumeRows(api)).find((r) => r.item.row?.volume.name === name);
}

export type PickedItem = { label: string; description?: string; detail?: string };
type Validation = string | { message: string; severity: number } | undefined | null;

/**
 * Answers the pickers, input boxes and questions in place of a person, and records what was shown: the items of
 * each pick, the validation message of each typed value, each question with its detail and buttons.
 */
export function answering(answers: {
  pick?: (items: PickedItem[]) => string | undefined;
  input?: string[];
  warning?: (message: string, items: string[]) => string | undefined;
}) {
  const window = vscode.window as unknown as Record<string, unknown>;
  const saved = {
    showQuickPick: window.showQuickPick,
    showInputBox: window.showInputBox,
    showWarningMessage: window.showWarningMessage,
    showInformationMessage: window.showInformationMessage,
  };
  const picks: PickedItem[][] = [];
  const validations: Validation[] = [];
  const questions: { message: string; detail?: string; items: string[] }[] = [];
  const inputs = [...(answers.input ?? [])];
  window.showQuickPick = async (items: readonly PickedItem[] | Thenable<readonly PickedItem[]>) => {
    const list = await items;
    picks.push(list.map((i) => ({ label: i.label, description: i.description ?? '', detail: i.detail ?? '' })));
    const label = answers.pick?.([...list]);
    return list.find((i) => i.label === label);
  };
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
  return { picks, validations, questions, restore: () => Object.assign(window, saved) };
}

/** The path picker's "Type a Path…"; on the SELinux question, no label. */
export const typeAPath = (items: PickedItem[]) =>
  items.find((i) => /^Type a Path/.test(i.label))?.label ?? items.find((i) => i.label === 'No SELinux label')?.label;
