import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import { manifestVolumeDecision } from '../core/backupTrust';
import { isDumpFile, manifestFileName, type BackupManifest } from '../core/backups';
import { readCommandArgument } from '../core/commandArguments';
import { checkVolumeName } from '../core/naming';
import { maskSecrets } from '../core/networkVolumes';
import type { SpaceDecision } from '../core/restoreLimits';
import type { RestoreMode, RestoreResult } from '../docker/restore';
import { DockerError } from '../docker/errors';
import { runningUsers } from '../flows/backupFiles';
import type { RunningContainer } from '../flows/flowDeps';
import { restoreArchiveFlow, volumeHolds, type VolumeCreation } from '../flows/restore';
import { restoreSpace } from '../flows/restoreSpace';
import { askModal, dockerErrorMessage, entriesText, showNotice, sizeText } from '../messages';
import { readManifest, withoutManifestText } from '../services/backupFolder';
import { withCancellableProgress } from '../services/progress';
import { helperRun } from '../services/settings';
import { refuseWorkspaceFileWhenRestricted } from '../services/workspaceTrust';
import { archiveProgress, consistencyChoice, pickBackup, type Consistency } from './backupPrompts';
import { flowDeps, type CommandContext, type CommandHandler } from './registry';
import { restoreDumpCommand, type DumpRestoreOptions } from './restoreDump';

export interface RestoreOptions {
  file?: string;
  target?: string;
  mode?: 'replace' | 'merge';
  consistency?: Consistency;
  /** Create the new volume with the manifest's driver, options and labels without asking (test mode only). */
  acceptManifestDriver?: boolean;
  /** Content the archive may expand to; past it the restore fails without asking (test mode only). */
  maxContentBytes?: number;
  /** Entries the archive may hold; past it the restore fails without asking (test mode only). */
  maxEntries?: number;
}

type RestoreAnswer = { target: string; mode: RestoreMode; files: number } | undefined;

export async function restoreCommand(ctx: CommandContext, arg?: unknown, extra?: unknown): Promise<RestoreAnswer> {
  const a = readCommandArgument<RestoreOptions & DumpRestoreOptions>(arg, extra);
  const file = a.options.file ?? a.file ?? a.text ?? (await pickBackup(ctx));
  if (!file) return undefined;
  refuseWorkspaceFileWhenRestricted(file, [manifestFileName(file)]);
  if (isDumpFile(file)) {
    const restored = await restoreDumpCommand(ctx, file, a.options);
    return restored && { target: restored.container, mode: 'merge', files: 1 };
  }
  const manifest = readManifest(file);
  // However the file was chosen (listed, typed, browsed, from the Backups view), the user learns what is not checked.
  if (!manifest) {
    ctx.log.info(`${path.basename(file)}: ${withoutManifestText('archive')}`);
    void showNotice('info', `${path.basename(file)}: ${withoutManifestText('archive')}`);
  }
  await ctx.model.refresh({ sizes: 'skip' }); // decide new / existing on the daemon's current state
  const names = ctx.model.volumes.map((v) => v.name);
  const target = a.options.target ?? (await askTarget(file, manifest, names));
  if (!target) return undefined;
  const exists = names.includes(target);
  const create =
    exists || !manifest
      ? undefined
      : await volumeFromManifest(file, target, manifest, a.options.acceptManifestDriver === true);
  if (create === null) return undefined;
  const how = exists ? await askHowToRestore(ctx, target, a.options) : { mode: 'new' as const, stop: [] };
  if (!how) return undefined;
  const plan = { file, target, manifest, create, ...how };
  const limits = await restoreBounds(ctx, plan, exists, a.options);
  if (!limits) return undefined;
  const result = await restoreWithinLimit(
    ctx,
    plan,
    limits,
    a.options.maxContentBytes !== undefined || a.options.maxEntries !== undefined,
  );
  await ctx.model.refresh();
  reportRestore(target, result);
  return { target, mode: how.mode, files: result.files };
}

function reportRestore(target: string, result: { files: number; contentBytes: number; targetFiles: number }): void {
  void showNotice(
    'info',
    vscode.l10n.t(
      'Restored {0} ({1}) into {2}; checked: the volume now holds {3}.',
      entriesText(result.files),
      sizeText(result.contentBytes),
      target,
      entriesText(result.targetFiles),
    ),
  );
}

function askTarget(file: string, manifest: BackupManifest | undefined, names: string[]): Thenable<string | undefined> {
  const suggested =
    manifest?.volume ??
    path
      .basename(file)
      .replace(/_\d{8}_\d{6}\.tar\.gz$/, '')
      .replace(/\.t(ar\.)?gz$/, '');
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Restore {0}', path.basename(file)),
    prompt: vscode.l10n.t(
      'Volume to restore into: a new name creates it; an existing one is replaced or merged, after a check of the archive.',
    ),
    value: names.includes(suggested) ? `${suggested}-restored` : suggested,
    validateInput: (v) => {
      const p = checkVolumeName(v);
      return p && p.problem !== 'exists'
        ? vscode.l10n.t('Use letters, digits, "_", "." and "-", starting with a letter or digit.')
        : undefined;
    },
  });
}

/** Into an existing volume: replace or merge (asked when it holds something), and what to do with its running users. */
async function askHowToRestore(
  ctx: CommandContext,
  target: string,
  options: RestoreOptions,
): Promise<{ mode: RestoreMode; stop: RunningContainer[] } | undefined> {
  const holds = await volumeHolds(flowDeps(ctx), target);
  let mode: RestoreMode;
  if (holds.files <= 1)
    mode = 'merge'; // empty ('.' only): nothing to replace
  else if (options.mode) mode = options.mode;
  else {
    const replace = vscode.l10n.t('Replace (Empty It First)');
    const merge = vscode.l10n.t('Merge');
    const choice = await askModal(
      vscode.l10n.t('{0} already holds {1} ({2}).', target, entriesText(holds.files - 1), sizeText(holds.contentBytes)),
      {
        detail: vscode.l10n.t(
          'Replace: its content is deleted, then the backup restored. Merge: the backup is added, same-named files are overwritten. Either way the archive is checked first; a bad archive leaves the volume as it is.',
        ),
      },
      replace,
      merge,
    );
    if (!choice) return undefined;
    mode = choice === replace ? 'replace' : 'merge';
  }
  const { choice, running } = await consistencyChoice(
    await runningUsers(flowDeps(ctx), target),
    target,
    options.consistency,
    'restore',
  );
  if (choice === 'cancel') return undefined;
  return { mode, stop: choice === 'stop' ? running : [] };
}

type RestorePlan = {
  file: string;
  target: string;
  manifest: BackupManifest | undefined;
  create: VolumeCreation | undefined;
  mode: RestoreMode;
  stop: RunningContainer[];
};
type Bounds = { maxContentBytes: number | undefined; maxEntries: number | undefined };

/** The content and entry limits of the restore (those given, else computed); undefined: the user declined. */
async function restoreBounds(
  ctx: CommandContext,
  plan: RestorePlan,
  exists: boolean,
  options: RestoreOptions,
): Promise<Bounds | undefined> {
  if (options.maxContentBytes !== undefined && options.maxEntries !== undefined)
    return { maxContentBytes: options.maxContentBytes, maxEntries: options.maxEntries };
  const space = await restoreSpace(flowDeps(ctx), { ...plan, exists, helper: helperRun() });
  const maxContentBytes = options.maxContentBytes ?? (await limitAfterAsking(plan, space.bytes, 'bytes'));
  if (maxContentBytes === undefined) return undefined;
  const maxEntries = options.maxEntries ?? (await limitAfterAsking(plan, space.entries, 'entries'));
  return maxEntries === undefined ? undefined : { maxContentBytes, maxEntries };
}

/**
 * The limit once the daemon's free space (or free inodes) was looked at; a backup larger than it is announced with
 * both figures and asked about. Undefined: the user declined.
 */
async function limitAfterAsking(
  plan: RestorePlan,
  decision: SpaceDecision,
  unit: 'bytes' | 'entries',
): Promise<number | undefined> {
  if (decision.kind === 'fits') return decision.limit;
  const anyway = vscode.l10n.t('Restore Anyway');
  const message =
    unit === 'bytes'
      ? vscode.l10n.t(
          "{0} holds {1}, but the daemon's disk has {2} free where {3} would be restored.",
          path.basename(plan.file),
          sizeText(decision.expected),
          sizeText(decision.free),
          plan.target,
        )
      : vscode.l10n.t(
          "{0} holds {1} files and folders, but the daemon's disk has room for only {2} more (free inodes) where {3} would be restored.",
          path.basename(plan.file),
          decision.expected.toLocaleString(),
          decision.free.toLocaleString(),
          plan.target,
        );
  const choice = await askModal(
    message,
    {
      detail: vscode.l10n.t(
        "Restoring past the free space fills the daemon's disk, and the containers that write to it fail. Free some space first (the disk usage view shows what takes it), or restore anyway if you know the figure is wrong.",
      ),
    },
    anyway,
  );
  return choice === anyway ? decision.limit : undefined;
}

/**
 * Restores within the limits; past them, asks once whether to restore without any (never past a manifest's figure, nor
 * limits given).
 */
async function restoreWithinLimit(
  ctx: CommandContext,
  plan: RestorePlan,
  bounds: Bounds,
  given: boolean,
): Promise<RestoreResult> {
  const once = (limits: Bounds) =>
    withCancellableProgress(
      vscode.l10n.t('Restoring {0} into {1}', path.basename(plan.file), plan.target),
      (report, signal) =>
        restoreArchiveFlow(flowDeps(ctx), {
          ...plan,
          ...limits,
          helper: helperRun(),
          signal,
          onProgress: archiveProgress(report),
        }),
    );
  try {
    return await once(bounds);
  } catch (err) {
    if (!(err instanceof DockerError && err.reason?.id === 'archiveTooLarge')) throw err;
    // Past its manifest's figure the archive is not the backup it claims to be: no question then.
    const anyway = vscode.l10n.t('Restore Without Limit');
    const choice =
      given || plan.manifest
        ? undefined
        : await askModal(
            dockerErrorMessage(err, ctx.daemon.endpoint),
            {
              detail: vscode.l10n.t(
                "Restore it whole only if you know where it comes from and the daemon's disk has room for it.",
              ),
            },
            anyway,
          );
    if (choice !== anyway) throw err;
    return once({ maxContentBytes: undefined, maxEntries: undefined });
  }
}

/**
 * How a new volume is created from a manifest: a plain local one with only our own labels silently; another driver,
 * options or labels only after the user saw them; host binds, devices and shares never. null: the user declined.
 */
async function volumeFromManifest(
  file: string,
  target: string,
  manifest: BackupManifest,
  accepted: boolean,
): Promise<VolumeCreation | null> {
  const decision = manifestVolumeDecision(manifest);
  if (decision.kind === 'refuse') {
    throw new DockerError(
      'invalid',
      vscode.l10n.t(
        'The manifest of {0} asks for a volume mounted from a host path, device or share ({1}). A backup file never chooses where Docker writes: create {2} yourself, then restore into it.',
        path.basename(file),
        maskSecrets({ o: decision.option }).o ?? '',
        target,
      ),
      'restore',
    );
  }
  if (decision.kind === 'plain') return { labels: decision.labels };
  const fromManifest = {
    ...(decision.driver !== 'local' || Object.keys(decision.options).length
      ? { driver: decision.driver, driverOpts: decision.options }
      : {}),
    labels: { ...decision.ownLabels, ...decision.labels },
  };
  if (accepted) return fromManifest;
  const use = vscode.l10n.t('Use These Settings');
  const plain = vscode.l10n.t('Plain Local Volume, No Labels');
  const choice = await askModal(
    vscode.l10n.t('The manifest of {0} asks to create {1} with these settings. Use them?', path.basename(file), target),
    { detail: manifestSettingsText(decision) },
    use,
    plain,
  );
  if (!choice) return null;
  return choice === plain ? { labels: decision.ownLabels } : fromManifest;
}

/** The driver, options (secrets masked) and labels a manifest asks for, one per line, and where they come from. */
function manifestSettingsText(decision: {
  driver: string;
  options: Record<string, string>;
  labels: Record<string, string>;
}): string {
  const lines = (values: Record<string, string>) => Object.entries(values).map(([k, v]) => `  ${k}=${v}`);
  const none = vscode.l10n.t('none');
  return [
    vscode.l10n.t('Driver: {0}', decision.driver),
    vscode.l10n.t('Options:'),
    ...(Object.keys(decision.options).length ? lines(maskSecrets(decision.options)) : [`  ${none}`]),
    vscode.l10n.t('Labels:'),
    ...(Object.keys(decision.labels).length ? lines(decision.labels) : [`  ${none}`]),
    '',
    vscode.l10n.t(
      "These values come from the file beside the archive, not from the daemon. Only use them if you made this backup: a label can make other tools take the volume for theirs (com.docker.compose.project makes Compose use it as a project's own).",
    ),
  ].join('\n');
}

export const restoreCommands: Record<string, CommandHandler> = {
  [COMMANDS.restoreBackup]: restoreCommand,
};
