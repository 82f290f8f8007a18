import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkTypedPath, readsAsPath, type TypedPathCheck, type TypedPathInputs } from '../core/typedPath';
import { DockerError } from '../docker/errors';
import { statIfPresent } from '../docker/smallFile';

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
  openLabel?: string;
  filters?: Record<string, string[]>;
}

function typedPathInputs(): TypedPathInputs {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return {
    home: os.homedir(),
    base: folder?.uri.fsPath,
    stat: statIfPresent,
    readable: (p) => {
      try {
        const folder = fs.statSync(p).isDirectory();
        fs.accessSync(p, folder ? fs.constants.R_OK | fs.constants.X_OK : fs.constants.R_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The problem with a typed path in words (undefined: none); a missing folder, when allowed, is information only. */
function problemText(check: TypedPathCheck, prompt: PathPrompt): string | vscode.InputBoxValidationMessage | undefined {
  switch (check.kind) {
    case 'empty':
      return vscode.l10n.t('Type a path: absolute, relative to the workspace folder, or starting with ~/.');
    case 'noBase':
      return vscode.l10n.t(
        'No workspace folder is open to take "{0}" from: type an absolute path, or one starting with ~/.',
        check.typed,
      );
    case 'variable':
      return vscode.l10n.t(
        '"{0}" holds a shell variable, which the picker does not expand (only $HOME): type the path itself.',
        check.typed,
      );
    case 'otherHome':
      return vscode.l10n.t(
        '"{0}" names another user\'s home, which the picker does not look up: type the absolute path (or ~/ for yours).',
        check.typed,
      );
    case 'foreignDrive':
      return vscode.l10n.t(
        '"{0}" is a Windows path, and this machine\'s paths start with /: type the path as this machine names it.',
        check.typed,
      );
    case 'missing':
      return prompt.want === 'folder' && prompt.missingFolder
        ? {
            message:
              prompt.missingFolder === 'ask'
                ? vscode.l10n.t('{0} does not exist yet: you will be asked whether to create it.', check.path)
                : vscode.l10n.t('{0} does not exist yet: it will be created.', check.path),
            severity: vscode.InputBoxValidationSeverity.Info,
          }
        : vscode.l10n.t('{0} does not exist.', check.path);
    case 'notFolder':
      return vscode.l10n.t('{0} is a file, not a folder.', check.path);
    case 'notFile':
      return vscode.l10n.t('{0} is a folder, not a file.', check.path);
    case 'unreadable':
      return vscode.l10n.t('You are not allowed to read {0}: check its permissions.', check.path);
    case 'ok':
      return prompt.check?.(check.path);
  }
}

const blocks = (problem: string | vscode.InputBoxValidationMessage | undefined): problem is string =>
  typeof problem === 'string';

type PathItem = vscode.QuickPickItem & {
  action: 'choice' | 'typed' | 'hint' | 'browse';
  path: string;
  /** For a typed path: what was typed (checked again on Enter), and whether its check refuses it. */
  typed?: string;
  refused?: boolean;
};

/**
 * The item for a typed path: the path it names, and its check in words under it. Its detail starts with the icon of
 * what the check found: `$(error)` refuses it, `$(info)` tells what will happen, `$(pass)` found what was wanted.
 */
function typedItem(typed: string, prompt: PathPrompt, inputs: TypedPathInputs): PathItem {
  const check = checkTypedPath(typed, prompt.want, inputs);
  const problem = problemText(check, prompt);
  const found =
    prompt.want === 'folder'
      ? vscode.l10n.t('This folder exists: press Enter to use it.')
      : vscode.l10n.t('This file exists: press Enter to use it.');
  const detail = blocks(problem) ? `$(error) ${problem}` : problem ? `$(info) ${problem.message}` : `$(pass) ${found}`;
  return {
    label: 'path' in check ? check.path : typed.trim(),
    detail,
    alwaysShow: true,
    action: 'typed',
    path: 'path' in check ? check.path : '',
    typed,
    refused: blocks(problem) || !('path' in check),
  };
}

const BROWSE = Symbol('browse');

/**
 * The first picker: the ready choices, and whatever is typed that reads as a path offered on top with its check. A
 * refused path keeps the picker open with its problem in view. Undefined: the user cancelled.
 */
function pickOrType(prompt: PathPrompt): Promise<string | typeof BROWSE | undefined> {
  const inputs = typedPathInputs();
  const fixed: PathItem[] = [
    ...(prompt.choices ?? []).map((c) => ({ ...c, action: 'choice' as const })),
    // Kept as the hint that a path can be typed here; Enter on it starts one from the workspace folder.
    {
      label: vscode.l10n.t('Type a Path…'),
      description: vscode.l10n.t('type it in the box above: absolute, relative to the workspace folder, or ~/…'),
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
  /** Shows the typed path on top, ready for Enter (or only the ready choices, when the text only filters them). */
  const offer = (typed: string): PathItem | undefined => {
    const item = readsAsPath(typed, inputs) ? typedItem(typed, prompt, inputs) : undefined;
    picker.items = item ? [item, ...fixed] : fixed;
    if (item) picker.activeItems = [item];
    return item;
  };
  return new Promise((resolve) => {
    let done = false;
    const finish = (answer: string | typeof BROWSE | undefined) => {
      if (done) return;
      done = true;
      resolve(answer);
      picker.dispose();
    };
    picker.onDidChangeValue((value) => offer(value));
    picker.onDidAccept(() => {
      const item = picker.selectedItems[0] ?? picker.activeItems[0];
      if (item?.action === 'choice') return finish(item.path);
      if (item?.action === 'browse') return finish(BROWSE);
      if (item?.action === 'hint') {
        const base = inputs.base;
        picker.value = base ? base + path.sep : '~' + path.sep;
        offer(picker.value);
        return;
      }
      // Enter on the typed path, or pressed before its item was shown: checked again now, refused if it blocks.
      const fresh = offer(item?.typed ?? picker.value);
      if (fresh && !fresh.refused) finish(fresh.path);
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
  if (answer !== BROWSE) return answer;
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: prompt.want === 'folder',
    canSelectFiles: prompt.want === 'file',
    ...(base ? { defaultUri: base } : {}),
    ...(prompt.openLabel ? { openLabel: prompt.openLabel } : {}),
    ...(prompt.filters ? { filters: prompt.filters } : {}),
  });
  const chosen = picked?.[0]?.fsPath;
  if (chosen === undefined) return undefined;
  const problem = problemText(checkTypedPath(chosen, prompt.want, typedPathInputs()), prompt);
  if (blocks(problem)) throw new DockerError('invalid', problem, 'path');
  return chosen;
}
