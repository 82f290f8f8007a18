import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../constants';
import { backupScript, commentLines, manifestFileName, type RetentionRule, scheduleInterval } from '../core/backups';
import { readCommandArgument } from '../core/commandArguments';
import { DockerError } from '../docker/errors';
import { backupArchiveFlow, dumpFlow, type BackupResult } from '../flows/backup';
import { runningDatabases, runningUsers } from '../flows/backupFiles';
import { ensureWritableFolder } from '../flows/backupFolderCheck';
import { cloneFlow } from '../flows/restore';
import { verifyBackupFlow, type VerifyOutcome } from '../flows/verify';
import { askModal, dockerErrorMessage, entriesText, localNumber, showNotice, sizeText } from '../messages';
import {
  announceWorkspaceBackupFolder,
  backupFolder,
  readManifest,
  scheduledBackupFolder,
} from '../services/backupFolder';
import { withCancellableProgress } from '../services/progress';
import { helperRun, settingId, settings, settingWriters } from '../services/settings';
import { refuseWorkspaceFileWhenRestricted } from '../services/workspaceTrust';
import { checkVolumeName } from '../core/naming';
import { realPathOf } from '../core/pathConfinement';
import {
  archiveProgress,
  consistencyChoice,
  namingBackupFolder,
  pickBackup,
  pickDatabase,
  offerFirstVolume,
  planWithPassword,
  sqlProgress,
  type Consistency,
} from './backupPrompts';
import { askNewVolumeName } from './createVolumePrompts';
import { flowDeps, type CommandContext, type CommandHandler } from './registry';
import { restoreCommands } from './restore';
import { volumeArgument } from './volumeArguments';

export interface BackupOptions {
  volume?: string;
  folder?: string;
  consistency?: Consistency;
  /** Instead of the retention setting (tests). */
  keep?: RetentionRule;
}

/**
 * The backup folder (given, or the setting's, or asked for), checked writable before anything is stopped, and named
 * first when the workspace's settings chose it.
 */
async function writableFolder(ctx: CommandContext, given: string | undefined): Promise<string | undefined> {
  const folder = given ?? (await backupFolder());
  if (!folder) return undefined;
  await namingBackupFolder(() => ensureWritableFolder(folder));
  if (!given) announceWorkspaceBackupFolder(folder, ctx.log);
  return folder;
}

export async function backupCommand(ctx: CommandContext, arg?: unknown): Promise<BackupResult | undefined> {
  const a = readCommandArgument<BackupOptions>(arg);
  // The Backups view's title bar starts it too, where the Volumes view's selection is stale: asked, not taken.
  const volume = await volumeArgument(ctx, arg, {
    placeHolder: vscode.l10n.t('Volume to back up'),
    whenNone: offerFirstVolume(ctx),
    focusedRow: false,
  });
  if (!volume) return undefined;
  const folder = await writableFolder(ctx, a.options.folder);
  if (!folder) return undefined;
  const deps = flowDeps(ctx);
  const { choice, running } = await consistencyChoice(
    await runningUsers(deps, volume),
    volume,
    a.options.consistency,
    'backup',
  );
  if (choice === 'cancel') return undefined;
  if (choice === 'dump')
    return dumpCommand(ctx, { volume, folder, ...(a.options.keep ? { keep: a.options.keep } : {}) });
  const result = await namingBackupFolder(() =>
    withCancellableProgress(vscode.l10n.t('Backing up {0}', volume), (report, signal) =>
      backupArchiveFlow(deps, {
        volume,
        folder,
        stop: choice === 'stop' ? running : [],
        level: settings.backupLevel(),
        keep: a.options.keep ?? settings.backupKeep(),
        helper: helperRun(),
        signal,
        onProgress: archiveProgress(report),
      }),
    ),
  );
  ctx.backupsTree.markVerified(result.file, true);
  ctx.backupsTree.refresh();
  reportBackup(volume, result);
  return result;
}

function reportBackup(volume: string, { file, manifest }: BackupResult): void {
  void showNotice(
    'info',
    vscode.l10n.t(
      'Backed up {0}: {1}, {2} → {3} ({4}).',
      volume,
      entriesText(manifest.files),
      sizeText(manifest.bytes),
      sizeText(manifest.archiveBytes),
      realPathOf(file, fs.realpathSync),
    ),
  );
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
}

function noRunningDatabase(volume: string | undefined): DockerError {
  return new DockerError(
    'notFound',
    volume
      ? vscode.l10n.t(
          'No running PostgreSQL, MySQL or MariaDB container uses {0}. A dump asks the running server: start its container first.',
          volume,
        )
      : vscode.l10n.t(
          'No running PostgreSQL, MySQL or MariaDB container. A dump asks the running server: start its container first.',
        ),
    'dump',
  );
}

export async function dumpCommand(ctx: CommandContext, arg?: unknown): Promise<BackupResult | undefined> {
  const a = readCommandArgument<DumpOptions>(arg);
  const volume = a.options.volume ?? a.volume ?? a.text;
  const candidates = await runningDatabases(flowDeps(ctx), volume, a.options.container ?? a.container?.name);
  if (!candidates.length) throw noRunningDatabase(volume);
  const target = await pickDatabase(candidates, vscode.l10n.t('Database to dump'));
  const folder = target && (await writableFolder(ctx, a.options.folder));
  const planned = target && folder && (await planWithPassword(ctx, target, a.options.password));
  if (!target || !folder || !planned) return undefined;
  const { plan, details } = planned;
  const result = await namingBackupFolder(() =>
    withCancellableProgress(vscode.l10n.t('Dumping {0} ({1})', details.name, plan.tool), (report, signal) =>
      dumpFlow(flowDeps(ctx), {
        target,
        plan,
        details,
        folder,
        level: settings.backupLevel(),
        keep: a.options.keep ?? settings.backupKeep(),
        signal,
        onBytes: sqlProgress(report, false),
      }),
    ),
  );
  ctx.backupsTree.markVerified(result.file, true);
  ctx.backupsTree.refresh();
  void showNotice(
    'info',
    vscode.l10n.t(
      'Dumped {0} ({1}): {2} of SQL → {3} ({4}).',
      details.name,
      plan.product,
      sizeText(result.manifest.bytes),
      sizeText(result.manifest.archiveBytes),
      realPathOf(result.file, fs.realpathSync),
    ),
  );
  return result;
}

export async function toggleScheduleCommand(ctx: CommandContext, arg?: unknown): Promise<boolean | undefined> {
  const volume = await volumeArgument(ctx, arg, {
    placeHolder: vscode.l10n.t('Volume to back up regularly'),
    whenNone: offerFirstVolume(ctx),
    focusedRow: false,
  });
  if (!volume) return undefined;
  const scheduled = settings.scheduledVolumes();
  const on = !scheduled.includes(volume);
  // Only the user's settings may schedule work on the daemon, never a repository's.
  await settingWriters.scheduledVolumes(on ? [...scheduled, volume] : scheduled.filter((v) => v !== volume));
  const open = vscode.l10n.t('Open Settings');
  void showNotice(
    'info',
    on
      ? vscode.l10n.t(
          '{0} is backed up {1} while VS Code runs (into {2}).',
          volume,
          intervalText(settings.scheduleIntervalHours()),
          scheduledBackupFolder(ctx.scheduledBackupDefault) ?? vscode.l10n.t('the backup folder'),
        )
      : vscode.l10n.t('{0} is no longer backed up on a schedule.', volume),
    open,
  ).then((choice) => {
    if (choice === open)
      void vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS.section}.backup.schedule`);
  });
  ctx.log.info(`scheduled backups: ${on ? 'added' : 'removed'} ${volume}`);
  return on;
}

// --- Verify, clone, delete, reveal, export ---------------------------------------------------------------------

/** What a verified backup holds, and whether that agrees with its manifest, in words. */
function verifyText(file: string, outcome: VerifyOutcome): string {
  const name = path.basename(file);
  const { manifest } = outcome;
  const asInManifest = manifest ? vscode.l10n.t(', checksum as in its manifest') : '';
  if (outcome.kind === 'dump')
    return outcome.agrees || !manifest
      ? vscode.l10n.t('{0} is sound: {1} of SQL{2}.', name, sizeText(outcome.sqlBytes), asInManifest)
      : vscode.l10n.t(
          '{0} reads fine but differs from its manifest ({1} of SQL instead of {2}).',
          name,
          sizeText(outcome.sqlBytes),
          sizeText(manifest.bytes),
        );
  return outcome.agrees || !manifest
    ? vscode.l10n.t(
        '{0} is sound: {1}, {2}{3}.',
        name,
        entriesText(outcome.files),
        sizeText(outcome.contentBytes),
        asInManifest,
      )
    : vscode.l10n.t(
        '{0} reads fine but differs from its manifest ({1} instead of {2}).',
        name,
        entriesText(outcome.files),
        entriesText(manifest.files),
      );
}

async function verifyCommand(
  ctx: CommandContext,
  arg?: unknown,
): Promise<{ ok: boolean; message: string } | undefined> {
  const a = readCommandArgument<{ file: string }>(arg);
  const file = a.options.file ?? a.file ?? a.text ?? (await pickBackup(ctx));
  if (!file) return undefined;
  refuseWorkspaceFileWhenRestricted(file, [manifestFileName(file)]);
  try {
    const outcome = await withCancellableProgress(
      vscode.l10n.t('Checking {0}', path.basename(file)),
      (_report, signal) => verifyBackupFlow(file, readManifest(file), signal),
    );
    const text = verifyText(file, outcome);
    ctx.backupsTree.markVerified(file, outcome.agrees);
    void showNotice(outcome.agrees ? 'info' : 'warning', text);
    return { ok: outcome.agrees, message: text };
  } catch (err) {
    // A cancelled check says nothing about the file: no mark, no message (the command wrapper is silent on it).
    if (!(err instanceof DockerError) || err.kind === 'cancelled') throw err;
    ctx.backupsTree.markVerified(file, false);
    const message = dockerErrorMessage(err, ctx.daemon.endpoint);
    void showNotice('error', vscode.l10n.t('{0} cannot be restored: {1}', path.basename(file), message));
    return { ok: false, message };
  }
}

async function cloneCommand(
  ctx: CommandContext,
  arg?: unknown,
  extra?: unknown,
): Promise<{ target: string; files: number } | undefined> {
  const a = readCommandArgument<{ volume: string; target: string }>(arg, extra);
  const prompt = { placeHolder: vscode.l10n.t('Volume to clone'), whenNone: offerFirstVolume(ctx), focusedRow: false };
  const source = await volumeArgument(ctx, arg, prompt, extra);
  if (!source) return undefined;
  await ctx.model.refresh({ sizes: 'skip' });
  const names = ctx.model.volumes.map((v) => v.name);
  const target =
    a.options.target ?? (await askNewVolumeName(vscode.l10n.t('Clone {0}', source), names, `${source}-copy`));
  if (!target) return undefined;
  if (checkVolumeName(target, names))
    throw new DockerError(
      'invalid',
      vscode.l10n.t('Cannot clone into {0}: the name is invalid or taken.', target),
      'clone',
    );
  const copied = await withCancellableProgress(
    vscode.l10n.t('Cloning {0} into {1}', source, target),
    (report, signal) =>
      cloneFlow(flowDeps(ctx), { source, target, helper: helperRun(), signal, onProgress: archiveProgress(report) }),
  );
  await ctx.model.refresh();
  void showNotice(
    'info',
    vscode.l10n.t(
      'Cloned {0} into {1}: {2}, {3}.',
      source,
      target,
      entriesText(copied.files),
      sizeText(copied.contentBytes),
    ),
  );
  return { target, files: copied.files };
}

async function deleteBackupCommand(ctx: CommandContext, arg?: unknown, extra?: unknown): Promise<boolean> {
  const a = readCommandArgument<{ file: string; confirm: boolean }>(arg, extra);
  const file = a.options.file ?? a.file ?? a.text ?? (await pickBackup(ctx, vscode.l10n.t('Backup to delete')));
  if (!file) return false;
  if (!a.options.confirm) {
    const remove = vscode.l10n.t('Delete');
    const choice = await askModal(vscode.l10n.t('Delete the backup {0}?', path.basename(file)), {}, remove);
    if (choice !== remove) return false;
  }
  fs.rmSync(file, { force: true });
  fs.rmSync(manifestFileName(file), { force: true });
  ctx.backupsTree.refresh();
  return true;
}

async function revealBackupCommand(ctx: CommandContext, arg?: unknown): Promise<void> {
  const a = readCommandArgument<{ file: string }>(arg);
  const file = a.options.file ?? a.file ?? a.text ?? (await pickBackup(ctx, vscode.l10n.t('Backup to reveal')));
  if (file) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
}

export async function exportScriptCommand(
  ctx: CommandContext,
  arg?: unknown,
): Promise<vscode.TextDocument | undefined> {
  const { options } = readCommandArgument<{ volumes: string[]; folder: string }>(arg);
  await ctx.model.ensureLoaded();
  const volumes =
    options.volumes ??
    (await vscode.window.showQuickPick(
      ctx.model.rows.filter((r) => !r.volume.anonymous).map((r) => r.volume.name),
      { canPickMany: true, placeHolder: vscode.l10n.t('Volumes the script backs up') },
    ));
  if (!volumes?.length) return undefined;
  const folder = options.folder ?? (await backupFolder());
  if (!folder) return undefined;
  // A line break in the folder (a workspace can set it) would end the comment below and start a command.
  if ([...folder].some((c) => c < ' ' || c === '\u007f')) {
    const setting = settingId(SETTINGS.backupFolder);
    const why = vscode.l10n.t(
      'The backup folder {0} holds a line break or another control character: a script or crontab line cannot name it safely. Choose another folder in the setting {1}.',
      JSON.stringify(folder),
      setting,
    );
    throw new DockerError('invalid', why, 'export script').inSetting(setting);
  }
  const { script, crontab } = backupScript(volumes, folder, settings.backupKeep(), helperRun(), ctx.daemon.cliTarget);
  const howTo = vscode.l10n.t(
    'Save as {0}, make it executable (chmod +x), and add this line with crontab -e:',
    path.join(folder, 'backup-volumes.sh'),
  );
  const doc = await vscode.workspace.openTextDocument({
    language: 'shellscript',
    content: `${script}\n${commentLines(howTo)}\n${commentLines(crontab)}\n`,
  });
  await vscode.window.showTextDocument(doc);
  return doc;
}

export const backupCommands: Record<string, CommandHandler> = {
  [COMMANDS.backupVolume]: backupCommand,
  [COMMANDS.dumpDatabase]: dumpCommand,
  [COMMANDS.toggleSchedule]: toggleScheduleCommand,
  ...restoreCommands,
  [COMMANDS.verifyBackup]: verifyCommand,
  [COMMANDS.cloneVolume]: cloneCommand,
  [COMMANDS.deleteBackup]: deleteBackupCommand,
  [COMMANDS.revealBackup]: revealBackupCommand,
  [COMMANDS.refreshBackups]: (ctx) => ctx.backupsTree.refresh(),
  [COMMANDS.exportBackupScript]: exportScriptCommand,
};

function intervalText(hours: number): string {
  const { unit, count } = scheduleInterval(hours);
  if (unit === 'hour') return vscode.l10n.t('every hour');
  if (unit === 'minute') return vscode.l10n.t('every minute');
  return unit === 'hours'
    ? vscode.l10n.t('every {0} hours', localNumber(count))
    : vscode.l10n.t('every {0} minutes', localNumber(count));
}
