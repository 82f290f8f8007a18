/**
 * Logical database dumps through `docker exec`: the dump tool's output is gzipped in Node into a
 * `.sql.gz` file (complete or not at all), and a restore streams a checked private copy of the file, gunzipped, into
 * the client.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import type { ExecCommand } from '../core/databases';
import { restoreErrors } from '../core/databases';
import type { DockerClient } from './client';
import { noFileError } from './archiveErrors';
import { DockerError } from './errors';
import { ParallelGzip, Sha256Tap, writeCompleteFile } from './streams';

export interface DumpResult {
  /** Bytes of SQL the tool wrote. */
  sqlBytes: number;
  compressedBytes: number;
  sha256: string;
}

class ByteCounter extends Transform {
  bytes = 0;
  constructor(private readonly onBytes?: (bytes: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.onBytes?.(this.bytes);
    callback(null, chunk);
  }
}

function firstLines(text: string, count = 3): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, count)
    .join(' · ');
}

/** Runs the dump tool in `container` and writes its output, gzipped, to `file`. */
export async function dumpDatabase(
  client: DockerClient,
  container: string,
  dump: ExecCommand,
  file: string,
  options: { level?: number; signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): Promise<DumpResult> {
  const output = new PassThrough();
  const counter = new ByteCounter(options.onBytes);
  const sha = new Sha256Tap();
  let exit: { exitCode: number; stderr: string } | undefined;
  const execution = client.execStream(container, dump.command, { stdout: output, env: dump.env }, options.signal).then(
    (result) => {
      exit = result;
      output.end();
    },
    (err: unknown) => {
      output.destroy(err as Error);
      throw err;
    },
  );
  // The file is renamed into place only after the tool exited 0: a failed dump never looks like a backup.
  const written = writeCompleteFile(
    file,
    [counter, new ParallelGzip(options.level ?? 1), sha, new ExitGate(() => execution.then(() => exit))],
    output,
    'Dump',
    options.signal,
  );
  // Both settle before the first failure is thrown: a caller told "cancelled" finds no partial file left to clean.
  let failure: { err: unknown } | undefined;
  const noteFailure = (err: unknown) => void (failure ??= { err });
  await Promise.all([execution.catch(noteFailure), written.catch(noteFailure)]);
  if (failure) throw failure.err;
  return { sqlBytes: counter.bytes, compressedBytes: sha.bytes, sha256: sha.digest() };
}

/** Passes data through and, at the end, fails the pipeline unless the exec exited 0. */
class ExitGate extends Transform {
  constructor(private readonly exited: () => Promise<{ exitCode: number; stderr: string } | undefined>) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    this.exited().then(
      (result) => {
        if (result && result.exitCode === 0) {
          callback();
          return;
        }
        const exitCode = String(result?.exitCode ?? '?');
        const message = firstLines(result?.stderr ?? '');
        callback(
          new DockerError(
            'invalid',
            `The dump tool failed (exit code ${exitCode}): ${message || 'no message'}`,
            'dump',
          ).because({ id: 'toolFailed', exitCode, message }),
        );
      },
      (err: unknown) => callback(err as Error),
    );
  }
}

/** Reads the whole `.sql.gz` (and checks its checksum when known) before anything reaches the database. */
export async function verifyDump(
  file: string,
  expectedSha256?: string,
  signal?: AbortSignal,
): Promise<{ sqlBytes: number; sha256: string }> {
  const sha = new Sha256Tap();
  const counter = new ByteCounter();
  try {
    await pipeline(
      [fs.createReadStream(file), sha, zlib.createGunzip(), counter, new PassThrough().resume()],
      signal ? { signal } : {},
    );
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'ENOENT') throw noFileError(file, 'dump', 'verify dump');
    if (signal?.aborted) throw new DockerError('cancelled', 'Check cancelled', 'verify dump');
    throw new DockerError(
      'invalid',
      `The dump is damaged (${(err as Error).message}): it may be truncated or not a .sql.gz`,
      'verify dump',
      code,
    ).because({ id: 'dumpDamaged', detail: (err as Error).message });
  }
  const digest = sha.digest();
  if (expectedSha256 && digest !== expectedSha256) {
    const [expected, actual] = [expectedSha256.slice(0, 12), digest.slice(0, 12)];
    throw new DockerError(
      'invalid',
      `The dump's checksum does not match its manifest (expected ${expected}…, got ${actual}…)`,
      'verify dump',
    ).because({ id: 'checksumMismatch', expected, actual });
  }
  return { sqlBytes: counter.bytes, sha256: digest };
}

export interface DumpRestoreResult {
  sqlBytes: number;
  /** Statements the client reported as failed (psql goes on after an error). */
  errors: string[];
}

/**
 * Copies `file` into a private folder (0700) through a single open: the replay then reads the bytes that were checked,
 * even if the original is replaced or rewritten meanwhile (checking one file and reopening it by name would replay
 * whatever lies there by then). Returns the copy and a disposer that removes it.
 */
async function privateCopy(file: string, signal?: AbortSignal): Promise<{ copy: string; dispose: () => void }> {
  let source: fs.promises.FileHandle;
  try {
    source = await fs.promises.open(file, 'r');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT')
      throw new DockerError('notFound', `No dump at ${file}`, 'verify dump').because({ id: 'noFile', file });
    throw err;
  }
  // Only a regular file, and only the bytes it had when opened: a link swapped to /dev/zero or a growing file
  // cannot fill the temporary folder.
  const stat = await source.stat();
  if (!stat.isFile()) {
    await source.close();
    throw new DockerError('invalid', `${file} is not a regular file`, 'verify dump').because({
      id: 'notRegularFile',
      file,
    });
  }
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'vlab-replay-'));
  const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
  const copy = path.join(dir, path.basename(file));
  try {
    const bytes = stat.size ? source.createReadStream({ start: 0, end: stat.size - 1 }) : Readable.from([]);
    await pipeline([bytes, fs.createWriteStream(copy, { flags: 'wx', mode: 0o600 })], signal ? { signal } : {});
  } catch (err) {
    dispose();
    if (signal?.aborted) throw new DockerError('cancelled', 'Check cancelled', 'verify dump');
    throw err;
  } finally {
    await source.close().catch(() => undefined);
  }
  return { copy, dispose };
}

/**
 * Checks `file`, then replays it into the database of `container` through the client's standard input. Both read one
 * private copy of the file, taken first, so the SQL replayed is the SQL checked.
 */
export async function restoreDump(
  client: DockerClient,
  container: string,
  restore: ExecCommand,
  file: string,
  options: {
    expectedSha256?: string;
    signal?: AbortSignal;
    onBytes?: (bytes: number) => void;
    /** Runs between the check and the replay (tests: a file swapped there must not be replayed). */
    afterCheck?: () => Promise<void> | void;
  } = {},
): Promise<DumpRestoreResult> {
  const { copy, dispose } = await privateCopy(file, options.signal);
  try {
    await verifyDump(copy, options.expectedSha256, options.signal);
    await options.afterCheck?.();
    const counter = new ByteCounter(options.onBytes);
    const input = fs.createReadStream(copy).pipe(zlib.createGunzip()).pipe(counter);
    const stdout = new PassThrough().resume();
    const result = await client.execStream(
      container,
      restore.command,
      { stdin: input, stdout, env: restore.env },
      options.signal,
    );
    if (result.exitCode !== 0) {
      throw new DockerError(
        'invalid',
        `The restore failed (exit code ${result.exitCode}): ${firstLines(result.stderr) || 'no message'}`,
        'restore dump',
      ).because({ id: 'toolFailed', exitCode: String(result.exitCode), message: firstLines(result.stderr) });
    }
    return { sqlBytes: counter.bytes, errors: restoreErrors(result.stderr) };
  } finally {
    dispose();
  }
}
