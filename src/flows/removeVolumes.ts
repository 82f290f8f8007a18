/**
 * Removing volumes the user chose: each one that Docker refuses because containers refer to it is removed with those
 * containers only when the caller agreed (running ones stopped first), else kept with the reason in words.
 */
import { removeContainerLine, volumeRemoveLine } from '../core/cliActions';
import type { ContainerSummary } from '../core/engineTypes';
import { containersUsing } from '../core/volumeModel';
import { DockerError } from '../docker/errors';
import { stopContainers } from './containerStops';
import type { FlowDeps } from './flowDeps';

/** What to do with the containers that hold a volume; running ones are never stopped unless said. */
export interface VolumeRemovalChoices {
  /** When running containers use a volume: stop and remove them, then the volume (else it is kept). */
  removeRunningContainers?: boolean;
  /** When a volume is in use by stopped containers only: remove those containers first (undefined: ask). */
  removeStoppedContainers?: boolean;
  /** Asked when only stopped containers hold `volume` and `removeStoppedContainers` says nothing. */
  confirmStoppedContainers(volume: string, containers: string[]): PromiseLike<boolean>;
}

export interface RemoveResult {
  removed: string[];
  kept: { name: string; reason: string }[];
  removedContainers: string[];
}

export const isRunning = (c: Pick<ContainerSummary, 'state'>) =>
  c.state === 'running' || c.state === 'paused' || c.state === 'restarting';

const names = (cs: ContainerSummary[]) => cs.map((c) => c.name).join(', ');

/** Removes `volumes` one by one; one gone meanwhile or held against the choices is kept, with why. */
export async function removeVolumesFlow(
  deps: FlowDeps,
  volumes: string[],
  choices: VolumeRemovalChoices,
): Promise<RemoveResult> {
  const result: RemoveResult = { removed: [], kept: [], removedContainers: [] };
  for (const name of volumes) {
    deps.log.cli(volumeRemoveLine(name, deps.daemon.cliTarget));
    try {
      await deps.daemon.use((client) => client.removeVolume(name));
      result.removed.push(name);
    } catch (err) {
      if (!(err instanceof DockerError)) throw err;
      if (err.kind === 'notFound') result.kept.push({ name, reason: deps.l10n.t('it no longer exists') });
      else if (err.kind === 'conflict') await removeInUse(deps, name, choices, result);
      else throw err;
    }
  }
  return result;
}

/** A volume in use: name the containers; remove them with it when the caller agreed, else keep it. */
async function removeInUse(deps: FlowDeps, name: string, choices: VolumeRemovalChoices, result: RemoveResult) {
  const containers = containersUsing(await deps.daemon.use((client) => client.listContainers({ all: true })), name);
  const running = containers.filter(isRunning);
  if (running.length && !choices.removeRunningContainers) {
    const reason = deps.l10n.t('running containers use it ({0}); stop them first', names(running));
    result.kept.push({ name, reason });
    return;
  }
  // Stopping is not enough (a stopped container still holds its volumes): with the user's yes they are removed too.
  const removeThem = running.length
    ? true
    : (choices.removeStoppedContainers ??
      (await choices.confirmStoppedContainers(
        name,
        containers.map((c) => c.name),
      )));
  if (!removeThem) {
    result.kept.push({ name, reason: deps.l10n.t('stopped containers use it ({0})', names(containers)) });
    return;
  }
  await removeHolders(deps, containers, running, result);
  deps.log.cli(volumeRemoveLine(name, deps.daemon.cliTarget));
  await deps.daemon.use((client) => client.removeVolume(name));
  result.removed.push(name);
}

async function removeHolders(
  deps: FlowDeps,
  containers: ContainerSummary[],
  running: ContainerSummary[],
  result: RemoveResult,
): Promise<void> {
  await stopContainers(deps, running);
  for (const c of containers) {
    deps.log.cli(removeContainerLine(c.name, false, deps.daemon.cliTarget));
    await deps.daemon.use((client) => client.removeContainer(c.id));
    result.removedContainers.push(c.name);
  }
}
