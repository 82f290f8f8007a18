import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SETTINGS } from '../constants';
import { dueForBackup, type ScheduledBackupRequest } from '../core/backups';
import { detectDatabase } from '../core/databases';
import { maskSecretsInText } from '../core/networkVolumes';
import { realPathOf } from '../core/pathConfinement';
import { containersUsing } from '../core/volumeModel';
import type { Log } from '../log';
import { dockerErrorMessage, isDockerError, showNotice } from '../messages';
import { listBackups, scheduledBackupFolder } from './backupFolder';
import type { DaemonService } from './daemonService';
import { Disposable } from './Disposable';
import { withCancellableProgress } from './progress';
import { helperRun, settingId, settings } from './settings';

/** One scheduled backup as the flows do it (src/flows/scheduledBackup.ts, passed in by activate()). */
export type ScheduledBackup = (request: ScheduledBackupRequest) => Promise<{ file: string }>;

/** How often the schedule is looked at; a due volume waits at most this long. */
const CHECK_EVERY_MS = 60_000;
/** The first look, after activation has settled. */
const FIRST_CHECK_MS = 20_000;

/**
 * Scheduled backups while VS Code runs: every minute, the volumes of `backup.scheduledVolumes` whose
 * newest backup is older than the interval are backed up through the backup and dump flows, quietly
 * (progress in the status bar); a failure is logged with its real cause and the next volume goes on.
 */
export class BackupScheduler extends Disposable {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string[]> | undefined;
  /** Real paths of the folders already announced this session. */
  private readonly announced = new Set<string>();

  constructor(
    private readonly daemon: DaemonService,
    private readonly log: Log,
    /** The backup and dump flows; the scheduler sees their failures as they are. */
    private readonly backUpNow: ScheduledBackup,
    /** Where the backups go when the user's own settings name no backup folder (outside any workspace). */
    private readonly userDefaultFolder: string,
    /** Called with each backup written (the Backups view shows it). */
    private readonly onBackedUp: (file: string) => void = () => undefined,
  ) {
    super();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          e.affectsConfiguration(settingId(SETTINGS.scheduledVolumes)) ||
          e.affectsConfiguration(settingId(SETTINGS.scheduleIntervalHours))
        )
          this.start();
      }),
    );
  }

  /** (Re)arms the timer when volumes are scheduled; stops it when none are. */
  start(): void {
    this.stop();
    if (!settings.scheduledVolumes().length) return;
    this.timer = setTimeout(() => {
      this.timer = setInterval(() => void this.runDue(), CHECK_EVERY_MS);
      void this.runDue();
    }, FIRST_CHECK_MS);
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Backs up every due volume, one after another; returns those backed up. One run at a time. */
  runDue(now = new Date()): Promise<string[]> {
    this.running ??= this.run(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(now: Date): Promise<string[]> {
    const folder = scheduledBackupFolder(this.userDefaultFolder);
    const volumes = settings.scheduledVolumes();
    if (!folder || !volumes.length) return [];
    const due = dueForBackup(volumes, listBackups(folder), settings.scheduleIntervalHours(), now);
    if (!due.length) return [];
    let existing: Set<string>;
    let containers;
    try {
      [existing, containers] = await Promise.all([
        this.daemon.use((c) => c.listVolumes()).then((list) => new Set(list.map((v) => v.name))),
        this.daemon.use((c) => c.listContainers({ all: false })),
      ]);
    } catch (err) {
      this.log.info(`scheduled backups postponed: ${String(err instanceof Error ? err.message : err)}`);
      return [];
    }
    this.announce(
      folder,
      due.filter((v) => existing.has(v)),
    );
    const whenInUse = settings.scheduledWhenInUse();
    const done: string[] = [];
    for (const volume of due) {
      if (!existing.has(volume)) {
        this.log.info(`scheduled backup of ${volume} skipped: no such volume on the daemon`);
        continue;
      }
      const users = containersUsing(containers, volume);
      if (users.length && whenInUse === 'skip') {
        this.log.info(`scheduled backup of ${volume} skipped: in use by ${users.map((c) => c.name).join(', ')}`);
        continue;
      }
      const database = users.some((c) => detectDatabase(c.image));
      const consistency =
        whenInUse === 'stop' && users.length ? 'stop' : whenInUse === 'auto' && database ? 'dump' : 'live';
      if (await this.backUp(volume, folder, consistency)) done.push(volume);
    }
    return done;
  }

  private async backUp(volume: string, folder: string, consistency: 'live' | 'stop' | 'dump'): Promise<boolean> {
    this.log.info(`scheduled backup of ${volume} (${consistency})`);
    try {
      const result = await withCancellableProgress(
        vscode.l10n.t('Backing up {0}', volume),
        (_report, signal) =>
          this.backUpNow({
            volume,
            folder,
            consistency,
            level: settings.backupLevel(),
            keep: settings.backupKeep(),
            helper: helperRun(),
            signal,
          }),
        'window',
      );
      this.onBackedUp(result.file);
      return true;
    } catch (err) {
      if (isDockerError(err) && err.kind === 'cancelled') return false;
      this.log.error(`scheduled backup of ${volume} failed`, err);
      // The daemon's own words may echo a share's mount options, password included.
      const reason = maskSecretsInText(
        isDockerError(err)
          ? dockerErrorMessage(err, this.daemon.endpoint)
          : String(err instanceof Error ? err.message : err),
      );
      void showNotice('warning', vscode.l10n.t('The scheduled backup of {0} failed: {1}', volume, reason));
      return false;
    }
  }

  /**
   * Says where the scheduled backups are written, by its real path, before the first one of a session goes
   * there: the folder may lie in a workspace, or be reached through a symbolic link.
   */
  private announce(folder: string, volumes: string[]): void {
    if (!volumes.length) return;
    const real = realPathOf(folder, fs.realpathSync);
    const through = real !== path.resolve(folder) ? ` (through ${folder})` : '';
    this.log.info(`scheduled backups of ${volumes.join(', ')} into ${real}${through}`);
    if (this.announced.has(real)) return;
    this.announced.add(real);
    const open = vscode.l10n.t('Open Settings');
    void showNotice(
      'info',
      vscode.l10n.t('Scheduled backups of {0} are written into {1}.', volumes.join(', '), real),
      open,
    ).then((choice) => {
      if (choice === open)
        void vscode.commands.executeCommand('workbench.action.openSettings', settingId(SETTINGS.backupFolder));
    });
  }

  override dispose(): void {
    this.stop();
    super.dispose();
  }
}
