import * as path from 'node:path';
import * as vscode from 'vscode';
import { SETTINGS } from '../constants';
import { databasePlan, detectDatabase, type DatabasePlan } from '../core/databases';
import type { ContainerDetails } from '../core/engineTypes';
import type { Progress } from '../docker/tarCounting';
import { restorableKind } from '../docker/backupFolderScan';
import { isLocalFileError } from '../docker/errors';
import type { DatabaseContainer } from '../flows/backupFiles';
import type { RunningContainer } from '../flows/flowDeps';
import {
  configuredBackupFolder,
  listRestorable,
  scheduledBackupFolder,
  withoutManifestText,
} from '../services/backupFolder';
import { askPath } from '../services/pathPrompt';
import { throttled, transferReporter, type ReportProgress } from '../services/progress';
import { settingId } from '../services/settings';
import type { CommandContext } from './registry';
import { createVolume } from './volumes';
import { askModal, showNotice, sizeText } from '../messages';

/** The prompts and plumbing shared by the backup, dump, restore and clone commands. */

export type Consistency = 'stop' | 'live' | 'dump' | 'cancel';

/** For a daemon with no volume yet: an empty list to pick from teaches nothing, so say what is missing and offer it. */
export function offerFirstVolume(ctx: CommandContext): () => Promise<void> {
  return async () => {
    const create = vscode.l10n.t('Create Volume…');
    const choice = await showNotice(
      'info',
      vscode.l10n.t('This Docker daemon has no volume yet: create one, put data in it, then back it up.'),
      create,
    );
    if (choice === create) await createVolume(ctx);
  };
}

/** A failure of the backup folder names the setting that chose it, so the message offers to change it. */
export async function namingBackupFolder<T>(work: () => T | PromiseLike<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isLocalFileError(err)) err.inSetting(settingId(SETTINGS.backupFolder));
    throw err;
  }
}

/** Archive progress as "12 MB · 3 entries · 4 MB/s". */
export function archiveProgress(report: ReportProgress): (p: Progress) => void {
  return transferReporter(report);
}

/** SQL progress of a dump ("… of SQL · … /s") or of its replay ("… of SQL replayed"). */
export function sqlProgress(report: ReportProgress, replay: boolean): (bytes: number) => void {
  const started = Date.now();
  return throttled((bytes) =>
    report(
      replay
        ? vscode.l10n.t('{0} of SQL replayed', sizeText(bytes))
        : vscode.l10n.t(
            '{0} of SQL · {1}/s',
            sizeText(bytes),
            sizeText(bytes / Math.max(0.001, (Date.now() - started) / 1000)),
          ),
    ),
  );
}

/**
 * Running containers that use `volume`: asks whether to stop them for the operation, go on live, or
 * cancel; for a database container, a logical dump is offered too.
 */
export async function consistencyChoice(
  users: { id: string; name: string; image: string }[],
  volume: string,
  chosen: Consistency | undefined,
  what: 'backup' | 'restore',
): Promise<{ choice: Consistency; running: RunningContainer[] }> {
  const running = users.map((c) => ({ id: c.id, name: c.name }));
  if (!running.length) return { choice: 'live', running };
  if (chosen) return { choice: chosen, running };
  const names = running.map((c) => c.name).join(', ');
  const stop = vscode.l10n.t('Stop, Then Start Again');
  const live = vscode.l10n.t('Go On Live');
  const database = what === 'backup' ? users.map((c) => detectDatabase(c.image)).find(Boolean) : undefined;
  const dump = database
    ? vscode.l10n.t('Dump the Database ({0})', database === 'postgres' ? 'pg_dumpall' : 'mysqldump')
    : undefined;
  const pick = await askModal(
    what === 'backup'
      ? vscode.l10n.t('{0} is used by running containers: {1}.', volume, names)
      : vscode.l10n.t(
          '{0} is used by running containers: {1}. Restoring under a running app can break it.',
          volume,
          names,
        ),
    {
      detail: database
        ? vscode.l10n.t(
            'A database copied while it writes may not start from the copy. Stop it for a consistent file copy (it is started again afterwards), or take a logical dump (.sql.gz) while it runs.',
          )
        : vscode.l10n.t(
            'Stopping them gives a consistent copy; a database copied while it writes may not start from the copy. They are started again afterwards.',
          ),
    },
    ...[stop, live, ...(dump ? [dump] : [])],
  );
  return {
    choice: pick === stop ? 'stop' : pick === live ? 'live' : pick && pick === dump ? 'dump' : 'cancel',
    running,
  };
}

export async function pickDatabase(
  candidates: DatabaseContainer[],
  placeHolder: string,
): Promise<DatabaseContainer | undefined> {
  if (candidates.length <= 1) return candidates[0];
  const pick = await vscode.window.showQuickPick(
    candidates.map((d) => ({ label: d.container.name, description: `${d.container.image} · ${d.volume}`, d })),
    { placeHolder },
  );
  return pick?.d;
}

/** The database's plan with its credentials, asking for the root password where its environment lacks it. */
export async function planWithPassword(
  ctx: CommandContext,
  target: DatabaseContainer,
  password: string | undefined,
): Promise<{ plan: DatabasePlan; details: ContainerDetails } | undefined> {
  const details = await ctx.daemon.use((client) => client.inspectContainer(target.container.id));
  let plan = databasePlan(target.engine, details.env, details.name, password);
  if (plan.needsPassword) {
    const given = await vscode.window.showInputBox({
      title: vscode.l10n.t('{0} root password', plan.product),
      password: true,
      ignoreFocusOut: true,
      prompt: vscode.l10n.t(
        '{0} does not show its root password in its environment. It is passed to the tool through MYSQL_PWD, never on a command line, and not stored.',
        details.name,
      ),
    });
    if (given === undefined) return undefined;
    plan = databasePlan(target.engine, details.env, details.name, given);
  }
  return { plan, details };
}

/**
 * A backup file picked among every archive and dump of the backup folder and of the scheduled backups' folder (the
 * Backups view lists both), named as ours or not, with or without a manifest; or typed, or browsed to.
 */
export function pickBackup(
  ctx: CommandContext,
  placeHolder = vscode.l10n.t('Backup to restore'),
): Promise<string | undefined> {
  const folders = new Set([configuredBackupFolder(), scheduledBackupFolder(ctx.scheduledBackupDefault)]);
  return askPath({
    placeHolder,
    want: 'file',
    choices: [...folders]
      .flatMap((folder) => listRestorable(folder))
      .sort((a, b) => b.date.getTime() - a.date.getTime())
      .map((b) => ({
        label: path.basename(b.file),
        description: [
          ...(b.volume ? [b.volume] : []),
          sizeText(b.bytes),
          ...(b.manifest ? [] : [vscode.l10n.t('no manifest')]),
        ].join(' · '),
        ...(b.manifest ? {} : { detail: withoutManifestText(b.kind) }),
        path: b.file,
      })),
    check: (file) =>
      restorableKind(file)
        ? undefined
        : vscode.l10n.t('{0} is not a backup: Restore takes .tar.gz, .tgz and .sql.gz files.', path.basename(file)),
    filters: { [vscode.l10n.t('Volume backups and database dumps')]: ['gz', 'tgz'] },
    fileKinds: vscode.l10n.t('.tar.gz, .tgz or .sql.gz file'),
  });
}
