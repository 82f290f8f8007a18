/** Removing volumes: one or a selection, with a preview of the containers using each and a choice for those. */
import * as vscode from 'vscode';
import { removeContainerLine, stopLine, volumeRemoveLine } from '../core/cliActions';
import { readCommandArgument } from '../core/commandArguments';
import { containersUsing, formatBytes } from '../core/volumeModel';
import { DockerError } from '../docker/errors';
import type { ContainerSummary } from '../core/engineTypes';
import type { CommandContext } from './registry';
import { cliTarget, volumesArgument } from './volumeArguments';
import { askModal, countText, showNotice } from '../messages';

export interface RemoveOptions {
  names?: string[];
  /** Skip the confirmation (tests, scripted use). */
  confirm?: boolean;
  /** When a volume is in use by stopped containers only: remove those containers first. */
  removeStoppedContainers?: boolean;
  /** When running containers use a volume: stop and remove them, then the volume (else it is kept). */
  removeRunningContainers?: boolean;
}

export interface RemoveResult {
  removed: string[];
  kept: { name: string; reason: string }[];
  removedContainers: string[];
}

export async function removeVolumes(ctx: CommandContext, arg?: unknown, selection?: unknown): Promise<RemoveResult> {
  const { options } = readCommandArgument<RemoveOptions>(arg);
  const names = options.names ?? (await volumesArgument(ctx, arg, selection, vscode.l10n.t('Volume to remove')));
  const result: RemoveResult = { removed: [], kept: [], removedContainers: [] };
  if (!names.length) return result;
  await ctx.model.refresh({ sizes: 'skip' });
  let removeRunning = options.removeRunningContainers;
  let targets = names;
  if (!options.confirm) {
    const answer = await confirmRemoval(ctx, names);
    if (!answer) return result;
    targets = answer.names;
    removeRunning = answer.removeRunning;
  }
  const inUse = { ...options, ...(removeRunning !== undefined ? { removeRunningContainers: removeRunning } : {}) };
  for (const name of targets) await removeOne(ctx, name, inUse, result);
  await ctx.model.refresh();
  reportRemoval(result);
  return result;
}

/** Removes one volume; one gone meanwhile is kept with why, one in use goes through `removeInUse`. */
async function removeOne(
  ctx: CommandContext,
  name: string,
  options: RemoveOptions,
  result: RemoveResult,
): Promise<void> {
  ctx.log.cli(volumeRemoveLine(name, cliTarget(ctx)));
  try {
    await ctx.daemon.use((client) => client.removeVolume(name));
    result.removed.push(name);
  } catch (err) {
    if (!(err instanceof DockerError)) throw err;
    if (err.kind === 'notFound') result.kept.push({ name, reason: vscode.l10n.t('it no longer exists') });
    else if (err.kind === 'conflict') await removeInUse(ctx, name, options, result);
    else throw err;
  }
}

function reportRemoval(result: RemoveResult): void {
  if (result.removed.length) {
    void showNotice(
      'info',
      result.removed.length === 1
        ? vscode.l10n.t('Volume {0} removed.', result.removed[0]!)
        : vscode.l10n.t('{0} volumes removed.', result.removed.length),
    );
  }
  for (const kept of result.kept)
    void showNotice('warning', vscode.l10n.t('Volume {0} was kept: {1}.', kept.name, kept.reason));
}

const isRunning = (c: ContainerSummary) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting';

/**
 * Asks before removing: when running containers use some of the volumes, the question says so and
 * offers what can be done (stop and remove those containers with the volume, remove only the free
 * volumes, or cancel) instead of a Remove that Docker would then refuse.
 */
async function confirmRemoval(
  ctx: CommandContext,
  names: string[],
): Promise<{ names: string[]; removeRunning: boolean } | undefined> {
  const busy = names.filter((n) => containersUsing(ctx.model.containers, n).some(isRunning));
  const lines = removalLines(ctx, names);
  if (busy.length) return confirmBusyRemoval(ctx, names, busy, lines);
  const remove = vscode.l10n.t('Remove');
  const choice = await askModal(
    names.length === 1
      ? vscode.l10n.t('Remove volume {0} and all its data?', names[0]!)
      : vscode.l10n.t('Remove {0} volumes and all their data?', names.length),
    { detail: `${lines}\n\n${vscode.l10n.t('This cannot be undone.')}` },
    remove,
  );
  return choice === remove ? { names, removeRunning: false } : undefined;
}

/** One line per volume: its size, and the containers using it, running or not. */
function removalLines(ctx: CommandContext, names: string[]): string {
  const sizeOf = (n: string) => {
    const size = ctx.model.row(n)?.size;
    return size !== undefined && size >= 0 ? ` (${formatBytes(size)})` : '';
  };
  return names
    .map((n) => {
      const users = containersUsing(ctx.model.containers, n);
      const running = users
        .filter(isRunning)
        .map((c) => c.name)
        .join(', ');
      const stopped = users
        .filter((c) => !isRunning(c))
        .map((c) => c.name)
        .join(', ');
      return `• ${n}${sizeOf(n)}${running ? ` — ${vscode.l10n.t('in use by running containers: {0}', running)}` : ''}${stopped ? ` — ${vscode.l10n.t('used by {0}', stopped)}` : ''}`;
    })
    .join('\n');
}

/** Some volumes are in use by running containers: offer to remove those containers too, or only the free volumes. */
async function confirmBusyRemoval(
  ctx: CommandContext,
  names: string[],
  busy: string[],
  lines: string,
): Promise<{ names: string[]; removeRunning: boolean } | undefined> {
  const containers = [...new Set(busy.flatMap((n) => containersUsing(ctx.model.containers, n).map((c) => c.name)))];
  const stopAndRemove = vscode.l10n.t('Stop and Remove the Containers, Then the Volume');
  const free = names.filter((n) => !busy.includes(n));
  const onlyFree = free.length
    ? countText(
        free.length,
        vscode.l10n.t('Remove Only {0}, the Volume Not in Use', free[0]!),
        vscode.l10n.t('Remove Only the {0} Volumes Not in Use', free.length),
      )
    : undefined;
  const choice = await askModal(
    busyQuestion(ctx, names, busy),
    {
      detail: `${lines}\n\n${vscode.l10n.t('Stopping is not enough: a stopped container still holds its volumes. You can stop and remove these containers ({0}), then the volumes and all their data. This cannot be undone.', containers.join(', '))}`,
    },
    ...[stopAndRemove, ...(onlyFree ? [onlyFree] : [])],
  );
  if (choice === stopAndRemove) return { names, removeRunning: true };
  if (choice && choice === onlyFree) return { names: free, removeRunning: false };
  return undefined;
}

function busyQuestion(ctx: CommandContext, names: string[], busy: string[]): string {
  if (names.length === 1)
    return vscode.l10n.t(
      'Volume {0} is in use by running containers ({1}): Docker will not remove it while a container refers to it.',
      names[0]!,
      containersUsing(ctx.model.containers, names[0]!)
        .filter(isRunning)
        .map((c) => c.name)
        .join(', '),
    );
  return countText(
    busy.length,
    vscode.l10n.t(
      '{0} of these {1} volumes is in use by running containers: Docker will not remove it while a container refers to it.',
      busy.length,
      names.length,
    ),
    vscode.l10n.t(
      '{0} of these {1} volumes are in use by running containers: Docker will not remove them while a container refers to them.',
      busy.length,
      names.length,
    ),
  );
}

/** A volume in use: name the containers; remove them with it when the user agreed, else keep it. */
// eslint-disable-next-line max-lines-per-function -- moved to a flow in a parallel change
async function removeInUse(
  ctx: CommandContext,
  name: string,
  options: RemoveOptions,
  result: RemoveResult,
): Promise<boolean> {
  const containers = containersUsing(await ctx.daemon.use((client) => client.listContainers({ all: true })), name);
  const running = containers.filter(isRunning);
  const list = (cs: typeof containers) => cs.map((c) => c.name).join(', ');
  if (running.length && !options.removeRunningContainers) {
    result.kept.push({
      name,
      reason: vscode.l10n.t('running containers use it ({0}); stop them first', list(running)),
    });
    return false;
  }
  for (const c of running) {
    ctx.log.cli(stopLine(c.name, cliTarget(ctx)));
    await ctx.daemon.use((client) => client.stopContainer(c.id));
  }
  const stopped = containers;
  let removeThem = running.length ? true : options.removeStoppedContainers;
  if (removeThem === undefined) {
    const both = vscode.l10n.t('Remove Containers and Volume');
    const choice = await askModal(
      vscode.l10n.t('Volume {0} is used by stopped containers: {1}.', name, list(stopped)),
      {
        detail: vscode.l10n.t(
          'Docker keeps a volume while any container refers to it, even a stopped one. Remove these containers, then the volume?',
        ),
      },
      both,
    );
    removeThem = choice === both;
  }
  if (!removeThem) {
    result.kept.push({ name, reason: vscode.l10n.t('stopped containers use it ({0})', list(stopped)) });
    return false;
  }
  for (const c of stopped) {
    ctx.log.cli(removeContainerLine(c.name, false, cliTarget(ctx)));
    await ctx.daemon.use((client) => client.removeContainer(c.id));
    result.removedContainers.push(c.name);
  }
  ctx.log.cli(volumeRemoveLine(name, cliTarget(ctx)));
  await ctx.daemon.use((client) => client.removeVolume(name));
  result.removed.push(name);
  return true;
}
