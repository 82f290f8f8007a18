/** A backup file that could not be read, in our words: the file is gone, or it is not a whole gzip (tar) stream. */
import { DockerError } from './errors';

/** What zlib, gzip and our tar reader say of a truncated or foreign file (Node gives most of these no code). */
const DAMAGED = /unexpected end|incorrect header|invalid|truncated|Unexpected end of data/i;

/** The file is not there (any more). */
export function noFileError(file: string, what: 'archive' | 'dump', operation: string): DockerError {
  return new DockerError('notFound', `No ${what} at ${file}`, operation).because({ id: 'noFile', file });
}

/**
 * A failed read of a .tar.gz as our error: gone, or damaged (a `Z_` code of zlib, or the readers' words). Undefined
 * for any other failure, which the caller passes on as it is.
 */
export function archiveReadError(err: unknown, file: string, operation: string): DockerError | undefined {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'ENOENT') return noFileError(file, 'archive', operation);
  const detail = String((err as Error).message);
  if (!code.startsWith('Z_') && !DAMAGED.test(detail)) return undefined;
  return new DockerError(
    'invalid',
    `The archive is damaged (${detail}): it may be truncated or not a .tar.gz`,
    operation,
    code,
  ).because({ id: 'archiveDamaged', detail });
}

/** The archive read whole, but its checksum is not the one its manifest recorded: changed or damaged since. */
export function checksumMismatchError(expected: string, actual: string, operation: string): DockerError {
  const [want, got] = [expected.slice(0, 12), actual.slice(0, 12)];
  return new DockerError(
    'invalid',
    `The archive's checksum does not match its manifest (expected ${want}…, got ${got}…)`,
    operation,
  ).because({ id: 'checksumMismatch', expected: want, actual: got });
}
