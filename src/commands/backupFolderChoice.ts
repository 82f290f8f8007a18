import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../constants';
import { showNotice } from '../messages';
import { configuredBackupFolder } from '../services/backupFolder';
import { askPath } from '../services/pathPrompt';
import { settingId, settings } from '../services/settings';
import type { CommandHandler } from './registry';

/**
 * Choose the Backup Folder: the folder in use is offered first (the setting's default is empty, so Settings would show
 * an empty box), a typed or browsed one becomes the user's own setting. Only the user's (Global) value is written: a
 * workspace's settings must not choose where backups go, and the user's value is the one Restricted Mode still reads.
 * Answers the folder written, undefined when cancelled.
 */
async function chooseBackupFolder(): Promise<string | undefined> {
  const current = configuredBackupFolder();
  const picked = await askPath({
    title: current
      ? vscode.l10n.t('Backup folder, now {0}', current)
      : vscode.l10n.t('Backup folder (none in use yet)'),
    placeHolder: vscode.l10n.t('Folder for the backups: type a path, or browse'),
    want: 'folder',
    missingFolder: 'created',
    openLabel: vscode.l10n.t('Use for Backups'),
    choices: current ? [{ label: vscode.l10n.t('Keep {0}', current), path: current }] : [],
  });
  if (!picked) return undefined;
  // The prompt said a typed folder that is missing will be created.
  fs.mkdirSync(picked, { recursive: true });
  await vscode.workspace
    .getConfiguration(SETTINGS.section)
    .update(SETTINGS.backupFolder, picked, vscode.ConfigurationTarget.Global);
  if (settings.backupFolderFromWorkspace())
    void showNotice(
      'warning',
      vscode.l10n.t(
        "Your backup folder is now {0}, but this workspace's settings choose another one here ({1}); yours applies in other workspaces.",
        picked,
        settingId(SETTINGS.backupFolder),
      ),
    );
  return picked;
}

export const backupFolderCommands: Record<string, CommandHandler> = {
  [COMMANDS.chooseBackupFolder]: chooseBackupFolder,
};
