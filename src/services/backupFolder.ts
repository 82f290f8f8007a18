import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SETTINGS } from '../constants';
import { manifestFileName, parseBackupFileName, type BackupManifest } from '../core/backups';

export interface BackupFile {
  file: string;
  volume: string;
  date: Date;
  bytes: number;
  kind: 'archive' | 'dump';
  manifest?: BackupManifest;
}

/** Where backups go: the setting (absolute, or relative to the workspace), else `<workspace>/backups`. */
export function configuredBackupFolder(): string | undefined {
  const setting = vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.backupFolder, '').trim();
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (setting) return path.isAbsolute(setting) ? setting : workspace ? path.join(workspace, setting) : undefined;
  return workspace ? path.join(workspace, 'backups') : undefined;
}

/** The backup folder, asking for one when there is no workspace. */
export async function backupFolder(ask = true): Promise<string | undefined> {
  const folder = configuredBackupFolder();
  if (folder || !ask) return folder;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Use for Backups') });
  return picked?.[0]?.fsPath;
}

export function readManifest(archive: string): BackupManifest | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestFileName(archive), 'utf8')) as BackupManifest;
    return manifest.format === 'docker-volumes-lab/backup@1' ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** The backups in a folder, newest first; files named otherwise are ignored. */
export function listBackups(folder: string | undefined): BackupFile[] {
  if (!folder || !fs.existsSync(folder)) return [];
  const backups: BackupFile[] = [];
  for (const name of fs.readdirSync(folder)) {
    const parsed = parseBackupFileName(name);
    if (!parsed) continue;
    const file = path.join(folder, name);
    const manifest = readManifest(file);
    backups.push({ file, volume: manifest?.volume ?? parsed.volume, date: parsed.date, kind: parsed.kind, bytes: fs.statSync(file).size, ...(manifest ? { manifest } : {}) });
  }
  return backups.sort((a, b) => b.date.getTime() - a.date.getTime());
}
