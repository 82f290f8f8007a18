import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { checkTypedPath, type TypedPathCheck, type TypedPathInputs } from '../core/typedPath';
import { DockerError } from '../docker/errors';
import { statIfPresent } from './smallFile';

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

/** Asks for a path typed by the user; the answer is checked again once accepted. */
async function typePath(prompt: PathPrompt): Promise<string | undefined> {
  const typed = await vscode.window.showInputBox({
    ...(prompt.title ? { title: prompt.title } : {}),
    prompt:
      prompt.want === 'folder'
        ? vscode.l10n.t('Folder path: absolute, relative to the workspace folder, or starting with ~/')
        : vscode.l10n.t('File path: absolute, relative to the workspace folder, or starting with ~/'),
    ignoreFocusOut: true,
    validateInput: (value) => problemText(checkTypedPath(value, prompt.want, typedPathInputs()), prompt),
  });
  if (typed === undefined) return undefined;
  const check = checkTypedPath(typed, prompt.want, typedPathInputs());
  const problem = problemText(check, prompt);
  if (blocks(problem)) throw new DockerError('invalid', problem, 'path');
  return 'path' in check ? check.path : undefined;
}

/**
 * A folder or file: one of the ready choices, a typed path (relative to the workspace folder, `~` expanded,
 * checked as it is typed), or one browsed to. Undefined: the user cancelled.
 */
export async function askPath(prompt: PathPrompt): Promise<string | undefined> {
  const typeLabel = vscode.l10n.t('Type a Path…');
  const browseLabel = vscode.l10n.t('Browse…');
  const pick = await vscode.window.showQuickPick(
    [
      ...(prompt.choices ?? []).map((c) => ({ ...c, action: 'choice' as const })),
      {
        label: typeLabel,
        description: vscode.l10n.t('relative to the workspace folder, or ~/…'),
        path: '',
        action: 'type' as const,
      },
      { label: browseLabel, path: '', action: 'browse' as const },
    ],
    { ...(prompt.title ? { title: prompt.title } : {}), placeHolder: prompt.placeHolder, matchOnDescription: true },
  );
  if (!pick) return undefined;
  if (pick.action === 'choice') return pick.path;
  if (pick.action === 'type') return typePath(prompt);
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
