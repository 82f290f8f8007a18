/**
 * Stream stages shared by every job that writes an archive or a dump to disk: parallel gzip, a SHA-256 tap,
 * writing a file complete or not at all (or replacing one without following a planted link), and naming a transfer
 * cut short by the daemon.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline as pipelineAll } from 'node:stream/promises';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { DockerError, localFileError } from './errors';

const gzip = promisify(zlib.gzip);

/** Compressed as separate gzip members (valid gzip: GNU tar and Node's gunzip read them) on the thread pool. */
const BLOCK_BYTES = 4 * 1024 * 1024;
const MAX_BLOCKS_IN_FLIGHT = 3;
/**
 * zlib's output buffer: at its default (16 KiB) a 4 MiB block went back and forth between the thread pool and the
 * main thread ~25 times, each time waiting for the main thread, which on two busy cores is the Engine's competitor.
 */
const OUTPUT_CHUNK_BYTES = 1024 * 1024;

/**
 * Copies the stream into 4 MiB blocks and gzips several at once (zlib runs on libuv's thread pool, so two
 * cores work), writing the members in order. Blocks are reused once compressed: a backup allocates a handful,
 * not one per 4 MiB.
 */
export class ParallelGzip extends Transform {
  private block: Buffer | undefined;
  private filled = 0;
  private readonly spare: Buffer[] = [];
  private readonly queue: Promise<Buffer>[] = [];

  constructor(
    private readonly level = 1,
    private readonly blockBytes = BLOCK_BYTES,
    private readonly maxInFlight = MAX_BLOCKS_IN_FLIGHT,
  ) {
    super();
  }

  private dispatch(): void {
    if (!this.filled) return;
    const block = this.block!;
    const input = block.subarray(0, this.filled);
    this.block = undefined;
    this.filled = 0;
    const member = gzip(input, { level: this.level, chunkSize: OUTPUT_CHUNK_BYTES }).then((out) => {
      this.spare.push(block);
      return out;
    });
    // Awaited in order later; a stream destroyed meanwhile never awaits it.
    member.catch(() => undefined);
    this.queue.push(member);
  }

  /** Copies `chunk` from `from` on into blocks; when too many are in flight, waits for the oldest first. */
  private copyIntoBlocks(chunk: Buffer, from: number, callback: TransformCallback): void {
    let at = from;
    while (at < chunk.length) {
      this.block ??= this.spare.pop() ?? Buffer.allocUnsafeSlow(this.blockBytes);
      const copied = chunk.copy(this.block, this.filled, at);
      at += copied;
      this.filled += copied;
      if (this.filled < this.blockBytes) break;
      this.dispatch();
      if (this.queue.length >= this.maxInFlight) {
        this.queue.shift()!.then((out) => {
          this.push(out);
          this.copyIntoBlocks(chunk, at, callback);
        }, callback);
        return;
      }
    }
    callback();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.copyIntoBlocks(chunk, 0, callback);
  }

  override _flush(callback: TransformCallback): void {
    this.dispatch();
    const drain = async () => {
      while (this.queue.length) this.push(await this.queue.shift()!);
    };
    drain().then(() => callback(), callback);
  }
}

export class Sha256Tap extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

/** A transfer cut short because the daemon went away (stopped, restarted, killed) names that cause. */
export function streamBroken(err: unknown): DockerError | undefined {
  if (err instanceof DockerError) return undefined;
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (
    ['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code) ||
    /aborted|premature close|socket hang up/i.test(message)
  ) {
    const cause = code || message;
    return new DockerError(
      'unreachable',
      `The connection to the Docker daemon broke during the transfer (${cause}): was Docker stopped or restarted?`,
      'archive stream',
      cause,
    ).because({ id: 'transferBroken', code: cause });
  }
  return undefined;
}

const FILE_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EIO']);

function fsError(err: unknown, file: string): unknown {
  const code = (err as { code?: string }).code;
  return code && FILE_CODES.has(code) ? localFileError(err, file, 'write backup') : err;
}

/**
 * Writes `file` anew under a fresh name, then renames it into place: a link planted at `file` is replaced, never
 * followed (the backup folder may be a repository's).
 */
export function writeFileReplacing(file: string, text: string): void {
  const fresh = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(fresh, text, { flag: 'wx' });
  try {
    fs.renameSync(fresh, file);
  } catch (err) {
    fs.rmSync(fresh, { force: true });
    throw err;
  }
}

/**
 * Runs `streams` (a pipeline whose last stage is the file) into `file` so that the file appears only
 * complete: written under a temporary name, flushed, then renamed. On failure or cancel nothing is left.
 */
export async function writeCompleteFile(
  file: string,
  streams: NodeJS.ReadWriteStream[],
  source: NodeJS.ReadableStream,
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
  let out: fs.WriteStream | undefined;
  try {
    out = fs.createWriteStream(partial, { flags: 'wx' });
    await pipelineAll([source, ...streams, out], signal ? { signal } : {});
    const fd = await fs.promises.open(partial, 'r');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
    await fs.promises.rename(partial, file);
  } catch (err) {
    // The stream opens its file lazily: a pipeline ended at once (cancelled) may create it after this point.
    const opened = out;
    if (opened && !opened.closed) await new Promise<void>((closed) => opened.once('close', () => closed()));
    await fs.promises.rm(partial, { force: true }).catch(() => undefined);
    if (signal?.aborted) throw new DockerError('cancelled', `${what} cancelled`, what.toLowerCase());
    throw streamBroken(err) ?? fsError(err, file);
  }
}
