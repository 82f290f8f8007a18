import * as fs from 'node:fs';

/**
 * The text of a regular file no larger than `maxBytes`; undefined for anything else. Files a repository
 * ships (`.env`, backup manifests) may be links to `/dev/zero`, FIFOs or huge files: reading one whole would
 * block or exhaust the extension host, so the type and size are checked before a bounded read.
 */
export function readSmallTextFile(file: string, maxBytes: number): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile() || stat.size > maxBytes) return undefined;
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
