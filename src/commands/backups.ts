import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, LABELS, SETTINGS } from '../constants';
import { boundedSetting, SETTING_BOUNDS } from '../core/settingBounds';
import { backupFileName, backupScript, backupsToDelete, isDumpFile, manifestFileName, type BackupManifest, type RetentionRule } from '../core/backups';
import { DATABASE_DATA_PATHS, databasePlan, detectDatabase, type DatabaseEngine } from '../core/databases';
import { backupLine, cloneLines, dumpLine, restoreDumpLine, restoreLines, startLine, stopLine, type HelperRun } from '../core/cliActions';
import { checkVolumeName } from '../core/naming';
import { formatBytes } from '../core/volumeModel';
import { backupVolume as runBackup } from '../docker/backup';
import { restoreVolume as runRestore, type RestoreMode } from '../docker/restore';
import type { Progress } from '../docker/tarCounting';
import { copyVolumeContent } from '../docker/upload';
import { verifyArchive } from '../docker/verify';
import { measureVolume } from '../docker/volumeCounting';
import { dumpDatabase, restoreDump, verifyDump } from '../docker/dump';
import { DockerError, isLocalFileError } from '../docker/errors';
import { ensureWritableFolder } from '../flows/backupFolderCheck';
import { dockerErrorMessage } from '../messages';
import type { ContainerSummary } from '../core/engineTypes';
import { backupFolder, configuredBackupFolder, listBackups, readManifest, scheduledBackupFolder } from '../services/backupFolder';
import { manifestVolumeDecision } from '../core/backupTrust';
import { maskSecrets } from '../core/networkVolumes';
import { contentLimit, entryLimit, spaceDecision } from '../core/restoreLimits';
import { volumeFreeBytes } from '../docker/freeSpace';
import { refuseWorkspaceFileWhenRestricted } from '../services/workspaceTrust';
import { VolumeItem } from '../views/volumesTree';
import type { CommandContext, CommandHandler } from './registry';

type Consistency = 'stop' | 'live' | 'dump' | 'cancel';

function volumeName(arg: unknown): string | undefined {
  if (arg instanceof VolumeItem) return arg.volume.name;
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'row' in arg) return (arg as { row: { volume: { name: string } } }).row.volume.name;
  return undefined;
}

async function pickVolume(ctx: CommandContext, placeHolder: string): Promise<string | undefined> {
  await ctx.model.ensureLoaded();
  const pick = await vscode.window.showQuickPick(ctx.model.rows.map(r => ({ label: r.volume.name, description: r.size !== undefined && r.size >= 0 ? formatBytes(r.size) : '' })), { placeHolder });
  return pick?.label;
}

function progressReporter(progress: vscode.Progress<{ message?: string }>): (p: Progress) => void {
  const started = Date.now();
  let last = 0;
  return p => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    const rate = p.bytes / Math.max(0.001, (now - started) / 1000);
    progress.report({ message: vscode.l10n.t('{0} · {1} entries · {2}/s', formatBytes(p.bytes), p.files, formatBytes(rate)) });
  };
}

/**
 * Running containers that use `volume`: asks whether to stop them for the operation, back up live, or
 * cancel; for a database container, a logical dump is offered too.
 */
async function consistencyChoice(ctx: CommandContext, volume: string, chosen: Consistency | undefined, what: 'backup' | 'restore'): Promise<{ choice: Consistency; running: { id: string; name: string }[] }> {
  const runningContainers = (await ctx.daemon.use(client => client.listContainers({ all: false })))
    .filter(c => c.mounts.some(m => m.type === 'volume' && m.name === volume));
  const running = runningContainers.map(c => ({ id: c.id, name: c.name }));
  if (!running.length) return { choice: 'live', running };
  if (chosen) return { choice: chosen, running };
  const names = running.map(c => c.name).join(', ');
  const stop = vscode.l10n.t('Stop, Then Start Again');
  const live = vscode.l10n.t('Go On Live');
  const database = what === 'backup' ? runningContainers.map(c => detectDatabase(c.image)).find(Boolean) : undefined;
  const dump = database ? vscode.l10n.t('Dump the Database ({0})', database === 'postgres' ? 'pg_dumpall' : 'mysqldump') : undefined;
  const pick = await vscode.window.showWarningMessage(
    what === 'backup' ? vscode.l10n.t('{0} is used by running containers: {1}.', volume, names) : vscode.l10n.t('{0} is used by running containers: {1}. Restoring under a running app can break it.', volume, names),
    { modal: true, detail: database
      ? vscode.l10n.t('A database copied while it writes may not start from the copy. Stop it for a consistent file copy (it is started again afterwards), or take a logical dump (.sql.gz) while it runs.')
      : vscode.l10n.t('Stopping them gives a consistent copy; a database copied while it writes may not start from the copy. They are started again afterwards.') },
    ...[stop, live, ...(dump ? [dump] : [])]);
  return { choice: pick === stop ? 'stop' : pick === live ? 'live' : pick && pick === dump ? 'dump' : 'cancel', running };
}

/** The throwaway container the shown backup / restore / clone lines run: the settings' image and network. */
function helperRun(): HelperRun {
  const config = vscode.workspace.getConfiguration(SETTINGS.section);
  const networkMode = config.get<string>(SETTINGS.runNetworkMode, '');
  return { image: config.get<string>(SETTINGS.backupShellImage, 'busybox') || 'busybox', ...(networkMode ? { networkMode } : {}) };
}

/** A failure of the backup folder names the setting that chose it, so the message offers to change it. */
function withBackupFolderSetting(err: unknown): unknown {
  if (isLocalFileError(err)) err.inSetting(`${SETTINGS.section}.${SETTINGS.backupFolder}`);
  return err;
}

async function namingBackupFolder<T>(work: Thenable<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw withBackupFolderSetting(err);
  }
}

function inBackupFolder(check: () => void): void {
  try {
    check();
  } catch (err) {
    throw withBackupFolderSetting(err);
  }
}

async function withStopped<T>(ctx: CommandContext, running: { id: string; name: string }[], work: () => Promise<T>): Promise<T> {
  for (const c of running) {
    ctx.log.cli(stopLine(c.name, ctx.daemon.cliTarget));
    await ctx.daemon.use(client => client.stopContainer(c.id));
  }
  try {
    return await work();
  } finally {
    for (const c of running) {
      ctx.log.cli(startLine(c.name, ctx.daemon.cliTarget));
      await ctx.daemon.use(client => client.startContainer(c.id)).catch(err => ctx.log.error(`starting ${c.name} again`, err));
    }
  }
}

// --- Backup ---------------------------------------------------------------------------------------------------

export interface BackupOptions {
  volume?: string;
  folder?: string;
  consistency?: Consistency;
  /** Skip retention (tests). */
  keep?: RetentionRule;
  /** Scheduled runs: progress in the status bar, no message when it went well. */
  quiet?: boolean;
}

export interface BackupResult {
  file: string;
  manifest: BackupManifest;
  deleted: string[];
}

async function backupCommand(ctx: CommandContext, arg?: unknown): Promise<BackupResult | undefined> {
  const options: BackupOptions = arg && typeof arg === 'object' && !(arg instanceof VolumeItem) && !('row' in arg) ? arg : {};
  const volume = options.volume ?? volumeName(arg) ?? await pickVolume(ctx, vscode.l10n.t('Volume to back up'));
  if (!volume) return undefined;
  const folder = options.folder ?? await backupFolder();
  if (!folder) return undefined;
  // Before any container is stopped: a folder that cannot take the file fails now, not after the stop.
  inBackupFolder(() => ensureWritableFolder(folder));
  const { choice, running } = await consistencyChoice(ctx, volume, options.consistency, 'backup');
  if (choice === 'cancel') return undefined;
  if (choice === 'dump') return dumpCommand(ctx, { volume, folder, ...(options.keep ? { keep: options.keep } : {}), ...(options.quiet ? { quiet: true } : {}) });
  const file = freeBackupFile(folder, volume, 'archive');
  const config = vscode.workspace.getConfiguration(SETTINGS.section);
  const level = boundedSetting(config.get<unknown>(SETTINGS.backupLevel), SETTING_BOUNDS['backup.compressionLevel']);
  const [volumeInfo, engine] = await Promise.all([ctx.daemon.use(c => c.inspectVolume(volume)), ctx.daemon.use(c => c.version())]);
  const result = await namingBackupFolder(vscode.window.withProgress({ location: options.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification, title: vscode.l10n.t('Backing up {0}', volume), cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    // Logged inside the work, so that the lines read in the order they happen (after any docker stop).
    const work = () => {
      ctx.log.cli(backupLine(volume, file, helperRun(), ctx.daemon.cliTarget));
      return ctx.daemon.use(client => runBackup(client, volume, file, { level, signal: controller.signal, onProgress: progressReporter(progress) }));
    };
    return choice === 'stop' ? withStopped(ctx, running, work) : work();
  }));
  const manifest: BackupManifest = {
    format: 'docker-volumes-lab/backup@1', volume, driver: volumeInfo.driver, options: maskSecrets(volumeInfo.options), labels: volumeInfo.labels,
    bytes: result.contentBytes, files: result.files, archiveBytes: result.compressedBytes, sha256: result.sha256,
    engineVersion: engine.version, createdAt: new Date().toISOString(),
  };
  fs.writeFileSync(manifestFileName(file), `${JSON.stringify(manifest, null, 2)}\n`);
  const doomed = applyRetention(ctx, folder, volume, 'archive', file, options.keep);
  ctx.backupsTree.markVerified(file, true);
  ctx.backupsTree.refresh();
  if (!options.quiet) void vscode.window.showInformationMessage(vscode.l10n.t('Backed up {0}: {1} entries, {2} → {3} ({4}).', volume, result.files, formatBytes(result.contentBytes), formatBytes(result.compressedBytes), path.basename(file)));
  return { file, manifest, deleted: doomed };
}

/** A backup file name for now, or for the next free second when two backups fall in the same one. */
function freeBackupFile(folder: string, volume: string, kind: 'archive' | 'dump'): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(volume)) {
    throw new DockerError('invalid', vscode.l10n.t('The daemon names this volume "{0}": a name with other characters than letters, digits, "_", "." and "-" cannot name a backup file.', volume), 'backup');
  }
  const now = Date.now();
  for (let second = 0; ; second++) {
    const file = path.join(folder, backupFileName(volume, new Date(now + second * 1000), kind));
    if (!fs.existsSync(file)) return file;
  }
}

/** Deletes what the retention rule (the setting, unless `rule`) condemns among this volume's backups of one kind; never `written`. */
function applyRetention(ctx: CommandContext, folder: string, volume: string, kind: 'archive' | 'dump', written: string, rule?: RetentionRule): string[] {
  const keep = rule ?? vscode.workspace.getConfiguration(SETTINGS.section).get<RetentionRule>(SETTINGS.backupKeep, {});
  const doomed = backupsToDelete(listBackups(folder).filter(b => b.volume === volume && b.kind === kind), keep, new Date(), b => path.resolve(b.file) === path.resolve(written));
  for (const b of doomed) {
    fs.rmSync(b.file, { force: true });
    fs.rmSync(manifestFileName(b.file), { force: true });
    ctx.log.info(`retention: deleted ${b.file}`);
  }
  return doomed.map(b => b.file);
}

// --- Database dumps ---------------------------------------------------------------------------------------------

interface DatabaseContainer {
  container: ContainerSummary;
  engine: DatabaseEngine;
  /** The volume holding its data (named after it in the dump file), else the container's name. */
  volume: string;
}

function databaseContainer(container: ContainerSummary): DatabaseContainer | undefined {
  const engine = detectDatabase(container.image);
  if (!engine) return undefined;
  const volumes = container.mounts.filter(m => m.type === 'volume' && m.name);
  const data = volumes.find(m => m.destination === DATABASE_DATA_PATHS[engine]) ?? volumes[0];
  return { container, engine, volume: data?.name ?? container.name };
}

/** Running database containers, those using `volume` only when given. */
async function runningDatabases(ctx: CommandContext, volume?: string): Promise<DatabaseContainer[]> {
  const containers = await ctx.daemon.use(client => client.listContainers({ all: false }));
  return containers
    .filter(c => !volume || c.mounts.some(m => m.type === 'volume' && m.name === volume))
    .flatMap(c => databaseContainer(c) ?? []);
}

async function pickDatabase(candidates: DatabaseContainer[], placeHolder: string): Promise<DatabaseContainer | undefined> {
  if (candidates.length <= 1) return candidates[0];
  const pick = await vscode.window.showQuickPick(candidates.map(d => ({ label: d.container.name, description: `${d.container.image} · ${d.volume}`, d })), { placeHolder });
  return pick?.d;
}

export interface DumpOptions {
  /** Dump the database that keeps its data in this volume. */
  volume?: string;
  /** Or this container (name or id). */
  container?: string;
  folder?: string;
  /** The root password where the container's environment does not hold it (MySQL / MariaDB). */
  password?: string;
  keep?: RetentionRule;
  quiet?: boolean;
}

async function rootPassword(product: string, container: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('{0} root password', product), password: true, ignoreFocusOut: true,
    prompt: vscode.l10n.t('{0} does not show its root password in its environment. It is passed to the tool through MYSQL_PWD, never on a command line, and not stored.', container),
  });
}

async function dumpCommand(ctx: CommandContext, arg?: unknown): Promise<BackupResult | undefined> {
  const options: DumpOptions = arg && typeof arg === 'object' && !(arg instanceof VolumeItem) && !('row' in arg) ? arg : {};
  const volume = options.volume ?? volumeName(arg);
  const candidates = (await runningDatabases(ctx, volume)).filter(d => !options.container || d.container.name === options.container || d.container.id.startsWith(options.container));
  if (!candidates.length) {
    throw new DockerError('notFound', volume
      ? vscode.l10n.t('No running PostgreSQL, MySQL or MariaDB container uses {0}. A dump asks the running server: start its container first.', volume)
      : vscode.l10n.t('No running PostgreSQL, MySQL or MariaDB container. A dump asks the running server: start its container first.'), 'dump');
  }
  const target = await pickDatabase(candidates, vscode.l10n.t('Database to dump'));
  if (!target) return undefined;
  const folder = options.folder ?? await backupFolder();
  if (!folder) return undefined;
  inBackupFolder(() => ensureWritableFolder(folder));
  const details = await ctx.daemon.use(client => client.inspectContainer(target.container.id));
  let plan = databasePlan(target.engine, details.env, details.name, options.password);
  if (plan.needsPassword) {
    if (options.quiet) throw new DockerError('invalid', vscode.l10n.t('The scheduled dump of {0} needs the root password, which its environment does not hold: dump it once by hand, or set the schedule\'s "when in use" to stop or live.', details.name), 'dump');
    const password = await rootPassword(plan.product, details.name);
    if (password === undefined) return undefined;
    plan = databasePlan(target.engine, details.env, details.name, password);
  }
  const file = freeBackupFile(folder, target.volume, 'dump');
  ctx.log.cli(dumpLine(plan, file, ctx.daemon.cliTarget));
  const level = boundedSetting(vscode.workspace.getConfiguration(SETTINGS.section).get<unknown>(SETTINGS.backupLevel), SETTING_BOUNDS['backup.compressionLevel']);
  const [engineInfo, volumeInfo] = await Promise.all([
    ctx.daemon.use(c => c.version()),
    target.volume !== target.container.name ? ctx.daemon.use(c => c.inspectVolume(target.volume)).catch(() => undefined) : Promise.resolve(undefined),
  ]);
  const result = await namingBackupFolder(vscode.window.withProgress({ location: options.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification, title: vscode.l10n.t('Dumping {0} ({1})', details.name, plan.tool), cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const started = Date.now();
    let last = 0;
    return ctx.daemon.use(client => dumpDatabase(client, details.id, plan.dump, file, {
      level, signal: controller.signal,
      onBytes: bytes => {
        if (Date.now() - last < 200) return;
        last = Date.now();
        progress.report({ message: vscode.l10n.t('{0} of SQL · {1}/s', formatBytes(bytes), formatBytes(bytes / Math.max(0.001, (Date.now() - started) / 1000))) });
      },
    }));
  }));
  const manifest: BackupManifest = {
    format: 'docker-volumes-lab/backup@1', kind: 'dump',
    database: { engine: plan.engine, product: plan.product, image: details.image, container: details.name },
    volume: target.volume, driver: volumeInfo?.driver ?? 'local', options: maskSecrets(volumeInfo?.options ?? {}), labels: volumeInfo?.labels ?? {},
    bytes: result.sqlBytes, files: 1, archiveBytes: result.compressedBytes, sha256: result.sha256,
    engineVersion: engineInfo.version, createdAt: new Date().toISOString(),
  };
  fs.writeFileSync(manifestFileName(file), `${JSON.stringify(manifest, null, 2)}\n`);
  const deleted = applyRetention(ctx, folder, target.volume, 'dump', file, options.keep);
  ctx.backupsTree.markVerified(file, true);
  ctx.backupsTree.refresh();
  if (!options.quiet) void vscode.window.showInformationMessage(vscode.l10n.t('Dumped {0} ({1}): {2} of SQL → {3} ({4}).', details.name, plan.product, formatBytes(result.sqlBytes), formatBytes(result.compressedBytes), path.basename(file)));
  return { file, manifest, deleted };
}

export interface DumpRestoreOptions {
  file?: string;
  /** The running database container to replay the dump into. */
  container?: string;
  password?: string;
  /** Skip the confirmation (tests, scripted use). */
  confirm?: boolean;
}

async function restoreDumpCommand(ctx: CommandContext, file: string, options: DumpRestoreOptions): Promise<{ container: string; errors: string[] } | undefined> {
  const manifest = readManifest(file);
  const candidates = (await runningDatabases(ctx))
    .filter(d => !manifest?.database || d.engine === manifest.database.engine || (d.engine !== 'postgres' && manifest.database.engine !== 'postgres'))
    .filter(d => !options.container || d.container.name === options.container || d.container.id.startsWith(options.container));
  if (!candidates.length) {
    throw new DockerError('notFound', vscode.l10n.t('No running {0} container to restore {1} into. Start one (a new volume gives an empty server), then restore again.', manifest?.database?.product ?? 'PostgreSQL / MySQL / MariaDB', path.basename(file)), 'restore dump');
  }
  const preferred = candidates.filter(d => d.container.name === manifest?.database?.container || d.volume === manifest?.volume);
  const target = await pickDatabase([...preferred, ...candidates.filter(d => !preferred.includes(d))], vscode.l10n.t('Database container to restore {0} into', path.basename(file)));
  if (!target) return undefined;
  const details = await ctx.daemon.use(client => client.inspectContainer(target.container.id));
  let plan = databasePlan(target.engine, details.env, details.name, options.password);
  if (plan.needsPassword) {
    const password = await rootPassword(plan.product, details.name);
    if (password === undefined) return undefined;
    plan = databasePlan(target.engine, details.env, details.name, password);
  }
  if (!options.confirm) {
    const replay = vscode.l10n.t('Restore');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Replay {0} into {1} ({2})?', path.basename(file), details.name, plan.product),
      { modal: true, detail: vscode.l10n.t('The databases in the dump are dropped and created again with the dump\'s content; other databases of the server are left alone. The file is checked first: a damaged dump changes nothing.') },
      replay);
    if (choice !== replay) return undefined;
  }
  ctx.log.cli(restoreDumpLine(plan, file, ctx.daemon.cliTarget));
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Restoring {0} into {1}', path.basename(file), details.name), cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    let last = 0;
    return ctx.daemon.use(client => restoreDump(client, details.id, plan.restore, file, {
      ...(manifest ? { expectedSha256: manifest.sha256 } : {}), signal: controller.signal,
      onBytes: bytes => {
        if (Date.now() - last < 200) return;
        last = Date.now();
        progress.report({ message: vscode.l10n.t('{0} of SQL replayed', formatBytes(bytes)) });
      },
    }));
  });
  for (const line of result.errors) ctx.log.warn(`restore ${path.basename(file)}: ${line}`);
  if (result.errors.length) {
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showWarningMessage(vscode.l10n.t('Restored {0} into {1}, but {2} statements failed; the first: {3}', path.basename(file), details.name, result.errors.length, result.errors[0] ?? ''), showLog)
      .then(choice => { if (choice === showLog) ctx.log.channel.show(true); });
  } else {
    void vscode.window.showInformationMessage(vscode.l10n.t('Restored {0} into {1}: {2} of SQL replayed without errors.', path.basename(file), details.name, formatBytes(result.sqlBytes)));
  }
  return { container: details.name, errors: result.errors };
}

async function toggleScheduleCommand(ctx: CommandContext, arg?: unknown): Promise<boolean | undefined> {
  const volume = volumeName(arg) ?? await pickVolume(ctx, vscode.l10n.t('Volume to back up regularly'));
  if (!volume) return undefined;
  const config = vscode.workspace.getConfiguration(SETTINGS.section);
  const scheduled = config.get<string[]>(SETTINGS.scheduledVolumes, []);
  const on = !scheduled.includes(volume);
  // A machine-scoped setting: only the user's settings may schedule work on the daemon, never a repository's.
  await config.update(SETTINGS.scheduledVolumes, on ? [...scheduled, volume] : scheduled.filter(v => v !== volume), vscode.ConfigurationTarget.Global);
  const hours = boundedSetting(config.get<unknown>(SETTINGS.scheduleIntervalHours), SETTING_BOUNDS['backup.scheduleIntervalHours']);
  const open = vscode.l10n.t('Open Settings');
  void vscode.window.showInformationMessage(on
    ? vscode.l10n.t('{0} is backed up every {1} hours while VS Code runs (into {2}).', volume, hours, scheduledBackupFolder() ?? vscode.l10n.t('the backup folder'))
    : vscode.l10n.t('{0} is no longer backed up on a schedule.', volume), open)
    .then(choice => { if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS.section}.backup.schedule`); });
  ctx.log.info(`scheduled backups: ${on ? 'added' : 'removed'} ${volume}`);
  return on;
}

// --- Restore ----------------------------------------------------------------------------------------------------

export interface RestoreOptions {
  file?: string;
  target?: string;
  mode?: 'replace' | 'merge';
  consistency?: Consistency;
  /** Create the new volume with the manifest's driver and options without asking (tests). */
  acceptManifestDriver?: boolean;
  /** Content the archive may expand to; past it the restore fails without asking (tests). */
  maxContentBytes?: number;
  /** Entries the archive may hold; past it the restore fails without asking (tests). */
  maxEntries?: number;
}

/**
 * The content limit for a restore, after a look at the free space where the daemon will write: when the
 * backup is larger than that space, the user is told both figures and asked. undefined: declined.
 */
async function restoreSpaceLimit(ctx: CommandContext, file: string, target: string, exists: boolean, create: { driver?: string } | undefined, manifest: BackupManifest | undefined): Promise<number | undefined> {
  const archiveBytes = fs.statSync(file).size;
  const limit = contentLimit(archiveBytes, manifest?.bytes);
  // Another driver keeps its data elsewhere (a share, a plugin): the daemon's disk says nothing about it.
  const local = exists ? (await ctx.daemon.use(c => c.inspectVolume(target))).driver === 'local' : !create?.driver || create.driver === 'local';
  const config = vscode.workspace.getConfiguration(SETTINGS.section);
  const networkMode = config.get<string>(SETTINGS.runNetworkMode, '');
  const free = local ? await ctx.daemon.use(c => volumeFreeBytes(c, exists ? target : undefined, { shellImage: helperRun().image, ...(networkMode ? { networkMode } : {}), labels: { [LABELS.managed]: '1' } })).catch(() => undefined) : undefined;
  const decision = spaceDecision(manifest ? limit : archiveBytes, limit, free);
  ctx.log.info(`restore ${path.basename(file)}: content limit ${limit} bytes, ${free === undefined ? 'free space on the daemon unknown' : `${free} bytes free on the daemon`}`);
  if (decision.kind === 'fits') return decision.limit;
  const anyway = vscode.l10n.t('Restore Anyway');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} holds {1}, but the daemon\'s disk has {2} free where {3} would be restored.', path.basename(file), formatBytes(decision.expected), formatBytes(decision.free), target),
    { modal: true, detail: vscode.l10n.t('Restoring past the free space fills the daemon\'s disk, and the containers that write to it fail. Free some space first (the disk usage view shows what takes it), or restore anyway if you know the figure is wrong.') },
    anyway);
  return choice === anyway ? decision.limit : undefined;
}

/**
 * How a new volume is created from a manifest: a plain local one silently; another driver or options only
 * after the user saw them; host binds, devices and shares never. null: the user declined.
 */
async function volumeFromManifest(file: string, target: string, manifest: BackupManifest, accepted: boolean): Promise<{ driver?: string; driverOpts?: Record<string, string>; labels: Record<string, string> } | null> {
  const decision = manifestVolumeDecision(manifest);
  if (decision.kind === 'refuse') {
    throw new DockerError('invalid', vscode.l10n.t('The manifest of {0} asks for a volume mounted from a host path, device or share ({1}). A backup file never chooses where Docker writes: create {2} yourself, then restore into it.', path.basename(file), maskSecrets({ o: decision.option }).o ?? '', target), 'restore');
  }
  if (decision.kind === 'plain') return { labels: manifest.labels };
  if (!accepted) {
    const shown = Object.entries(maskSecrets(decision.options)).map(([k, v]) => `${k}=${v}`).join('\n');
    const use = vscode.l10n.t('Use These Options');
    const plain = vscode.l10n.t('Plain Local Volume');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('The manifest of {0} asks to create {1} with the driver {2} and these options. Use them?', path.basename(file), target, decision.driver),
      { modal: true, detail: `${shown}\n\n${vscode.l10n.t('These values come from the file beside the archive, not from the daemon. Only use them if you made this backup.')}` },
      use, plain);
    if (!choice) return null;
    if (choice === plain) return { labels: manifest.labels };
  }
  return { driver: decision.driver, driverOpts: decision.options, labels: manifest.labels };
}

function backupFileArg(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'backup' in arg) return (arg as { backup: { file: string } }).backup.file;
  if (arg && typeof arg === 'object' && 'file' in arg) return (arg as { file: string }).file;
  return undefined;
}

async function pickBackup(): Promise<string | undefined> {
  const backups = listBackups(configuredBackupFolder());
  const browse = vscode.l10n.t('Browse…');
  const pick = await vscode.window.showQuickPick([
    ...backups.map(b => ({ label: path.basename(b.file), description: `${b.volume} · ${formatBytes(b.bytes)}`, file: b.file })),
    { label: browse, file: '' },
  ], { placeHolder: vscode.l10n.t('Backup to restore') });
  if (!pick) return undefined;
  if (pick.file) return pick.file;
  const chosen = await vscode.window.showOpenDialog({ canSelectFiles: true, filters: { [vscode.l10n.t('Volume backups and database dumps')]: ['gz', 'tgz'] } });
  return chosen?.[0]?.fsPath;
}

async function restoreCommand(ctx: CommandContext, arg?: unknown, extra?: unknown): Promise<{ target: string; mode: RestoreMode; files: number } | undefined> {
  const options: RestoreOptions = (extra && typeof extra === 'object' ? extra : arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) && !('backup' in arg) ? arg : {});
  const file = options.file ?? backupFileArg(arg) ?? await pickBackup();
  if (!file) return undefined;
  refuseWorkspaceFileWhenRestricted(file, [manifestFileName(file)]);
  if (isDumpFile(file)) {
    const restored = await restoreDumpCommand(ctx, file, (extra && typeof extra === 'object' ? extra : {}));
    return restored && { target: restored.container, mode: 'merge', files: 1 };
  }
  const manifest = readManifest(file);
  await ctx.model.refresh({ sizes: 'skip' }); // decide new / existing on the daemon's current state
  const names = ctx.model.volumes.map(v => v.name);
  const suggested = manifest?.volume ?? path.basename(file).replace(/_\d{8}_\d{6}\.tar\.gz$/, '').replace(/\.t(ar\.)?gz$/, '');
  const target = options.target ?? await vscode.window.showInputBox({
    title: vscode.l10n.t('Restore {0}', path.basename(file)),
    prompt: vscode.l10n.t('Volume to restore into: a new name creates it; an existing one is replaced or merged, after a check of the archive.'),
    value: names.includes(suggested) ? `${suggested}-restored` : suggested,
    validateInput: v => { const p = checkVolumeName(v); return p && p.problem !== 'exists' ? vscode.l10n.t('Use letters, digits, "_", "." and "-", starting with a letter or digit.') : undefined; },
  });
  if (!target) return undefined;
  const exists = names.includes(target);
  const create = exists || !manifest ? undefined : await volumeFromManifest(file, target, manifest, options.acceptManifestDriver === true);
  if (create === null) return undefined;
  let mode: RestoreMode = 'new';
  let running: { id: string; name: string }[] = [];
  let consistency: Consistency = 'live';
  if (exists) {
    const holds = await ctx.daemon.use(client => measureVolume(client, target));
    if (holds.files <= 1) mode = 'merge'; // empty ('.' only): nothing to replace
    else if (options.mode) mode = options.mode;
    else {
      const replace = vscode.l10n.t('Replace (Empty It First)');
      const merge = vscode.l10n.t('Merge');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} already holds {1} entries ({2}).', target, holds.files - 1, formatBytes(holds.contentBytes)),
        { modal: true, detail: vscode.l10n.t('Replace: its content is deleted, then the backup restored. Merge: the backup is added, same-named files are overwritten. Either way the archive is checked first; a bad archive leaves the volume as it is.') },
        replace, merge);
      if (!choice) return undefined;
      mode = choice === replace ? 'replace' : 'merge';
    }
    ({ choice: consistency, running } = await consistencyChoice(ctx, target, options.consistency, 'restore'));
    if (consistency === 'cancel') return undefined;
  }
  const limit = options.maxContentBytes ?? await restoreSpaceLimit(ctx, file, target, exists, create, manifest);
  if (limit === undefined) return undefined;
  const config = vscode.workspace.getConfiguration(SETTINGS.section);
  const entries = options.maxEntries ?? entryLimit(fs.statSync(file).size, manifest?.files);
  const restoreOnce = (maxContentBytes: number | undefined, maxEntries: number | undefined) => vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Restoring {0} into {1}', path.basename(file), target), cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    // The lines shown are those of what is done: the volume created as `create` says, after any docker stop.
    const work = () => {
      for (const line of restoreLines(target, file, mode, helperRun(), ctx.daemon.cliTarget, create)) ctx.log.cli(line);
      return ctx.daemon.use(client => runRestore(client, {
      archive: file, target, mode, ...(maxContentBytes !== undefined ? { maxContentBytes } : {}), ...(maxEntries !== undefined ? { maxEntries } : {}),
      ...(manifest ? { expectedSha256: manifest.sha256 } : {}),
      ...(create ? { create } : {}),
      shellImage: config.get<string>(SETTINGS.backupShellImage, 'busybox'),
      ...(config.get<string>(SETTINGS.runNetworkMode, '') ? { networkMode: config.get<string>(SETTINGS.runNetworkMode, '') } : {}),
      labels: { [LABELS.managed]: '1' },
    }, { signal: controller.signal, onProgress: progressReporter(progress) }));
    };
    return consistency === 'stop' ? withStopped(ctx, running, work) : work();
  });
  let result;
  try {
    result = await restoreOnce(limit, entries);
  } catch (err) {
    if (!(err instanceof DockerError && err.reason?.id === 'archiveTooLarge')) throw err;
    // Past its manifest's figure the archive is not the backup it claims to be: no question then.
    const anyway = vscode.l10n.t('Restore Without Limit');
    const choice = options.maxContentBytes !== undefined || options.maxEntries !== undefined || manifest ? undefined : await vscode.window.showWarningMessage(dockerErrorMessage(err, ctx.daemon.endpoint), {
      modal: true, detail: vscode.l10n.t('Restore it whole only if you know where it comes from and the daemon\'s disk has room for it.'),
    }, anyway);
    if (choice !== anyway) throw err;
    result = await restoreOnce(undefined, undefined);
  }
  await ctx.model.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Restored {0} entries ({1}) into {2}; checked: the volume now holds {3} entries.', result.files, formatBytes(result.contentBytes), target, result.targetFiles));
  return { target, mode, files: result.files };
}

// --- Verify, clone, delete, reveal, export -----------------------------------------------------------------------------

async function verifyCommand(ctx: CommandContext, arg?: unknown): Promise<{ ok: boolean; message: string } | undefined> {
  const file = backupFileArg(arg) ?? await pickBackup();
  if (!file) return undefined;
  refuseWorkspaceFileWhenRestricted(file, [manifestFileName(file)]);
  const manifest = readManifest(file);
  try {
    if (isDumpFile(file)) {
      const dump = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0}', path.basename(file)) },
        () => verifyDump(file, manifest?.sha256));
      const agrees = !manifest || manifest.bytes === dump.sqlBytes;
      const text = agrees
        ? vscode.l10n.t('{0} is sound: {1} of SQL{2}.', path.basename(file), formatBytes(dump.sqlBytes), manifest ? vscode.l10n.t(', checksum as in its manifest') : '')
        : vscode.l10n.t('{0} reads fine but differs from its manifest ({1} of SQL instead of {2}).', path.basename(file), formatBytes(dump.sqlBytes), formatBytes(manifest.bytes));
      ctx.backupsTree.markVerified(file, agrees);
      if (agrees) void vscode.window.showInformationMessage(text);
      else void vscode.window.showWarningMessage(text);
      return { ok: agrees, message: text };
    }
    const check = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0}', path.basename(file)) },
      () => verifyArchive(file, manifest ? { expectedSha256: manifest.sha256 } : {}));
    const countsAgree = !manifest || (manifest.files === check.files && manifest.bytes === check.contentBytes);
    const message = countsAgree
      ? vscode.l10n.t('{0} is sound: {1} entries, {2}{3}.', path.basename(file), check.files, formatBytes(check.contentBytes), manifest ? vscode.l10n.t(', checksum as in its manifest') : '')
      : vscode.l10n.t('{0} reads fine but differs from its manifest ({1} entries instead of {2}).', path.basename(file), check.files, manifest.files);
    ctx.backupsTree.markVerified(file, countsAgree);
    if (countsAgree) void vscode.window.showInformationMessage(message);
    else void vscode.window.showWarningMessage(message);
    return { ok: countsAgree, message };
  } catch (err) {
    if (!(err instanceof DockerError)) throw err;
    ctx.backupsTree.markVerified(file, false);
    const message = dockerErrorMessage(err, ctx.daemon.endpoint);
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot be restored: {1}', path.basename(file), message));
    return { ok: false, message };
  }
}

async function cloneCommand(ctx: CommandContext, arg?: unknown, extra?: unknown): Promise<{ target: string; files: number } | undefined> {
  const options = (extra ?? (arg && typeof arg === 'object' && !(arg instanceof VolumeItem) && !('row' in arg) ? arg : {})) as { volume?: string; target?: string };
  const source = options.volume ?? volumeName(arg) ?? await pickVolume(ctx, vscode.l10n.t('Volume to clone'));
  if (!source) return undefined;
  await ctx.model.refresh({ sizes: 'skip' });
  const names = ctx.model.volumes.map(v => v.name);
  const target = options.target ?? await vscode.window.showInputBox({ title: vscode.l10n.t('Clone {0}', source), prompt: vscode.l10n.t('Name of the new volume'), value: `${source}-copy`,
    validateInput: v => (checkVolumeName(v, names) ? vscode.l10n.t('Use letters, digits, "_", "." and "-", starting with a letter or digit, and a name not taken.') : undefined) });
  if (!target) return undefined;
  if (checkVolumeName(target, names)) throw new DockerError('invalid', vscode.l10n.t('Cannot clone into {0}: the name is invalid or taken.', target), 'clone');
  const info = await ctx.daemon.use(client => client.inspectVolume(source));
  const clone = { name: target, driver: info.driver, driverOpts: info.options, labels: { ...info.labels, 'volumes-lab.cloned-from': source } };
  for (const line of cloneLines(source, clone, helperRun(), ctx.daemon.cliTarget)) ctx.log.cli(line);
  await ctx.daemon.use(client => client.createVolume(clone));
  try {
    const copied = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Cloning {0} into {1}', source, target), cancellable: true }, (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return ctx.daemon.use(client => copyVolumeContent(client, source, target, { signal: controller.signal, onProgress: progressReporter(progress) }));
    });
    await ctx.model.refresh();
    void vscode.window.showInformationMessage(vscode.l10n.t('Cloned {0} into {1}: {2} entries, {3}.', source, target, copied.files, formatBytes(copied.contentBytes)));
    return { target, files: copied.files };
  } catch (err) {
    await ctx.daemon.use(client => client.removeVolume(target, { force: true })).catch(() => undefined);
    throw err;
  }
}

async function deleteBackupCommand(ctx: CommandContext, arg?: unknown, extra?: unknown): Promise<boolean> {
  const file = backupFileArg(arg);
  if (!file) return false;
  if (!(extra as { confirm?: boolean } | undefined)?.confirm) {
    const remove = vscode.l10n.t('Delete');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Delete the backup {0}?', path.basename(file)), { modal: true }, remove);
    if (choice !== remove) return false;
  }
  fs.rmSync(file, { force: true });
  fs.rmSync(manifestFileName(file), { force: true });
  ctx.backupsTree.refresh();
  return true;
}

async function revealBackupCommand(_ctx: CommandContext, arg?: unknown): Promise<void> {
  const file = backupFileArg(arg);
  if (file) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
}

async function exportScriptCommand(ctx: CommandContext, options?: { volumes?: string[]; folder?: string }): Promise<vscode.TextDocument | undefined> {
  await ctx.model.ensureLoaded();
  const volumes = options?.volumes ?? (await vscode.window.showQuickPick(ctx.model.rows.filter(r => !r.volume.anonymous).map(r => r.volume.name), { canPickMany: true, placeHolder: vscode.l10n.t('Volumes the script backs up') }));
  if (!volumes?.length) return undefined;
  const folder = options?.folder ?? await backupFolder();
  if (!folder) return undefined;
  const { script, crontab } = backupScript(volumes, folder, vscode.workspace.getConfiguration(SETTINGS.section).get<RetentionRule>(SETTINGS.backupKeep, {}), helperRun(), ctx.daemon.cliTarget);
  const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: `${script}\n# ${vscode.l10n.t('Save as {0}, make it executable (chmod +x), and add this line with crontab -e:', path.join(folder, 'backup-volumes.sh'))}\n# ${crontab}\n` });
  await vscode.window.showTextDocument(doc);
  return doc;
}

export const backupCommands: Record<string, CommandHandler> = {
  [COMMANDS.backupVolume]: backupCommand,
  [COMMANDS.dumpDatabase]: dumpCommand,
  [COMMANDS.toggleSchedule]: toggleScheduleCommand,
  [COMMANDS.restoreBackup]: restoreCommand,
  [COMMANDS.verifyBackup]: verifyCommand,
  [COMMANDS.cloneVolume]: cloneCommand,
  [COMMANDS.deleteBackup]: deleteBackupCommand,
  [COMMANDS.revealBackup]: revealBackupCommand,
  [COMMANDS.refreshBackups]: ctx => ctx.backupsTree.refresh(),
  [COMMANDS.exportBackupScript]: (ctx, options) => exportScriptCommand(ctx, options as { volumes?: string[]; folder?: string } | undefined),
};
