/** Short-lived containers that mount a volume: the never-started archive helper and the shell-image runner. */
import type { Readable } from 'node:stream';
import type { DockerClient } from './client';

export const HELPER_MOUNT = '/data';

/** The shell image's container: which image, its network mode and labels. */
export interface ShellContainerOptions {
  /** An image with `sh` and `find` (default busybox). */
  shellImage?: string;
  /** Network mode for the container ("none" on daemons without a bridge). */
  networkMode?: string;
  /** Labels for the container. */
  labels?: Record<string, string>;
}

/** Runs `work` with a never-started helper container mounting `volume`, removed afterwards. */
async function withHelper<T>(
  client: DockerClient,
  volume: string,
  readOnly: boolean,
  work: (helper: string) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const helper = await client.createVolumeHelper(volume, { mountPath: HELPER_MOUNT, readOnly }, signal);
  try {
    return await work(helper);
  } finally {
    await client.removeContainer(helper, { force: true }).catch(() => undefined);
  }
}

/**
 * Hands `consume` the whole archive of `volume` (`./…` entries, the layout of `tar czf … -C /data .`) read through a
 * read-only never-started helper, removed once `consume` is done.
 */
export function withVolumeArchive<T>(
  client: DockerClient,
  volume: string,
  consume: (archive: Readable) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  return withHelper(
    client,
    volume,
    true,
    async (helper) => consume(await client.getArchive(helper, `${HELPER_MOUNT}/.`, signal)),
    signal,
  );
}

/** A short-lived shell container: the volume it has at /data, how it is mounted, and how the container is made. */
export interface ShellRun {
  /** None: a fresh anonymous volume (where the daemon creates new local volumes), removed with the container. */
  volume: string | undefined;
  readOnly: boolean;
  plan: ShellContainerOptions;
  signal?: AbortSignal;
}

/** Runs `work` with a short-lived container of the shell image that has the run's volume at /data, then removes it. */
export async function withShellContainer<T>(
  client: DockerClient,
  { volume, readOnly, plan, signal }: ShellRun,
  work: (containerId: string) => Promise<T>,
): Promise<T> {
  const c = await client.runContainer(
    {
      image: plan.shellImage ?? 'busybox',
      command: ['sleep', '600'],
      mounts: [{ type: 'volume', source: volume ?? '', target: HELPER_MOUNT, readOnly }],
      labels: plan.labels ?? {},
      ...(plan.networkMode ? { networkMode: plan.networkMode } : {}),
    },
    signal,
  );
  try {
    return await work(c.id);
  } finally {
    await client.removeContainer(c.id, { force: true, removeVolumes: volume === undefined }).catch(() => undefined);
  }
}

/** Runs `command` in a short-lived container of the shell image with `volume` at /data, then removes it. */
export function inShellContainer(
  client: DockerClient,
  run: ShellRun & { volume: string },
  command: string[],
): Promise<{ exitCode: number; output: string }> {
  return withShellContainer(client, run, (id) => client.exec(id, command, run.signal));
}
