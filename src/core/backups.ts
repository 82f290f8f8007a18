/**
 * Backup files: their names (`<volume>_<YYYYMMDD_HHMMSS>.tar.gz`, as the course's `$(date +%Y%m%d_%H%M%S)`),
 * their manifests, retention, and the course-style script that does the same job outside VS Code.
 */
import { daemonSeesLocalFolders, dockerCli, shellQuote, type CliTarget } from './cli';
import type { HelperRun } from './cliActions';
import type { DatabaseEngine } from './databases';

export interface BackupManifest {
  format: 'docker-volumes-lab/backup@1';
  /** A volume archive (absent, the default) or a logical database dump (`.sql.gz`). */
  kind?: 'archive' | 'dump';
  /** For dumps: the database engine and the container it was dumped from. */
  database?: { engine: DatabaseEngine; product: string; image: string; container: string };
  volume: string;
  driver: string;
  options: Record<string, string>;
  labels: Record<string, string>;
  /** Bytes of the regular files in the volume. */
  bytes: number;
  /** Entries in the archive (files, folders, links). */
  files: number;
  archiveBytes: number;
  sha256: string;
  engineVersion: string;
  /** ISO time the backup finished. */
  createdAt: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function timestamp(date: Date): string {
  const day = [date.getFullYear(), pad(date.getMonth() + 1), pad(date.getDate())].join('');
  const time = [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => pad(n)).join('');
  return `${day}_${time}`;
}

/**
 * A backup file name for `volume`. The name comes from the daemon, which may not be the one Docker ships
 * (a plugin, a remote or hostile endpoint): only Docker's own volume-name characters may reach a file name,
 * never a separator or `..`.
 */
export function backupFileName(volume: string, date: Date, kind: 'archive' | 'dump' = 'archive'): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(volume))
    throw new Error(`"${volume}" cannot name a backup file: only letters, digits, "_", "." and "-" may`);
  return `${volume}_${timestamp(date)}.${kind === 'dump' ? 'sql' : 'tar'}.gz`;
}

export function isDumpFile(file: string): boolean {
  return /\.sql\.gz$/i.test(file);
}

export function manifestFileName(archive: string): string {
  return `${archive}.json`;
}

/** The volume, time and kind in a backup file name; undefined for other files. */
export function parseBackupFileName(
  fileName: string,
): { volume: string; date: Date; kind: 'archive' | 'dump' } | undefined {
  const m = /^(.+)_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})\.(tar|sql)\.gz$/.exec(fileName);
  if (!m) return undefined;
  const [, volume, y, mo, d, h, mi, s, ext] = m;
  return {
    volume: volume!,
    date: new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)),
    kind: ext === 'sql' ? 'dump' : 'archive',
  };
}

export interface RetentionRule {
  /** Keep at most this many backups per volume (0 or absent: no limit). */
  count?: number;
  /** Delete backups older than this many days (0 or absent: no limit). */
  days?: number;
}

/** What every backup of a volume is told, whoever starts it (the view, the scheduler, a lab). */
export interface BackupRequest {
  volume: string;
  /** A folder already checked writable. */
  folder: string;
  level: number;
  keep: RetentionRule;
  /** The throwaway container the CLI line shows. */
  helper: HelperRun;
  signal?: AbortSignal;
}

/** One scheduled backup: what it does with running users is decided ahead, since nobody is there to ask. */
export interface ScheduledBackupRequest extends BackupRequest {
  /** Copy live, stop the users for the copy, or dump their database. */
  consistency: 'live' | 'stop' | 'dump';
}

/**
 * Clock skew allowed between the machine that named a backup and this one. A file dated later than that is
 * not a backup taken yet: a name is only a claim (a repository can ship `db_20991231_000000.tar.gz`).
 */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** True when a backup's date is later than `now` (past the clock skew allowed). */
export function isFutureDated(date: Date, now: Date): boolean {
  return date.getTime() - now.getTime() > FUTURE_TOLERANCE_MS;
}

/**
 * Which backups a rule deletes: per volume, never the newest one, never the file `justWritten` names (it
 * counts as the newest, even when a name taken in the same second dated it a little ahead). Future-dated
 * files neither count nor are deleted: a planted 2099 file must not push a real backup out.
 */
export function backupsToDelete<T extends { volume: string; date: Date }>(
  backups: T[],
  rule: RetentionRule,
  now: Date,
  justWritten: (b: T) => boolean = () => false,
): T[] {
  const byVolume = new Map<string, T[]>();
  for (const b of backups) {
    if (!justWritten(b) && isFutureDated(b.date, now)) continue;
    byVolume.set(b.volume, [...(byVolume.get(b.volume) ?? []), b]);
  }
  const doomed: T[] = [];
  for (const list of byVolume.values()) {
    const newestFirst = [...list].sort(
      (a, b) => Number(justWritten(b)) - Number(justWritten(a)) || b.date.getTime() - a.date.getTime(),
    );
    newestFirst.forEach((b, index) => {
      if (index === 0 || justWritten(b)) return;
      const tooMany = rule.count !== undefined && rule.count > 0 && index >= rule.count;
      const tooOld =
        rule.days !== undefined && rule.days > 0 && now.getTime() - b.date.getTime() > rule.days * 24 * 3600 * 1000;
      if (tooMany || tooOld) doomed.push(b);
    });
  }
  return doomed;
}

/** `text` as shell comment lines: a line break inside it starts another comment, never a command. */
export function commentLines(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => `# ${line}`)
    .join('\n');
}

/** The course's backup script for `volumes`, with its retention, and the crontab line that runs it nightly. */
export function backupScript(
  volumes: string[],
  folder: string,
  rule: RetentionRule,
  helper: HelperRun = { image: 'alpine' },
  target: CliTarget = {},
): { script: string; crontab: string } {
  // The volume and folder are the script's own quoted variables, so this one line is not built by dockerCli alone.
  const run = dockerCli(['run', '--rm', ...(helper.networkMode ? ['--network', helper.networkMode] : [])], target);
  const image = shellQuote(helper.image);
  const lines = [
    '#!/bin/sh',
    '# Backs up Docker volumes as .tar.gz files (written by Docker Volumes Lab).',
    'set -eu',
    `BACKUP_DIR=${shellQuote(folder)}`,
    'STAMP=$(date +%Y%m%d_%H%M%S)',
    'STAMP_GLOB=[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]_[0-9][0-9][0-9][0-9][0-9][0-9]',
    'mkdir -p "$BACKUP_DIR"',
    `for VOLUME in ${volumes.map(shellQuote).join(' ')}; do`,
    // A daemon on another host would bind its own BACKUP_DIR: there the archive streams out through the CLI.
    daemonSeesLocalFolders(target)
      ? `  ${run} -v "$VOLUME":/data:ro -v "$BACKUP_DIR":/backup ${image} tar czf "/backup/\${VOLUME}_\${STAMP}.tar.gz" -C /data .`
      : `  ${run} -v "$VOLUME":/data:ro ${image} tar czf - -C /data . > "$BACKUP_DIR/\${VOLUME}_\${STAMP}.tar.gz"`,
  ];
  // Retention touches only this volume's backups by their exact name (`<volume>_<stamp>.tar.gz`: not
  // `<volume>_old_<stamp>`, another volume's), and never parses a listing: any name a folder holds stays
  // one argument.
  if (rule.days && rule.days > 0) {
    lines.push(`  # keep ${rule.days} days`);
    lines.push(
      `  find "$BACKUP_DIR" -maxdepth 1 -type f -name "\${VOLUME}_\${STAMP_GLOB}.tar.gz" -mtime +${rule.days} -exec rm -f -- {} +`,
    );
  }
  if (rule.count && rule.count > 0) {
    lines.push(`  # keep the ${rule.count} newest (the names sort by their time stamp, oldest first)`);
    lines.push(`  set -- "$BACKUP_DIR/$VOLUME"_$STAMP_GLOB.tar.gz`);
    lines.push('  [ -e "$1" ] || shift');
    lines.push(`  while [ "$#" -gt ${rule.count} ]; do rm -f -- "$1"; shift; done`);
  }
  lines.push('done', '');
  return {
    script: lines.join('\n'),
    // cron turns an unescaped % into a line break: the folder's own % signs are escaped for it.
    crontab:
      `0 2 * * * ${shellQuote(`${folder}/backup-volumes.sh`)} >> ${shellQuote(`${folder}/backup.log`)} 2>&1`.replace(
        /%/g,
        '\\%',
      ),
  };
}

/**
 * The scheduled volumes whose newest backup (any kind) in the folder is older than `intervalHours`, or
 * that have none. Manual backups count, and a restart of VS Code does not repeat a backup that exists;
 * files dated in the future do not count.
 */
export function dueForBackup(
  volumes: string[],
  backups: { volume: string; date: Date }[],
  intervalHours: number,
  now: Date,
): string[] {
  const intervalMs = Math.max(0.25, intervalHours) * 3600 * 1000;
  return volumes.filter((volume) => {
    // A future-dated file is not a backup taken: it must not make the volume look backed up until 2099.
    const newest = Math.max(
      -Infinity,
      ...backups.filter((b) => b.volume === volume && !isFutureDated(b.date, now)).map((b) => b.date.getTime()),
    );
    return now.getTime() - newest >= intervalMs;
  });
}

/**
 * How a schedule's interval reads: whole hours from one hour up, minutes below ("every 0.5 hours" reads badly in
 * every language; French would even make it singular).
 */
export function scheduleInterval(hours: number): { unit: 'hour' | 'hours' | 'minute' | 'minutes'; count: number } {
  if (hours >= 1) return hours === 1 ? { unit: 'hour', count: 1 } : { unit: 'hours', count: hours };
  const minutes = Math.max(1, Math.round(hours * 60));
  return minutes === 1 ? { unit: 'minute', count: 1 } : { unit: 'minutes', count: minutes };
}
