import * as fs from 'node:fs';

/**
 * What a path names, following links; undefined when that cannot be read (missing, a dangling link, no permission).
 * Paths a repository or a folder listing names may be anything: a failed look means "nothing usable here".
 */
export function statIfPresent(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The text of a regular file no larger than `maxBytes`; undefined for anything else. Files a repository
 * ships (`.env`, backup manifests) may be links to `/dev/zero`, FIFOs or huge files: reading one whole would
 * block or exhaust the extension host, so the type and size are checked before a bounded read.
 */
export function readSmallTextFile(file: string, maxBytes: number): string | undefined {
  const stat = statIfPresent(file);
  if (!stat?.isFile() || stat.size > maxBytes) return undefined;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const buffer = Buffer.alloc(maxBytes + 1);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return read > maxBytes ? undefined : buffer.subarray(0, read).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
