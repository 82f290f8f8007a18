/** Removing volumes: one or a selection, with a preview of the containers using each and a choice for those. */
import * as vscode from 'vscode';
import { readCommandArgument } from '../core/commandArguments';
import { containersUsing } from '../core/volumeModel';
import { isRunning, removeVolumesFlow, type RemoveResult } from '../flows/removeVolumes';
import { flowDeps, type CommandContext } from './registry';
import { volumesArgument } from './volumeArguments';
import { askModal, countText, showNotice, sizeText } from '../messages';

export interface RemoveOptions {
  names?: string[];
  /** Skip the confirmation (tests, scripted use). */
  confirm?: boolean;
  /** When a volume is in use by stopped containers only: remove those containers first. */
  removeStoppedContainers?: boolean;
  /** When running containers use a volume: stop and remove them, then the volume (else it is kept). */
  removeRunningContainers?: boolean;
}

export async function removeVolumes(ctx: CommandContext, arg?: unknown, selection?: unknown): Promise<RemoveResult> {
  const { options } = readCommandArgument<RemoveOptions>(arg);
  const names = options.names ?? (await volumesArgument(ctx, arg, selection, vscode.l10n.t('Volume to remove')));
  if (!names.length) return { removed: [], kept: [], removedContainers: [] };
  await ctx.model.refresh({ sizes: 'skip' });
  const answer = options.confirm
    ? { names, removeRunning: options.removeRunningContainers }
    : await confirmRemoval(ctx, names);
  if (!answer) return { removed: [], kept: [], removedContainers: [] };
  const result = await removeVolumesFlow(flowDeps(ctx), answer.names, {
    ...(answer.removeRunning !== undefined ? { removeRunningContainers: answer.removeRunning } : {}),
    ...(options.removeStoppedContainers !== undefined
      ? { removeStoppedContainers: options.removeStoppedContainers }
      : {}),
    confirmStoppedContainers: askRemoveStoppedContainers,
  });
  await ctx.model.refresh();
  reportRemoval(result);
  return result;
}

/** Docker keeps a volume while any container refers to it: asks whether to remove the stopped ones holding it. */
async function askRemoveStoppedContainers(name: string, containers: string[]): Promise<boolean> {
  const both = vscode.l10n.t('Remove Containers and Volume');
  const choice = await askModal(
    vscode.l10n.t('Volume {0} is used by stopped containers: {1}.', name, containers.join(', ')),
    {
      detail: vscode.l10n.t(
        'Docker keeps a volume while any container refers to it, even a stopped one. Remove these containers, then the volume?',
      ),
    },
    both,
  );
  return choice === both;
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
    return size !== undefined && size >= 0 ? ` (${sizeText(size)})` : '';
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
      const inUse = running ? ` — ${vscode.l10n.t('in use by running containers: {0}', running)}` : '';
      const usedBy = stopped ? ` — ${vscode.l10n.t('used by {0}', stopped)}` : '';
      return `• ${n}${sizeOf(n)}${inUse}${usedBy}`;
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
  const warning = vscode.l10n.t(
    'Stopping is not enough: a stopped container still holds its volumes. You can stop and remove these containers ({0}), then the volumes and all their data. This cannot be undone.',
    containers.join(', '),
  );
  const choice = await askModal(
    busyQuestion(ctx, names, busy),
    { detail: `${lines}\n\n${warning}` },
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
