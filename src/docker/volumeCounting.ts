/**
 * Counting what a volume holds (entries and regular-file bytes, each inode once as tar stores hard links),
 * three ways from cheapest to surest: its mountpoint read directly, `find` in a short-lived container, or
 * its whole archive streamed back through the daemon.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough, pipeline } from 'node:stream';
import { promisify } from 'node:util';
import type { DockerClient } from './client';
import { DockerError } from './errors';
import { HELPER_MOUNT, inShellContainer, withVolumeArchive, type ShellContainerOptions } from './helperContainer';
import { TarCounter } from './tarCounting';

const run = promisify(pipeline);

/** Counts what a volume holds, through a never-started helper (headers only). */
export async function measureVolume(
  client: DockerClient,
  volume: string,
  signal?: AbortSignal,
): Promise<{ files: number; contentBytes: number }> {
  return withVolumeArchive(
    client,
    volume,
    async (archive) => {
      const counter = new TarCounter();
      await run(archive, counter, new PassThrough().resume());
      return { files: counter.progress.files, contentBytes: counter.contentBytes };
    },
    signal,
  );
}

/**
 * Counts a volume's entries and regular-file bytes straight from its mountpoint, when this process can read
 * it: a daemon on this machine (unix socket) whose data folder is readable, as with rootless Docker or as
 * root. Each inode's bytes once, as tar stores hard links. Undefined when the folder is out of reach.
 */
export async function countFromMountpoint(
  client: DockerClient,
  volume: string,
  signal?: AbortSignal,
): Promise<{ files: number; contentBytes: number } | undefined> {
  if (client.endpoint.transport !== 'unix') return undefined;
  const { mountpoint } = await client.inspectVolume(volume, signal);
  try {
    await fs.promises.access(mountpoint, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    return undefined;
  }
  const seen = new Set<number>();
  let files = 1; // the volume's root, "./" in the archive
  let contentBytes = 0;
  // Synchronous calls in slices: thousands of small stats cost less than their round trips to the
  // thread pool, and yielding between slices keeps the extension host responsive on big volumes.
  const folders = [mountpoint];
  try {
    for (let done = 0; folders.length;) {
      const dir = folders.pop()!;
      const entries = fs.readdirSync(dir, { withFileTypes: true });
      files += entries.length;
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) folders.push(full);
        else if (entry.isFile()) {
          const stat = fs.lstatSync(full);
          if (!seen.has(stat.ino)) {
            seen.add(stat.ino);
            contentBytes += stat.size;
          }
        }
      }
      done += entries.length;
      if (done >= 2000) {
        done = 0;
        await new Promise((resolve) => setImmediate(resolve));
        if (signal?.aborted) throw new DockerError('cancelled', 'Count cancelled', 'restore');
      }
    }
  } catch (err) {
    if (err instanceof DockerError) throw err;
    return undefined; // a folder we may not read: count through the daemon instead
  }
  return { files, contentBytes };
}

/**
 * Counts a volume's entries and regular-file bytes (each inode once, as tar stores hard links) with `find`
 * and `stat` in a short-lived container from the shell image: a fraction of the time of streaming the
 * whole volume back. Undefined when that image is not on the daemon or lacks the tools.
 */
export async function countWithShell(
  client: DockerClient,
  volume: string,
  plan: ShellContainerOptions,
  signal?: AbortSignal,
): Promise<{ files: number; contentBytes: number } | undefined> {
  if (
    !(await client.inspectImage(plan.shellImage ?? 'busybox', signal).then(
      () => true,
      () => false,
    ))
  )
    return undefined;
  // Entries, then the bytes of regular files counted once per inode (hard links share theirs).
  const countEntries = `find ${HELPER_MOUNT} -exec stat -c x {} + | wc -l`;
  const sumBytes = `find ${HELPER_MOUNT} -type f -exec stat -c '%i %s' {} + | awk '!seen[$1]++ { s += $2 } END { print s + 0 }'`;
  const script = `${countEntries}; ${sumBytes}`;
  const result = await inShellContainer(client, { volume, readOnly: true, plan, signal }, ['sh', '-c', script]);
  const [files, bytes] = result.output.trim().split(/\s+/).map(Number);
  if (result.exitCode !== 0 || !Number.isFinite(files) || !Number.isFinite(bytes)) return undefined;
  return { files: files!, contentBytes: bytes! };
}
