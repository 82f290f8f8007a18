import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { localFileError } from '../docker/errors';

/**
 * Makes sure a backup can be written into `folder` (creating it if needed) by writing and removing a
 * small probe file, so that an unwritable, read-only or full folder is found before anything is stopped.
 * A probe says more than `access(W_OK)`, which root passes on folders it still cannot write (read-only
 * mounts aside) and which knows nothing of a full disk. Throws a `localFile` DockerError naming the folder.
 */
export function ensureWritableFolder(folder: string): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (err) {
    throw localFileError(trueCause(folder, err), folder, 'check backup folder');
  }
  // A name nobody can plant in advance, created only if absent: a planted link must not redirect the write.
  const probe = path.join(folder, `.volumes-lab-write-check-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    fs.writeFileSync(probe, 'Docker Volumes Lab checks that backups can be written here.\n', { flag: 'wx' });
  } catch (err) {
    throw localFileError(err, folder, 'check backup folder');
  } finally {
    try {
      fs.rmSync(probe, { force: true });
    } catch {
      /* nothing was written (a read-only file system refuses even the removal of what is not there) */
    }
  }
}

/**
 * A recursive mkdir reports ENOENT for a folder it could not create on a read-only or forbidden parent:
 * creating the first missing level alone gives the real cause.
 */
function trueCause(folder: string, err: unknown): unknown {
  if ((err as { code?: string }).code !== 'ENOENT') return err;
  let missing = path.resolve(folder);
  while (!fs.existsSync(path.dirname(missing)) && path.dirname(missing) !== missing) missing = path.dirname(missing);
  try {
    fs.mkdirSync(missing);
    fs.rmdirSync(missing);
  } catch (cause) {
    return cause;
  }
  return err;
}
