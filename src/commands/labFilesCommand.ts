import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readCommandArgument } from '../core/commandArguments';
import { LAB_FILE_IDS, type LabFilesId } from '../core/labs';
import { labFolder, labRoots } from '../learn/labProgress';
import { labFiles, refuseLinkedTargets, writeLabFiles } from '../flows/labFiles';
import { askModal, filesText, showNotice } from '../messages';
import { askPath } from '../services/pathPrompt';
import type { CommandContext } from './registry';

/** Where the lab goes: the given folder, the lab folder of the workspace, else one the user picks. */
async function labTarget(lab: string, given: string | undefined): Promise<string | undefined> {
  const folder = given ?? labFolder(lab);
  if (folder) return folder;
  const picked = await askPath({
    placeHolder: vscode.l10n.t('Folder to write the lab into'),
    want: 'folder',
    missingFolder: 'created',
    openLabel: vscode.l10n.t('Write the Lab Here'),
  });
  // The prompt said a typed folder that is missing will be created: the lab is written under its real path.
  if (picked) fs.mkdirSync(picked, { recursive: true });
  return picked && path.join(picked, lab);
}

/** Whether files already there are replaced: asked when some are and the caller did not say; undefined: cancelled. */
async function overwriteChoice(
  folder: string,
  files: string[],
  given: boolean | undefined,
): Promise<boolean | undefined> {
  const existing = files.filter((f) => fs.existsSync(path.join(folder, f)));
  if (!existing.length || given !== undefined) return given ?? false;
  const replace = vscode.l10n.t('Overwrite');
  const keep = vscode.l10n.t('Keep Mine');
  const choice = await askModal(vscode.l10n.t('{0} already has {1}.', folder, existing.join(', ')), {}, replace, keep);
  return choice === undefined ? undefined : choice === replace;
}

export async function createLabFiles(
  ctx: CommandContext,
  arg?: unknown,
): Promise<{ folder: string; written: string[] } | undefined> {
  const { options: given, text } = readCommandArgument<{ lab: string; folder: string; overwrite: boolean }>(arg);
  const options = { ...given, ...((given.lab ?? text) ? { lab: given.lab ?? text } : {}) };
  const lab =
    options.lab ??
    (await vscode.window.showQuickPick(LAB_FILE_IDS, { placeHolder: vscode.l10n.t('Lab project to write') }));
  if (!lab || !LAB_FILE_IDS.includes(lab as LabFilesId)) return undefined;
  const source = vscode.Uri.joinPath(ctx.extensionUri, 'labs', lab).fsPath;
  const folder = await labTarget(lab, options.folder);
  if (!folder) return undefined;
  const files = labFiles(source);
  const roots = options.folder || !labFolder(lab) ? [path.dirname(folder)] : labRoots();
  refuseLinkedTargets(vscode.l10n, folder, files, roots);
  const overwrite = await overwriteChoice(folder, files, options.overwrite);
  if (overwrite === undefined) return undefined;
  const written = writeLabFiles(source, folder, files, overwrite);
  ctx.log.info(`lab files ${lab}: wrote ${written.length} file(s) into ${folder}`);
  const main = ['compose.yaml', 'README.md', 'app.py', 'server.js'].find((f) => files.includes(f));
  if (main) await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, main)), { preview: false });
  void showNotice('info', vscode.l10n.t('Wrote {0} of the {1} lab into {2}.', filesText(written.length), lab, folder));
  return { folder, written };
}
