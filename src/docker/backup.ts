/**
 * Backup, verification, restore and clone of volumes through the Engine's archive API. No container runs
 * for a backup or a clone: a helper container is created with the volume mounted and never started; the
 * archive streams through Node (gzip on both cores) into the file. Archives hold `./…` entries, the same
 * layout as `tar czf … -C /data .`, so they are interchangeable with the course's CLI archives.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough, Transform, pipeline, type TransformCallback } from 'node:stream';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import type { DockerClient } from './client';
import { DockerError } from './errors';

const gzip = promisify(zlib.gzip);
const run = promisify(pipeline);

export const HELPER_MOUNT = '/data';
/** Compressed as separate gzip members (valid gzip: GNU tar and Node's gunzip read them) on the thread pool. */
const BLOCK_BYTES = 4 * 1024 * 1024;
const MAX_BLOCKS_IN_FLIGHT = 3;

export interface Progress {
  /** Bytes of tar data read so far. */
  bytes: number;
  /** Entries (files, folders, links) seen so far. */
  files: number;
}

export interface BackupResult {
  file: string;
  /** Bytes of the uncompressed tar stream. */
  tarBytes: number;
  /** Bytes of the regular files inside. */
  contentBytes: number;
  files: number;
  compressedBytes: number;
  sha256: string;
}

/**
 * Groups the stream into 4 MiB blocks and gzips several at once (zlib runs on libuv's thread pool, so two
 * cores work), writing the members in order.
 */
export class ParallelGzip extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly queue: Promise<Buffer>[] = [];

  constructor(private readonly level = 1, private readonly blockBytes = BLOCK_BYTES) {
    super();
  }

  private dispatch(): void {
    if (!this.pendingBytes) return;
    const block = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.queue.push(gzip(block, { level: this.level }));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.blockBytes) return callback();
    this.dispatch();
    if (this.queue.length < MAX_BLOCKS_IN_FLIGHT) return callback();
    this.queue.shift()!.then(out => { this.push(out); callback(); }, callback);
  }

  override _flush(callback: TransformCallback): void {
    this.dispatch();
    const drain = async () => {
      while (this.queue.length) this.push(await this.queue.shift()!);
    };
    drain().then(() => callback(), callback);
  }
}

/** Passes data through while reading tar headers on the side: counts entries and file bytes. */
class TarCounter extends Transform {
  readonly progress: Progress = { bytes: 0, files: 0 };
  contentBytes = 0;
  private readonly extract = tar.extract();
  private readonly parsed: Promise<void>;

  constructor(private readonly onProgress?: (p: Progress) => void) {
    super();
    this.extract.on('entry', (header, body, next) => {
      this.progress.files++;
      if (header.type === 'file') this.contentBytes += header.size ?? 0;
      body.on('end', next);
      body.resume();
    });
    this.parsed = new Promise((resolve, reject) => {
      this.extract.on('finish', resolve);
      this.extract.on('error', reject);
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.progress.bytes += chunk.length;
    this.onProgress?.(this.progress);
    this.push(chunk);
    if (this.extract.write(chunk)) callback();
    else this.extract.once('drain', () => callback());
  }

  override _flush(callback: TransformCallback): void {
    this.extract.end(() => undefined);
    this.parsed.then(() => callback(), callback);
  }
}

class Sha256Tap extends Transform {
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

async function withHelper<T>(client: DockerClient, volume: string, readOnly: boolean, work: (helper: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const helper = await client.createVolumeHelper(volume, { mountPath: HELPER_MOUNT, readOnly }, signal);
  try {
    return await work(helper);
  } finally {
    await client.removeContainer(helper, { force: true }).catch(() => undefined);
  }
}

function fsError(err: unknown, file: string): unknown {
  const code = (err as { code?: string }).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new DockerError('permissionDenied', `Cannot write ${file}: permission denied`, 'write backup', code);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new DockerError('invalid', `No space left to write ${file}`, 'write backup', code);
  if (code === 'ENOENT') return new DockerError('invalid', `The folder of ${file} does not exist`, 'write backup', code);
  return err;
}

/**
 * Writes `volume` to `file` (gzip-compressed tar of `./…` entries). The file appears only complete: it is
 * written under a temporary name, flushed, then renamed. On failure or cancel nothing is left behind.
 */
export async function backupVolume(client: DockerClient, volume: string, file: string, options: { level?: number; signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<BackupResult> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
  const counter = new TarCounter(options.onProgress);
  const sha = new Sha256Tap();
  try {
    await withHelper(client, volume, true, async helper => {
      const archive = await client.getArchive(helper, `${HELPER_MOUNT}/.`, options.signal);
      const out = fs.createWriteStream(partial, { flags: 'wx' });
      await run(archive, counter, new ParallelGzip(options.level ?? 1), sha, out, ...(options.signal ? [{ signal: options.signal }] as never[] : []));
      const fd = await fs.promises.open(partial, 'r');
      try {
        await fd.sync();
      } finally {
        await fd.close();
      }
      await fs.promises.rename(partial, file);
    }, options.signal);
  } catch (err) {
    await fs.promises.rm(partial, { force: true }).catch(() => undefined);
    if (options.signal?.aborted) throw new DockerError('cancelled', 'Backup cancelled', 'backup');
    throw fsError(err, file);
  }
  return { file, tarBytes: counter.progress.bytes, contentBytes: counter.contentBytes, files: counter.progress.files, compressedBytes: sha.bytes, sha256: sha.digest() };
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
export async function verifyArchive(file: string, options: { expectedSha256?: string; signal?: AbortSignal } = {}): Promise<ArchiveCheck> {
  const sha = new Sha256Tap();
  const extract = tar.extract();
  let files = 0;
  let contentBytes = 0;
  // The first problem found; the rest of the archive is still read, so that streams end cleanly.
  let refusal: DockerError | undefined;
  extract.on('entry', (header, body, next) => {
    const name = header.name;
    const segments = name.split('/');
    if (!refusal && (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || segments.includes('..'))) {
      refusal = new DockerError('invalid', `The archive has an entry outside its folder: ${name}`, 'verify archive');
    }
    if (!refusal && (header.type === 'character-device' || header.type === 'block-device' || header.type === 'fifo')) {
      refusal = new DockerError('invalid', `The archive has a device file: ${name}`, 'verify archive');
    }
    files++;
    if (header.type === 'file') contentBytes += header.size ?? 0;
    body.on('end', next);
    body.resume();
  });
  try {
    await run(fs.createReadStream(file), sha, zlib.createGunzip(), extract, ...(options.signal ? [{ signal: options.signal }] as never[] : []));
  } catch (err) {
    if (err instanceof DockerError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code === 'ENOENT') throw new DockerError('notFound', `No archive at ${file}`, 'verify archive');
    if (code.startsWith('Z_') || /unexpected end|incorrect header|invalid|truncated|Unexpected end of data/i.test(String((err as Error).message))) {
      throw new DockerError('invalid', `The archive is damaged (${(err as Error).message}): it may be truncated or not a .tar.gz`, 'verify archive', code);
    }
    throw err;
  }
  if (refusal) throw refusal;
  const digest = sha.digest();
  if (options.expectedSha256 && options.expectedSha256 !== digest) {
    throw new DockerError('invalid', `The archive's checksum does not match its manifest (expected ${options.expectedSha256.slice(0, 12)}…, got ${digest.slice(0, 12)}…)`, 'verify archive');
  }
  return { files, contentBytes, sha256: digest };
}

/** Counts what a volume holds, through a never-started helper (headers only). */
export async function measureVolume(client: DockerClient, volume: string, signal?: AbortSignal): Promise<{ files: number; contentBytes: number }> {
  return withHelper(client, volume, true, async helper => {
    const counter = new TarCounter();
    await run(await client.getArchive(helper, `${HELPER_MOUNT}/.`, signal), counter, new PassThrough().resume());
    return { files: counter.progress.files, contentBytes: counter.contentBytes };
  }, signal);
}

/** Copies one volume's content into another, archive stream to archive stream: no file, no running container. */
export async function copyVolumeContent(client: DockerClient, from: string, to: string, options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<Progress & { contentBytes: number }> {
  return withHelper(client, from, true, source => withHelper(client, to, false, async target => {
    const counter = new TarCounter(options.onProgress);
    const archive = await client.getArchive(source, `${HELPER_MOUNT}/.`, options.signal);
    await client.putArchive(target, HELPER_MOUNT, archive.pipe(counter), options.signal);
    return { ...counter.progress, contentBytes: counter.contentBytes };
  }, options.signal), options.signal);
}

/** Extracts an archive file into a volume (after `verifyArchive`). */
export async function extractIntoVolume(client: DockerClient, file: string, volume: string, options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<void> {
  await withHelper(client, volume, false, async helper => {
    const counter = new TarCounter(options.onProgress);
    const source = fs.createReadStream(file).pipe(zlib.createGunzip()).pipe(counter);
    await client.putArchive(helper, HELPER_MOUNT, source, options.signal);
  }, options.signal);
}
