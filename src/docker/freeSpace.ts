/**
 * Free space where the daemon keeps a volume, read on the daemon's side: a restore fills the daemon's disk,
 * not this machine's, and on a remote or ssh:// daemon the two are unrelated.
 */
import type { DockerClient } from './client';
import { HELPER_MOUNT, withShellContainer, type ShellContainerOptions } from './helperContainer';

/** The bytes available in `df -P -k` output (the last line's "Available" column); undefined when unreadable. */
export function parseDfAvailable(output: string): number | undefined {
  const lines = output
    .trim()
    .split('\n')
    .filter((line) => line.trim());
  if (lines.length < 2 || !/^Filesystem\b/.test(lines[0]!.trim())) return undefined;
  // Counted from the end: a filesystem name may hold spaces, the mount point here (/data) does not.
  const fields = lines.at(-1)!.trim().split(/\s+/);
  const kib = Number(fields[fields.length - 3]);
  return fields.length >= 6 && Number.isFinite(kib) && kib >= 0 ? kib * 1024 : undefined;
}

/** What the file system holding a volume has left; a figure is absent when it cannot be told. */
export interface FreeSpace {
  bytes?: number;
  /** Free inodes: each file, folder or link extracted takes one, whatever its size. */
  inodes?: number;
}

/** `stat -f -c '%a %S %d %c'` output: free blocks for users, block size, free inodes, total inodes. */
export function parseStatfs(output: string): FreeSpace | undefined {
  const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(output);
  if (!m) return undefined;
  // A file system without a fixed inode table (btrfs, some overlays) reports none at all: no bound to tell.
  return { bytes: Number(m[1]) * Number(m[2]), ...(Number(m[4]) > 0 ? { inodes: Number(m[3]) } : {}) };
}

/** The shell image must be named: without it on the daemon, nothing is told. */
export type FreeSpaceHelper = ShellContainerOptions & { shellImage: string };

/**
 * Bytes and inodes free on the file system that holds `volume` (or, when `volume` is undefined, where the daemon
 * creates a new local volume: an anonymous one, removed with its container). A figure is absent when it cannot be
 * told (no shell image on the daemon, neither `stat -f` nor `df` in it; inodes from `stat -f` only).
 */
export async function volumeFreeSpace(
  client: DockerClient,
  volume: string | undefined,
  helper: FreeSpaceHelper,
  signal?: AbortSignal,
): Promise<FreeSpace> {
  if (
    !(await client.inspectImage(helper.shellImage, signal).then(
      () => true,
      () => false,
    ))
  )
    return {};
  // Read-only on an existing volume; the anonymous one stands where a new local volume would be created.
  return withShellContainer(client, { volume, readOnly: volume !== undefined, plan: helper, signal }, async (id) => {
    // stat -f first (busybox and coreutils have it, even a trimmed busybox), df where stat lacks -f.
    const statfs = await client.exec(id, ['stat', '-f', '-c', '%a %S %d %c', HELPER_MOUNT], signal);
    const viaStat = statfs.exitCode === 0 ? parseStatfs(statfs.output) : undefined;
    if (viaStat) return viaStat;
    const df = await client.exec(id, ['df', '-P', '-k', HELPER_MOUNT], signal).catch(() => undefined);
    const bytes = df?.exitCode === 0 ? parseDfAvailable(df.output) : undefined;
    return bytes === undefined ? {} : { bytes };
  });
}
