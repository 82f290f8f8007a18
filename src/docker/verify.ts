/** Which archive entries may be restored, and the full check of an archive file before a restore. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough, pipeline } from 'node:stream';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { archiveReadError, checksumMismatchError } from './archiveErrors';
import { DockerError } from './errors';
import { Sha256Tap } from './streams';
import { TarCounter } from './tarCounting';
import type { TarEntry } from './tarHeaders';

const run = promisify(pipeline);

/** True when a link target leads out of the archive's folder (the daemon refuses those as breakouts too). */
function linkEscapes(name: string, type: string | null | undefined, linkname: string | null | undefined): boolean {
  if (!linkname) return false;
  if (type === 'link') return linkname.startsWith('/') || linkname.split('/').includes('..');
  // An absolute symbolic link is resolved inside the container that mounts the volume, as Docker allows.
  if (type === 'symlink' && !linkname.startsWith('/'))
    return path.posix.normalize(path.posix.join(path.posix.dirname(name), linkname)).split('/')[0] === '..';
  return false;
}

/** Why an archive entry must not be restored: it or its link target escapes the folder, or it is a device. */
export function entryProblem(
  header: Pick<TarEntry, 'name' | 'type' | 'linkname'>,
  operation: string,
): DockerError | undefined {
  const name = header.name;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..')) {
    return new DockerError('invalid', `The archive has an entry outside its folder: ${name}`, operation).because({
      id: 'entryOutside',
      entry: name,
    });
  }
  if (linkEscapes(name, header.type, header.linkname)) {
    return new DockerError(
      'invalid',
      `The archive has a link outside its folder: ${name} -> ${header.linkname ?? ''}`,
      operation,
    ).because({ id: 'entryOutside', entry: `${name} -> ${header.linkname ?? ''}` });
  }
  if (header.type === 'character-device' || header.type === 'block-device' || header.type === 'fifo') {
    return new DockerError('invalid', `The archive has a device file: ${name}`, operation).because({
      id: 'deviceEntry',
      entry: name,
    });
  }
  return undefined;
}

export interface ArchiveCheck {
  files: number;
  contentBytes: number;
  sha256: string;
}

/**
 * Reads a whole archive and refuses it when anything is wrong: checksum (when expected), gzip and tar
 * integrity, entries that would escape the target (`..`, absolute paths) or device files.
 */
export async function verifyArchive(
  file: string,
  options: { expectedSha256?: string; signal?: AbortSignal } = {},
): Promise<ArchiveCheck> {
  const sha = new Sha256Tap();
  const counter = new TarCounter({ check: (entry) => entryProblem(entry, 'verify archive') });
  try {
    await run(
      fs.createReadStream(file),
      sha,
      zlib.createGunzip(),
      counter,
      new PassThrough().resume(),
      ...(options.signal ? ([{ signal: options.signal }] as never[]) : []),
    );
  } catch (err) {
    if (err instanceof DockerError) throw err;
    // The user's Cancel: said as such (silent in the command wrapper), not as an unexpected AbortError.
    if (options.signal?.aborted) throw new DockerError('cancelled', 'Check cancelled', 'verify archive');
    throw archiveReadError(err, file, 'verify archive') ?? err;
  }
  const digest = sha.digest();
  if (options.expectedSha256 && options.expectedSha256 !== digest)
    throw checksumMismatchError(options.expectedSha256, digest, 'verify archive');
  return { files: counter.progress.files, contentBytes: counter.contentBytes, sha256: digest };
}
