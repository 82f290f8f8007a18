import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../constants';
import { boundedSetting, SETTING_BOUNDS } from '../core/settingBounds';
import { dueForBackup } from '../core/backups';
import { detectDatabase } from '../core/databases';
import { realPathOf } from '../core/pathConfinement';
import type { Log } from '../log';
import { listBackups, scheduledBackupFolder } from './backupFolder';
import type { DaemonService } from './daemonService';

/** How often the schedule is looked at; a due volume waits at most this long. */
const CHECK_EVERY_MS = 60_000;
/** The first look, after activation has settled. */
const FIRST_CHECK_MS = 20_000;

type WhenInUse = 'auto' | 'live' | 'stop' | 'skip';

/**
 * Scheduled backups while VS Code runs: every minute, the volumes of `backup.scheduledVolumes` whose
 * newest backup is older than the interval are backed up through the Back Up command (quietly: window
 * progress, failures as one warning each).
 */
export class BackupScheduler implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string[]> | undefined;
  private readonly subscription: vscode.Disposable;
  /** Real paths of the folders already announced this session. */
  private readonly announced = new Set<string>();

  constructor(private readonly daemon: DaemonService, private readonly log: Log) {
    this.subscription = vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.scheduledVolumes}`) || e.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.scheduleIntervalHours}`)) this.start();
    });
  }

  private get volumes(): string[] {
    return vscode.workspace.getConfiguration(SETTINGS.section).get<string[]>(SETTINGS.scheduledVolumes, []).filter(v => typeof v === 'string' && v.trim());
  }

  /** (Re)arms the timer when volumes are scheduled; stops it when none are. */
  start(): void {
    this.stop();
    if (!this.volumes.length) return;
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
    this.running ??= this.run(now).finally(() => { this.running = undefined; });
    return this.running;
  }

  private async run(now: Date): Promise<string[]> {
    const config = vscode.workspace.getConfiguration(SETTINGS.section);
    const folder = scheduledBackupFolder();
    if (!folder || !this.volumes.length) return [];
    const due = dueForBackup(this.volumes, listBackups(folder), boundedSetting(config.get<unknown>(SETTINGS.scheduleIntervalHours), SETTING_BOUNDS['backup.scheduleIntervalHours']), now);
    if (!due.length) return [];
    let existing: Set<string>;
    let containers;
    try {
      [existing, containers] = await Promise.all([
        this.daemon.use(c => c.listVolumes()).then(list => new Set(list.map(v => v.name))),
        this.daemon.use(c => c.listContainers({ all: false })),
      ]);
    } catch (err) {
      this.log.info(`scheduled backups postponed: ${String(err instanceof Error ? err.message : err)}`);
      return [];
    }
    this.announce(folder, due.filter(v => existing.has(v)));
    const whenInUse = config.get<WhenInUse>(SETTINGS.scheduledWhenInUse, 'auto');
    const done: string[] = [];
    for (const volume of due) {
      if (!existing.has(volume)) {
        this.log.info(`scheduled backup of ${volume} skipped: no such volume on the daemon`);
        continue;
      }
      const users = containers.filter(c => c.mounts.some(m => m.type === 'volume' && m.name === volume));
      if (users.length && whenInUse === 'skip') {
        this.log.info(`scheduled backup of ${volume} skipped: in use by ${users.map(c => c.name).join(', ')}`);
        continue;
      }
      const database = users.some(c => detectDatabase(c.image));
      const consistency = !users.length ? 'live' : whenInUse === 'auto' ? (database ? 'dump' : 'live') : whenInUse;
      this.log.info(`scheduled backup of ${volume} (${consistency})`);
      const result = await vscode.commands.executeCommand<{ file: string } | undefined>(COMMANDS.backupVolume, { volume, folder, consistency, quiet: true });
      if (result) done.push(volume);
    }
    return done;
  }

  /**
   * Says where the scheduled backups are written, by its real path, before the first one of a session goes
   * there: the folder may lie in a workspace, or be reached through a symbolic link.
   */
  private announce(folder: string, volumes: string[]): void {
    if (!volumes.length) return;
    const real = realPathOf(folder, fs.realpathSync);
    this.log.info(`scheduled backups of ${volumes.join(', ')} into ${real}${real !== path.resolve(folder) ? ` (through ${folder})` : ''}`);
    if (this.announced.has(real)) return;
    this.announced.add(real);
    const open = vscode.l10n.t('Open Settings');
    void vscode.window.showInformationMessage(vscode.l10n.t('Scheduled backups of {0} are written into {1}.', volumes.join(', '), real), open)
      .then(choice => { if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS.section}.${SETTINGS.backupFolder}`); });
  }

  dispose(): void {
    this.stop();
    this.subscription.dispose();
  }
}
