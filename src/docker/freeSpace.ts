/**
 * Free space where the daemon keeps a volume, read on the daemon's side: a restore fills the daemon's disk,
 * not this machine's, and on a remote or ssh:// daemon the two are unrelated.
 */
import type { DockerClient } from './client';

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

/** The bytes available in `stat -f -c '%a %S'` output (free blocks for users, block size). */
export function parseStatfsAvailable(output: string): number | undefined {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(output);
  return m ? Number(m[1]) * Number(m[2]) : undefined;
}

export interface FreeSpaceHelper {
  shellImage: string;
  networkMode?: string;
  labels?: Record<string, string>;
}

/**
 * Bytes free on the file system that holds `volume` (or, when `volume` is undefined, where the daemon
 * creates a new local volume: an anonymous one, removed with its container). Undefined when it cannot be
 * told (no shell image on the daemon, neither `stat -f` nor `df` in it).
 */
export async function volumeFreeBytes(
  client: DockerClient,
  volume: string | undefined,
  helper: FreeSpaceHelper,
  signal?: AbortSignal,
): Promise<number | undefined> {
  if (
    !(await client.inspectImage(helper.shellImage, signal).then(
      () => true,
      () => false,
    ))
  )
    return undefined;
  const c = await client.runContainer(
    {
      image: helper.shellImage,
      command: ['sleep', '60'],
      mounts: [{ type: 'volume', source: volume ?? '', target: '/data', readOnly: volume !== undefined }],
      labels: helper.labels ?? {},
      ...(helper.networkMode ? { networkMode: helper.networkMode } : {}),
    },
    signal,
  );
  try {
    // stat -f first (busybox and coreutils have it, even a trimmed busybox), df where stat lacks -f.
    const statfs = await client.exec(c.id, ['stat', '-f', '-c', '%a %S', '/data'], signal);
    const viaStat = statfs.exitCode === 0 ? parseStatfsAvailable(statfs.output) : undefined;
    if (viaStat !== undefined) return viaStat;
    const df = await client.exec(c.id, ['df', '-P', '-k', '/data'], signal).catch(() => undefined);
    return df?.exitCode === 0 ? parseDfAvailable(df.output) : undefined;
  } finally {
    await client.removeContainer(c.id, { force: true, removeVolumes: true }).catch(() => undefined);
  }
}
