/**
 * What the lab buttons do on the daemon, by the course's container names: stop, start or remove containers, reset a
 * module, run a command once the server in a container answers, create the container of an interactive shell. Each
 * logs the `docker` lines it stands for to `deps.log` and returns what it did; a container an earlier step should have
 * made and did not is a notFound DockerError that says to run that step.
 */
import { execLine, removeContainerLine, resetLines, shellLine, startLine, stopLine } from '../core/cliActions';
import type { ContainerSummary } from '../core/engineTypes';
import type { moduleObjects } from '../core/labs';
import { managedLabels } from '../constants';
import { DockerError, isNotFound } from '../docker/errors';
import type { FlowDeps } from './flowDeps';

/** The daemon's containers with these names (running or not), in the daemon's order; absent names are skipped. */
async function containersNamed(deps: FlowDeps, names: readonly string[]): Promise<ContainerSummary[]> {
  const all = await deps.daemon.use((client) => client.listContainers({ all: true }));
  return all.filter((c) => names.includes(c.name));
}

/** The container a step works in; missing (or stopped, when it must run) means an earlier step was not run. */
export async function labContainer(
  deps: FlowDeps,
  name: string,
  needs: { running: boolean; operation: string },
): Promise<ContainerSummary> {
  const [found] = await containersNamed(deps, [name]);
  if (found && (!needs.running || found.state === 'running')) return found;
  const message = needs.running
    ? deps.l10n.t('{0} is not running: run the previous steps first.', name)
    : deps.l10n.t('No container named {0}: run the previous step first.', name);
  throw new DockerError('notFound', message, needs.operation);
}

export interface LabContainersResult {
  /** The containers acted on; names with no container are left out. */
  containers: string[];
}

/** `docker stop` / `docker start` of the named containers that exist. */
export async function stopOrStartContainers(
  deps: FlowDeps,
  names: readonly string[],
  start: boolean,
): Promise<LabContainersResult> {
  const present = await containersNamed(deps, names);
  const containers = present.map((c) => c.name);
  if (start) deps.log.cli(startLine(containers, deps.daemon.cliTarget));
  else deps.log.cli(stopLine(containers, deps.daemon.cliTarget));
  for (const c of present)
    await deps.daemon.use((client) => (start ? client.startContainer(c.id) : client.stopContainer(c.id)));
  return { containers };
}

export type LabRemovalResult =
  { status: 'absent' } | { status: 'declined'; containers: string[] } | ({ status: 'removed' } & LabContainersResult);

/**
 * `docker rm -f` of the named containers that exist; their volumes stay. `confirm`, when given, is asked with the
 * containers found and the volumes they keep, and a no removes nothing.
 */
export async function removeLabContainers(
  deps: FlowDeps,
  names: readonly string[],
  confirm?: (containers: string[], keptVolumes: string[]) => PromiseLike<boolean>,
): Promise<LabRemovalResult> {
  const present = await containersNamed(deps, names);
  if (!present.length) return { status: 'absent' };
  const containers = present.map((c) => c.name);
  const volumes = [
    ...new Set(present.flatMap((c) => c.mounts.filter((m) => m.type === 'volume' && m.name).map((m) => m.name!))),
  ];
  if (confirm && !(await confirm(containers, volumes))) return { status: 'declined', containers };
  deps.log.cli(removeContainerLine(containers, true, deps.daemon.cliTarget));
  for (const c of present) await deps.daemon.use((client) => client.removeContainer(c.id, { force: true }));
  return { status: 'removed', containers };
}

type ModuleObjects = ReturnType<typeof moduleObjects>;

/** Every volume a reset removes: the module's named volumes, then its containers' anonymous ones. */
export function moduleVolumes(objects: ModuleObjects): string[] {
  return [...objects.volumes, ...objects.anonymous.filter((v) => !objects.volumes.includes(v))];
}

export interface ResetResult extends LabContainersResult {
  /** The volumes removed; those already gone (an anonymous one goes with its container) are not listed. */
  volumes: string[];
}

/**
 * Removes the module's containers (with their anonymous volumes, `rm -f -v`), then its volumes. One already gone is
 * no error: a reset finishes what an earlier one or the learner began. A volume another container still uses is
 * refused by Docker, and that refusal is thrown: the reset takes only what the module made.
 */
export async function resetModuleObjects(deps: FlowDeps, objects: ModuleObjects): Promise<ResetResult> {
  const present = await containersNamed(deps, objects.containers);
  const containers = present.map((c) => c.name);
  for (const line of resetLines(containers, objects.volumes, deps.daemon.cliTarget)) deps.log.cli(line);
  for (const c of present)
    await deps.daemon.use((client) => client.removeContainer(c.id, { force: true, removeVolumes: true }));
  const volumes: string[] = [];
  for (const v of moduleVolumes(objects)) {
    try {
      await deps.daemon.use((client) => client.removeVolume(v, { force: true }));
      volumes.push(v);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return { containers, volumes };
}

/** A database that has just started refuses connections for a few seconds. */
const SERVER_STARTING =
  /could not connect|starting up|not yet accepting|Connection refused|connection to server .* failed/i;

export interface LabExecResult {
  exitCode: number;
  output: string;
}

/**
 * `docker exec` in a running lab container; while the output says its server is still starting, runs it again every
 * `pauseMs` for up to `maxWaitMs`.
 */
export async function execWhenServerAnswers(
  deps: FlowDeps,
  container: string,
  command: string[],
  wait: { pauseMs: number; maxWaitMs: number } = { pauseMs: 1000, maxWaitMs: 30_000 },
): Promise<LabExecResult> {
  const target = await labContainer(deps, container, { running: true, operation: 'exec' });
  deps.log.cli(execLine(container, command, deps.daemon.cliTarget));
  let result = await deps.daemon.use((client) => client.exec(target.id, command));
  for (
    let waited = 0;
    result.exitCode !== 0 && SERVER_STARTING.test(result.output) && waited < wait.maxWaitMs;
    waited += wait.pauseMs
  ) {
    await new Promise((resolve) => setTimeout(resolve, wait.pauseMs));
    result = await deps.daemon.use((client) => client.exec(target.id, command));
  }
  return result;
}

export interface ShellContainerResult {
  /** The created (not started) tty container: the terminal attaches, then starts it. */
  id: string;
  /** The `docker run -it` line the terminal shows. */
  cli: string;
  /** Whether a container of that name was there and was removed first. */
  replaced: boolean;
}

/** Creates the tty container of `docker run -it <image> /bin/sh`, replacing one left by an earlier shell. */
export async function createShellContainer(
  deps: FlowDeps,
  module: string,
  shell: { name: string; image: string; networkMode?: string },
): Promise<ShellContainerResult> {
  const [old] = await containersNamed(deps, [shell.name]);
  if (old) {
    deps.log.cli(removeContainerLine(old.name, true, deps.daemon.cliTarget));
    await deps.daemon.use((client) => client.removeContainer(old.id, { force: true }));
  }
  const cli = shellLine(shell.name, shell.image, shell.networkMode, deps.daemon.cliTarget);
  deps.log.cli(cli);
  const created = await deps.daemon.use((client) =>
    client.runContainer({
      image: shell.image,
      name: shell.name,
      command: ['/bin/sh'],
      mounts: [],
      tty: true,
      start: false,
      labels: managedLabels(module),
      ...(shell.networkMode ? { networkMode: shell.networkMode } : {}),
    }),
  );
  return { id: created.id, cli, replaced: Boolean(old) };
}
