import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { askPath } from './pathPrompt';
import { SETTINGS } from '../constants';
import { settingId, settings } from './settings';
import type { BackupManifest } from '../core/backups';
import * as scan from '../docker/backupFolderScan';
import { inWorkspace, workspaceTrusted } from './workspaceTrust';
import { showNotice } from '../messages';

/**
 * Where backups go: the setting (absolute, or relative to the workspace), else `<workspace>/backups`.
 * In Restricted Mode a folder inside the workspace is not used: files planted there are not read.
 */
export function configuredBackupFolder(): string | undefined {
  return resolveBackupFolder(settings.backupFolder());
}

/**
 * Where scheduled backups go: the user's own setting only (its global value, absolute and outside the workspace),
 * else `userDefault`, a folder of
 * the user's outside any workspace. Unattended writes follow no folder a repository chose, neither one its
 * `.vscode/settings.json` names nor the `backups` folder it ships.
 */
export function scheduledBackupFolder(userDefault: string): string | undefined {
  const own = settings.backupFolderOfUser();
  // A relative value ("backups") would be joined to whichever repository is open: only an absolute one, outside it.
  if (!own || !path.isAbsolute(own) || inWorkspace(own)) return userDefault;
  return own;
}

function resolveBackupFolder(setting: string): string | undefined {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const folder = setting
    ? path.isAbsolute(setting)
      ? setting
      : workspace
        ? path.join(workspace, setting)
        : undefined
    : workspace
      ? path.join(workspace, 'backups')
      : undefined;
  if (folder && !workspaceTrusted() && inWorkspace(folder)) return undefined;
  return folder;
}

const announcedFolders = new Set<string>();

/**
 * Names the real path of the backup folder before the first backup of the session goes there, when the workspace's
 * settings chose it (the repository picked it, not the user) or when a link sends it elsewhere than it is written
 * (a committed `backups -> /srv/www` would silently put the archives and dumps there).
 */
export function announceWorkspaceBackupFolder(folder: string, log: { info(message: string): void }): void {
  const real = fs.realpathSync(folder);
  const chosenByWorkspace = settings.backupFolderFromWorkspace();
  if (!chosenByWorkspace && !linkedAway(folder, real)) return;
  if (announcedFolders.has(real)) return;
  announcedFolders.add(real);
  const text = chosenByWorkspace
    ? vscode.l10n.t(
        "Backups go to {0}: this workspace's settings choose that folder ({1}). Your own setting applies in other workspaces.",
        real,
        settingId(SETTINGS.backupFolder),
      )
    : vscode.l10n.t('Backups go to {0}: {1} in this workspace is a symbolic link to that folder.', real, folder);
  log.info(text);
  const open = vscode.l10n.t('Open Workspace Settings');
  void showNotice('info', text, ...(chosenByWorkspace ? [open] : [])).then(async (choice) => {
    if (choice === open) await vscode.commands.executeCommand('workbench.action.openWorkspaceSettings');
  });
}

/** Whether a folder written under a workspace folder really lies elsewhere than written (a link on its way). */
function linkedAway(folder: string, real: string): boolean {
  const written = path.resolve(folder);
  for (const root of vscode.workspace.workspaceFolders ?? []) {
    const relative = path.relative(root.uri.fsPath, written);
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    try {
      return real !== path.join(fs.realpathSync(root.uri.fsPath), relative);
    } catch {
      return true;
    }
  }
  return false;
}

/** The backup folder, asking for one when there is no workspace. */
export async function backupFolder(ask = true): Promise<string | undefined> {
  const folder = configuredBackupFolder();
  if (folder || !ask) return folder;
  return askPath({
    placeHolder: vscode.workspace.workspaceFolders?.length
      ? vscode.l10n.t('Folder for the backups (in Restricted Mode, none inside this workspace is used)')
      : vscode.l10n.t('Folder for the backups (no workspace folder is open)'),
    want: 'folder',
    missingFolder: 'created',
    openLabel: vscode.l10n.t('Use for Backups'),
  });
}

/**
 * What the backup folder may be read for, by the workspace's trust: in Restricted Mode nothing the workspace holds (a
 * repository could plant backups and manifests there). The flows take it through FlowDeps.
 */
export function mayReadBackups(file: string): boolean {
  return workspaceTrusted() || !inWorkspace(file);
}

/** The archive's manifest when it is one of ours and names its volume; never in Restricted Mode from the workspace. */
export function readManifest(archive: string): BackupManifest | undefined {
  return scan.readManifest(archive, mayReadBackups);
}

/** What a file without a manifest leaves unchecked, and what is still checked: said in Restore's list and the view. */
export function withoutManifestText(kind: 'archive' | 'dump'): string {
  return kind === 'archive'
    ? vscode.l10n.t(
        'No manifest: the volume it came from and its entry count and size cannot be checked. The size and entry limits and the archive checks still apply.',
      )
    : vscode.l10n.t(
        'No manifest: the database it came from and its checksum cannot be checked. A dump this extension did not write is replayed only after a warning.',
      );
}

/** Every archive and dump in a folder, newest first; nothing from the workspace in Restricted Mode. */
export function listRestorable(folder: string | undefined): scan.RestorableFile[] {
  return scan.listRestorable(folder, mayReadBackups);
}

/** The backups named as ours in a folder, newest first; nothing from the workspace in Restricted Mode. */
export function listBackups(folder: string | undefined): scan.BackupFile[] {
  return scan.listBackups(folder, mayReadBackups);
}
