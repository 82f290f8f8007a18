import * as fs from 'node:fs';
import * as path from 'node:path';
import { manifestFileName, parseBackupFileName, type BackupManifest } from '../core/backups';
import { parseManifest } from '../core/backupTrust';
import { readSmallTextFile, statIfPresent } from './smallFile';

/**
 * The backup folder as files: which archives and dumps it holds and their manifests. Plain Node, so that the flows
 * (retention) and the VS Code adapter (services/backupFolder.ts) read it the same way.
 */

/**
 * Whether the files at a path may be read. The caller decides: in Restricted Mode the workspace's own files are not
 * read, since a repository could plant backups and manifests there.
 */
export type MayRead = (file: string) => boolean;

/** A manifest is a few hundred bytes; anything much larger is not one of ours. */
const MAX_MANIFEST_BYTES = 64 * 1024;

/** A file Restore can take: a backup named as ours (`volume` known) or any other archive or dump in the folder. */
export interface RestorableFile {
  file: string;
  /** From the file name when it is named as ours; undefined for another name. */
  volume: string | undefined;
  /** From the file name when it is named as ours, else the file's modification time. */
  date: Date;
  bytes: number;
  kind: 'archive' | 'dump';
  manifest?: BackupManifest;
}

/** A backup named as ours: what retention, the schedule and the labs count. */
export interface BackupFile extends RestorableFile {
  volume: string;
}

/** The endings Restore takes: volume archives and database dumps. */
export function restorableKind(file: string): 'archive' | 'dump' | undefined {
  if (/\.sql\.gz$/i.test(file)) return 'dump';
  if (/\.(tar\.gz|tgz)$/i.test(file)) return 'archive';
  return undefined;
}

/** The archive's manifest when it is one of ours and names the volume its file name names, and may be read. */
export function readManifest(archive: string, mayRead: MayRead): BackupManifest | undefined {
  if (!mayRead(archive) || !mayRead(manifestFileName(archive))) return undefined;
  try {
    const text = readSmallTextFile(manifestFileName(archive), MAX_MANIFEST_BYTES);
    return text === undefined ? undefined : parseManifest(text, parseBackupFileName(path.basename(archive))?.volume);
  } catch {
    return undefined;
  }
}

/**
 * Every `.tar.gz`, `.tgz` and `.sql.gz` file in a folder, named as ours or not, newest first; nothing from a folder
 * that may not be read. The Backups view and Restore list these: retention and the schedule count only the backups
 * named as ours (`listBackups`).
 */
export function listRestorable(folder: string | undefined, mayRead: MayRead): RestorableFile[] {
  if (!folder || !fs.existsSync(folder)) return [];
  if (!mayRead(folder)) return [];
  const found: RestorableFile[] = [];
  for (const name of fs.readdirSync(folder)) {
    const kind = restorableKind(name);
    if (!kind) continue;
    const file = path.join(folder, name);
    const stat = statIfPresent(file);
    if (!stat?.isFile()) continue;
    const parsed = parseBackupFileName(name);
    const manifest = readManifest(file, mayRead);
    found.push({
      file,
      volume: parsed?.volume,
      date: parsed?.date ?? stat.mtime,
      kind,
      bytes: stat.size,
      ...(manifest ? { manifest } : {}),
    });
  }
  return found.sort((a, b) => b.date.getTime() - a.date.getTime());
}

/**
 * The backups named as ours in a folder, newest first: what retention, the schedule and the labs count. The view and
 * Restore list every archive and dump (`listRestorable`).
 */
export function listBackups(folder: string | undefined, mayRead: MayRead): BackupFile[] {
  return listRestorable(folder, mayRead).filter((b): b is BackupFile => b.volume !== undefined);
}
