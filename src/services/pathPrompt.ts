import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  checkRemoteTypedPath,
  checkTypedPath,
  namesNetworkPath,
  readsAsPath,
  resolveTypedPath,
  type TypedPathCheck,
  type TypedPathInputs,
} from '../core/typedPath';
import { DockerError } from '../docker/errors';
import { sizeText } from '../messages';
import { listFolderFiles, lookAtPath, LOOK_LIMIT_MS, seenInputs, type PathLook } from './pathLook';

/** One ready answer of a path picker (the workspace folder, a backup of the folder, ...). */
export interface PathChoice {
  label: string;
  description?: string;
  detail?: string;
  path: string;
}

export interface PathPrompt {
  title?: string;
  placeHolder: string;
  want: 'folder' | 'file';
  choices?: PathChoice[];
  /** A missing folder is a valid answer: the caller asks whether to create it, or creates it. */
  missingFolder?: 'ask' | 'created';
  /** A further check of an existing path of the right kind: the problem in words, or undefined. */
  check?: (path: string) => string | undefined;
  /**
   * Set when the path is used on another machine (a remote daemon's host): typed paths are not looked at here, and
   * this says so under them.
   */
  unchecked?: string;
  openLabel?: string;
  /** The native dialog's filters; a file picker lists only the files they take from a typed folder, too. */
  filters?: Record<string, string[]>;
  /**
   * For a file picker: the files it takes, in words, to say that a typed folder holds none ("backup file (.tar.gz,
   * .tgz or .sql.gz)").
   */
  fileKinds?: string;
}

function typedPathInputs(): Pick<TypedPathInputs, 'home' | 'base'> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return { home: os.homedir(), base: folder?.uri.fsPath };
}

/**
 * The problem with a typed path in words (undefined: none); a missing folder, when allowed, is information only. The
 * path itself is not repeated: it is the label the words are shown under, and a repeated one pushed them out of view.
 */
function problemText(check: TypedPathCheck, prompt: PathPrompt): string | vscode.InputBoxValidationMessage | undefined {
  switch (check.kind) {
    case 'empty':
      return vscode.l10n.t('Type a path: absolute, relative to the workspace folder, or starting with ~/.');
    case 'noBase':
      return vscode.l10n.t(
        'Relative, and no workspace folder is open to take it from: type an absolute path, or one starting with ~/.',
      );
    case 'variable':
      return vscode.l10n.t(
        'Holds a shell variable, which the picker does not expand (only $HOME): type the path itself.',
      );
    case 'otherHome':
      return vscode.l10n.t(
        "Names another user's home, which the picker does not look up: type the absolute path (or ~/ for yours).",
      );
    case 'foreignDrive':
      return vscode.l10n.t(
        "A Windows path, and this machine's paths start with /: type the path as this machine names it.",
      );
    case 'missing':
      return prompt.want === 'folder' && prompt.missingFolder
        ? {
            message:
              prompt.missingFolder === 'ask'
                ? vscode.l10n.t('Does not exist yet: Enter asks whether to create it.')
                : vscode.l10n.t('Does not exist yet: Enter creates it.'),
            severity: vscode.InputBoxValidationSeverity.Info,
          }
        : vscode.l10n.t('Does not exist.');
    case 'remoteRelative':
      return vscode.l10n.t('Relative, and the Docker daemon runs on another machine: type the absolute path there.');
    case 'remoteHome':
      return vscode.l10n.t("~ is your home here, not on the Docker daemon's machine: type the absolute path there.");
    case 'notFolder':
      return vscode.l10n.t('A file, not a folder.');
    case 'notFile':
      return vscode.l10n.t('A folder, not a file.');
    case 'unreadable':
      return vscode.l10n.t('You are not allowed to read it: check its permissions.');
    case 'ok':
      return prompt.check?.(check.path);
  }
}

const blocks = (problem: string | vscode.InputBoxValidationMessage | undefined): problem is string =>
  typeof problem === 'string';

type PathItem = vscode.QuickPickItem & {
  /** `folder`: a folder typed into a file picker, its files (`inFolder`) listed under it, Enter browsing from it. */
  action: 'choice' | 'typed' | 'hint' | 'browse' | 'folder' | 'inFolder';
  path: string;
  /** For a typed path: what was typed (checked again on Enter), and whether its check refuses it. */
  typed?: string;
  refused?: boolean;
  /** Whether the look at the disk found something there (a bare name is offered only then). */
  exists?: boolean;
  /** For a typed folder in a file picker: the items of its files that the picker takes. */
  inside?: PathItem[];
};

/**
 * The item for a typed path: the path it names, and its check in words under it, as `seen` found the disk. Its detail
 * starts with the icon of what the check found: `$(error)` refuses it, `$(info)` tells what will happen, `$(pass)`
 * found what was wanted. With no look (a network path while it is typed), it says when it will be checked.
 */
function typedItem(typed: string, prompt: PathPrompt, seen: PathLook | undefined): PathItem {
  const paths = typedPathInputs();
  const resolved = resolveTypedPath(typed, paths);
  const item = { alwaysShow: true, action: 'typed' as const, typed };
  if (prompt.unchecked) {
    // Used on another machine: only an absolute path means there what it means here.
    const remote = checkRemoteTypedPath(typed);
    if ('path' in remote)
      return { ...item, label: remote.path, path: remote.path, detail: `$(info) ${prompt.unchecked}` };
    const problem = problemText(remote, prompt);
    const words = blocks(problem) ? problem : (problem?.message ?? '');
    return { ...item, label: typed.trim(), path: '', detail: `$(error) ${words}`, refused: true };
  }
  if (resolved && !seen)
    return {
      ...item,
      label: resolved,
      path: resolved,
      detail: `$(info) ${vscode.l10n.t('A network path: not looked at while you type, checked when you press Enter.')}`,
    };
  if (resolved && seen && 'slow' in seen)
    return {
      ...item,
      label: resolved,
      path: resolved,
      detail: `$(error) ${vscode.l10n.t('No answer from the disk within {0} seconds (a network share, a stuck mount?): check it, or use Browse…', LOOK_LIMIT_MS / 1000)}`,
      refused: true,
    };
  const check = checkTypedPath(typed, prompt.want, seenInputs(seen, paths));
  // Not a dead end: the files in it are listed under it (see `lookedAtItem`), and Enter browses from it.
  if (check.kind === 'notFile')
    return {
      ...item,
      action: 'folder',
      exists: true,
      label: check.path,
      path: check.path,
      detail: `$(info) ${vscode.l10n.t('A folder, not a file: press Enter to browse from it.')}`,
    };
  const problem = problemText(check, prompt);
  const found =
    prompt.want === 'folder'
      ? vscode.l10n.t('This folder exists: press Enter to use it.')
      : vscode.l10n.t('This file exists: press Enter to use it.');
  const detail = blocks(problem) ? `$(error) ${problem}` : problem ? `$(info) ${problem.message}` : `$(pass) ${found}`;
  return {
    ...item,
    exists: !!seen && !('slow' in seen) && seen.entry !== undefined,
    label: 'path' in check ? check.path : typed.trim(),
    detail,
    path: 'path' in check ? check.path : '',
    refused: blocks(problem) || !('path' in check),
  };
}

/** Whether a file picker takes `file`: its dialog's filters (when it has some) and its further check let it through. */
function takesFile(prompt: PathPrompt, file: string): boolean {
  const extensions = Object.values(prompt.filters ?? {}).flat();
  const name = path.basename(file).toLowerCase();
  if (extensions.length && !extensions.some((e) => e === '*' || name.endsWith(`.${e.toLowerCase()}`))) return false;
  return prompt.check?.(file) === undefined;
}

/** A folder typed into a file picker, with the files it holds that the picker takes listed under it. */
async function withFolderFiles(item: PathItem, prompt: PathPrompt): Promise<PathItem> {
  const files = await listFolderFiles(item.path, (f) => takesFile(prompt, f));
  if (!files) return item;
  const kinds = prompt.fileKinds ?? vscode.l10n.t('file this picker takes');
  const detail = files.length
    ? vscode.l10n.t('A folder: pick one of its files below, or press Enter to browse from it.')
    : vscode.l10n.t('No {0} in this folder: press Enter to browse from it.', kinds);
  return {
    ...item,
    detail: `$(info) ${detail}`,
    inside: files.map((f) => ({
      label: path.basename(f.path),
      description: sizeText(f.bytes),
      path: f.path,
      action: 'inFolder' as const,
      alwaysShow: true,
    })),
  };
}

/** The typed path's item after one look at the disk; `whileTyping`: a network path is not looked at. */
async function lookedAtItem(typed: string, prompt: PathPrompt, whileTyping: boolean): Promise<PathItem> {
  const resolved = resolveTypedPath(typed, typedPathInputs());
  if (!resolved || prompt.unchecked || (whileTyping && namesNetworkPath(typed)))
    return typedItem(typed, prompt, undefined);
  const item = typedItem(typed, prompt, await lookAtPath(resolved));
  return item.action === 'folder' ? withFolderFiles(item, prompt) : item;
}

/** How long typing must pause before the typed path is looked at on disk. */
const SETTLE_MS = 180;

/** The answer that opens the native dialog, at `from` when a typed folder said where. */
type Browse = { browse: true; from?: string };

/**
 * The first picker: the ready choices, and whatever is typed that reads as a path offered on top with its check, once
 * typing pauses (the look at the disk is asynchronous, and a result for an older value is dropped). Enter checks the
 * value as it is then, offered or not yet. A refused path keeps the picker open with its problem in view. Undefined:
 * the user cancelled.
 */
function pickOrType(prompt: PathPrompt): Promise<string | Browse | undefined> {
  const fixed: PathItem[] = [
    ...(prompt.choices ?? []).map((c) => ({ ...c, action: 'choice' as const })),
    // Kept as the hint that a path can be typed here; Enter on it starts one from the workspace folder.
    {
      label: vscode.l10n.t('Type a Path…'),
      description: prompt.unchecked
        ? vscode.l10n.t("type it in the box above: absolute, as the Docker daemon's machine names it")
        : vscode.l10n.t('type it in the box above: absolute, relative to the workspace folder, or ~/…'),
      path: '',
      action: 'hint',
    },
    { label: vscode.l10n.t('Browse…'), path: '', action: 'browse' },
  ];
  const picker = vscode.window.createQuickPick<PathItem>();
  if (prompt.title) picker.title = prompt.title;
  picker.placeholder = vscode.l10n.t('{0}: type a path, or choose below', prompt.placeHolder);
  picker.ignoreFocusOut = true;
  picker.matchOnDescription = true;
  picker.items = fixed;
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  /** The typed item shown for the value as it is now, once looked at: Enter on it needs no second look. */
  let settled: PathItem | undefined;
  const show = (item: PathItem | undefined) => {
    settled = item;
    picker.items = item ? [item, ...(item.inside ?? []), ...fixed] : fixed;
    if (item) picker.activeItems = [item];
  };
  /** The look for `typed`, unless the value changed meanwhile (then undefined: a newer look decides). */
  const current = async (typed: string, whileTyping: boolean): Promise<PathItem | undefined> => {
    const mine = ++generation;
    clearTimeout(timer);
    picker.busy = true;
    const item = await lookedAtItem(typed, prompt, whileTyping);
    if (mine !== generation) return undefined;
    picker.busy = false;
    return item;
  };
  const typing = (typed: string) => {
    settled = undefined;
    generation++;
    clearTimeout(timer);
    // Until the look answers, a typed item stays only while the text still reads as a path without one.
    const written = readsAsPath(typed, { ...typedPathInputs(), stat: () => undefined });
    const typedShown = picker.items[0]?.action === 'typed' || picker.items[0]?.action === 'folder';
    if (typedShown && !written) show(undefined);
    picker.busy = !!typed.trim();
    if (!typed.trim()) return;
    timer = setTimeout(() => {
      void current(typed, true).then((item) => {
        if (!item) return;
        const asPath = readsAsPath(typed, {
          ...typedPathInputs(),
          stat: (p) => (p === item.path && item.exists ? { isDirectory: () => true, isFile: () => true } : undefined),
        });
        show(asPath ? item : undefined);
      });
    }, SETTLE_MS);
  };
  return new Promise((resolve) => {
    let done = false;
    const finish = (answer: string | Browse | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      generation++;
      resolve(answer);
      picker.dispose();
    };
    picker.onDidChangeValue(typing);
    picker.onDidAccept(async () => {
      const item = picker.selectedItems[0] ?? picker.activeItems[0];
      if (item?.action === 'choice' || item?.action === 'inFolder') return finish(item.path);
      if (item?.action === 'browse') return finish({ browse: true });
      if (item?.action === 'hint') {
        const base = typedPathInputs().base;
        // A remote daemon's machine has neither the workspace folder nor this home: its paths start at its root.
        picker.value = prompt.unchecked ? '/' : base ? base + path.sep : '~' + path.sep;
        typing(picker.value);
        return;
      }
      const typedOne = item?.action === 'typed' || item?.action === 'folder';
      if (typedOne && item.label === settled?.label && settled.typed === picker.value) {
        if (settled.action === 'folder') return finish({ browse: true, from: settled.path });
        return settled.refused ? undefined : finish(settled.path);
      }
      // Enter on the typed path, or pressed before its item was shown (or with none offered, as for a bare new name):
      // the value as it is now, looked at now, network paths too; refused if its check blocks.
      const typed = picker.value;
      if (!typed.trim()) return;
      const fresh = await current(typed, false);
      if (!fresh || done) return;
      show(fresh);
      // A folder in a file picker: its files are shown first, and a second Enter browses from it.
      if (!fresh.refused && fresh.action !== 'folder') finish(fresh.path);
    });
    picker.onDidHide(() => finish(undefined));
    picker.show();
  });
}

/**
 * A folder or file: one of the ready choices, a path typed straight into the picker (relative to the workspace folder,
 * `~` expanded, checked as it is typed), or one browsed to. Undefined: the user cancelled.
 */
export async function askPath(prompt: PathPrompt): Promise<string | undefined> {
  const answer = await pickOrType(prompt);
  if (typeof answer !== 'object') return answer;
  const base = answer.from ? vscode.Uri.file(answer.from) : vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: prompt.want === 'folder',
    canSelectFiles: prompt.want === 'file',
    ...(base ? { defaultUri: base } : {}),
    ...(prompt.openLabel ? { openLabel: prompt.openLabel } : {}),
    ...(prompt.filters ? { filters: prompt.filters } : {}),
  });
  const chosen = picked?.[0]?.fsPath;
  if (chosen === undefined) return undefined;
  if (prompt.unchecked) return chosen;
  const paths = typedPathInputs();
  const problem = problemText(checkTypedPath(chosen, prompt.want, seenInputs(await lookAtPath(chosen), paths)), prompt);
  if (blocks(problem)) throw new DockerError('invalid', vscode.l10n.t('{0}: {1}', chosen, problem), 'path');
  return chosen;
}
