import * as path from 'node:path';
import * as vscode from 'vscode';
import { dumpReplayConcerns, type DumpReplayConcern, type DumpSource } from '../core/backupTrust';
import type { BackupManifest } from '../core/backups';
import { dumpTargets, type DatabaseEngine, type DatabasePlan } from '../core/databases';
import type { ContainerDetails } from '../core/engineTypes';
import { DockerError } from '../docker/errors';
import { runningDatabases } from '../flows/backupFiles';
import type { DumpRestoreResult } from '../docker/dump';
import { dumpOrigin, restoreDumpFlow, type DumpOrigin } from '../flows/restore';
import { readManifest } from '../services/backupFolder';
import { withCancellableProgress } from '../services/progress';
import { pickDatabase, planWithPassword, sqlProgress } from './backupPrompts';
import { askModal, countText, showNotice, sizeText } from '../messages';
import { flowDeps, type CommandContext } from './registry';

/** Restore of a `.sql.gz` dump: replayed into a running database container of its engine, after a question. */

export interface DumpRestoreOptions {
  /** The running database container to replay the dump into. */
  container?: string;
  password?: string;
  /**
   * Skip the question before a dump this extension wrote from the target's own image, not chosen by a compose file
   * (test mode only); any other is always asked about.
   */
  confirm?: boolean;
}

export async function restoreDumpCommand(
  ctx: CommandContext,
  file: string,
  options: DumpRestoreOptions,
): Promise<{ container: string; errors: string[] } | undefined> {
  const manifest = readManifest(file);
  const candidates = dumpTargets(await runningDatabases(flowDeps(ctx), undefined, options.container), manifest);
  if (!candidates.length) throw noDatabaseFor(file, manifest);
  const origin = await withCancellableProgress(vscode.l10n.t('Checking {0}', path.basename(file)), (_report, signal) =>
    dumpOrigin(file, manifest, (sha256) => ctx.writtenDumps.knows(sha256), signal),
  );
  if (!origin.recorded)
    ctx.log.warn(`restore ${path.basename(file)}: not a dump this extension wrote (${origin.sha256})`);
  const target = await pickDatabase(
    candidates,
    vscode.l10n.t('Database container to restore {0} into', path.basename(file)),
  );
  const planned = target && (await planWithPassword(ctx, target, options.password));
  if (!planned || !(await replayAccepted(ctx, file, origin, planned, options.confirm))) return undefined;
  const { plan, details } = planned;
  const result = await withCancellableProgress(
    vscode.l10n.t('Restoring {0} into {1}', path.basename(file), details.name),
    (report, signal) =>
      restoreDumpFlow(flowDeps(ctx), {
        file,
        manifest,
        sha256: origin.sha256,
        details,
        plan,
        signal,
        onBytes: sqlProgress(report, true),
      }),
  );
  reportDumpRestore(ctx, file, details.name, result);
  return { container: details.name, errors: result.errors };
}

function noDatabaseFor(file: string, manifest: BackupManifest | undefined): DockerError {
  return new DockerError(
    'notFound',
    vscode.l10n.t(
      'No running {0} container to restore {1} into. Start one (a new volume gives an empty server), then restore again.',
      manifest?.database?.product ?? 'PostgreSQL / MySQL / MariaDB',
      path.basename(file),
    ),
    'restore dump',
  );
}

/**
 * Whether the dump's SQL may run: a dump this extension wrote is asked about unless a script asked not to be and
 * nothing about it deserves a look; any other dump is always asked about, with a warning.
 */
async function replayAccepted(
  ctx: CommandContext,
  file: string,
  origin: DumpOrigin,
  { plan, details }: { plan: DatabasePlan; details: ContainerDetails },
  confirm: boolean | undefined,
): Promise<boolean> {
  if (!origin.recorded) return confirmUnrecordedReplay(file, details.name, plan.product);
  // "Written here" says the file is what a dump tool printed, not that the tool was one the user chose.
  const source = ctx.writtenDumps.sourceOf(origin.sha256);
  const concerns = dumpReplayConcerns(source, details);
  if (confirm && !concerns.length) return true;
  return confirmReplay(file, details.name, plan.engine, source, concerns);
}

/** Says how the replay went: the SQL replayed, or how many statements failed and the first failure. */
function reportDumpRestore(ctx: CommandContext, file: string, container: string, result: DumpRestoreResult): void {
  if (!result.errors.length) {
    void showNotice(
      'info',
      vscode.l10n.t(
        'Restored {0} into {1}: {2} of SQL replayed without errors.',
        path.basename(file),
        container,
        sizeText(result.sqlBytes),
      ),
    );
    return;
  }
  const showLog = vscode.l10n.t('Show Log');
  void showNotice(
    'warning',
    vscode.l10n.t(
      'Restored {0} into {1}, but {2} failed; the first: {3}',
      path.basename(file),
      container,
      countText(
        result.errors.length,
        vscode.l10n.t('{0} statement', result.errors.length),
        vscode.l10n.t('{0} statements', result.errors.length),
      ),
      result.errors[0] ?? '',
    ),
    showLog,
  ).then((choice) => {
    if (choice === showLog) ctx.log.channel.show(true);
  });
}

/**
 * A dump this extension wrote: where it came from, what its replay replaces (the dump tool's own flags say it), and
 * why it is asked about when a script asked not to be (`concerns`).
 */
async function confirmReplay(
  file: string,
  container: string,
  engine: DatabaseEngine,
  source: DumpSource | undefined,
  concerns: DumpReplayConcern[],
): Promise<boolean> {
  const replay = vscode.l10n.t('Restore');
  const choice = await askModal(
    vscode.l10n.t('Replay {0} into {1}?', path.basename(file), container),
    {
      detail: [
        vscode.l10n.t(
          'This extension wrote this dump on this machine ({0}). Each database it holds is dropped and created again with its content, and the users and roles it holds get back the rights and passwords they had; databases that are not in it stay as they are. The file is checked first: a damaged dump changes nothing.',
          engine === 'postgres' ? 'pg_dumpall --clean --if-exists' : 'mysqldump --all-databases --add-drop-database',
        ),
        ...(source
          ? [
              vscode.l10n.t(
                'It was dumped from the container {0}, image {1} ({2}).',
                source.container,
                source.image,
                source.imageId.replace(/^sha256:/, '').slice(0, 12),
              ),
            ]
          : []),
        ...concerns.map((c) => concernText(c)),
      ].join('\n\n'),
    },
    replay,
  );
  return choice === replay;
}

/** Why a dump this extension wrote still deserves a look before its SQL runs. */
function concernText(concern: DumpReplayConcern): string {
  switch (concern.kind) {
    case 'sourceUnknown':
      return vscode.l10n.t(
        'This machine did not record which container and image wrote it (an older version of this extension dumped it): its SQL is what that image printed.',
      );
    case 'composeImage':
      return vscode.l10n.t(
        'Its image was chosen by the compose file {0}, a file a repository ships: the SQL in the dump is what that image printed, and it runs as the database superuser. Replay it only if you trust that image.',
        concern.files.join(', '),
      );
    case 'otherImage':
      return vscode.l10n.t(
        'It comes from the image {0}, and the container it goes into runs {1}, another image: SQL that one image printed is replayed into a server of another.',
        concern.sourceImage,
        concern.targetImage,
      );
  }
}

/**
 * A dump this extension did not write (planted in a folder, copied from elsewhere, or changed since): its SQL is
 * replayed only after a warning that names what it can do, with declining as the default answer.
 */
async function confirmUnrecordedReplay(file: string, container: string, product: string): Promise<boolean> {
  const decline = vscode.l10n.t('Do Not Replay');
  const replay = vscode.l10n.t('Replay Unknown SQL');
  const choice = await askModal(
    vscode.l10n.t(
      '{0} was not written by this extension on this machine. Replay its SQL into {1} ({2}) anyway?',
      path.basename(file),
      container,
      product,
    ),
    {
      detail: vscode.l10n.t(
        "Its SQL runs as the database superuser: it can drop or change any database of the server, not only those it names, change users and passwords, and run shell commands in the database container (psql's \\! and COPY … PROGRAM, the mysql client's system). A manifest beside it proves nothing: anyone can write one. Replay it only if you know who made it and what it holds.",
      ),
    },
    decline,
    replay,
  );
  return choice === replay;
}
