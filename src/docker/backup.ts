/**
 * Backup, verification, restore and clone of volumes through the Engine's archive API. No container runs
 * for a backup or a clone: a helper container is created with the volume mounted and never started; the
 * archive streams through Node (gzip on both cores) into the file. Archives hold `./…` entries, the same
 * layout as `tar czf … -C /data .`, so they are interchangeable with the course's CLI archives.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Transform, pipeline, type TransformCallback } from 'node:stream';
import { pipeline as pipelineAll } from 'node:stream/promises';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import type { DockerClient } from './client';
import { DockerError, localFileError } from './errors';
import { ArchiveTooLargeError, TarRouter, type TarEntry } from './tarRouter';

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

/** True when a link target leads out of the archive's folder (the daemon refuses those as breakouts too). */
function linkEscapes(name: string, type: string | null | undefined, linkname: string | null | undefined): boolean {
  if (!linkname) return false;
  if (type === 'link') return linkname.startsWith('/') || linkname.split('/').includes('..');
  // An absolute symbolic link is resolved inside the container that mounts the volume, as Docker allows.
  if (type === 'symlink' && !linkname.startsWith('/')) return path.posix.normalize(path.posix.join(path.posix.dirname(name), linkname)).split('/')[0] === '..';
  return false;
}

/** Why an archive entry must not be restored: it or its link target escapes the folder, or it is a device. */
function entryProblem(header: Pick<TarEntry, 'name' | 'type' | 'linkname'> | tar.Header, operation: string): DockerError | undefined {
  const name = header.name;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..')) {
    return new DockerError('invalid', `The archive has an entry outside its folder: ${name}`, operation).because({ id: 'entryOutside', entry: name });
  }
  if (linkEscapes(name, header.type, header.linkname)) {
    return new DockerError('invalid', `The archive has a link outside its folder: ${name} -> ${header.linkname ?? ''}`, operation).because({ id: 'entryOutside', entry: `${name} -> ${header.linkname ?? ''}` });
  }
  if (header.type === 'character-device' || header.type === 'block-device' || header.type === 'fifo') {
    return new DockerError('invalid', `The archive has a device file: ${name}`, operation).because({ id: 'deviceEntry', entry: name });
  }
  return undefined;
}

/**
 * Passes data through while reading tar headers on the side: counts entries and file bytes (backups and
 * measures; restores count in TarRouter, which also checks).
 */
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

async function withHelper<T>(client: DockerClient, volume: string, readOnly: boolean, work: (helper: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const helper = await client.createVolumeHelper(volume, { mountPath: HELPER_MOUNT, readOnly }, signal);
  try {
    return await work(helper);
  } finally {
    await client.removeContainer(helper, { force: true }).catch(() => undefined);
  }
}

/** A transfer cut short because the daemon went away (stopped, restarted, killed) names that cause. */
export function streamBroken(err: unknown): DockerError | undefined {
  if (err instanceof DockerError) return undefined;
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code) || /aborted|premature close|socket hang up/i.test(message)) {
    return new DockerError('unreachable', `The connection to the Docker daemon broke during the transfer (${code || message}): was Docker stopped or restarted?`, 'archive stream', code || message)
      .because({ id: 'transferBroken', code: code || message });
  }
  return undefined;
}

const FILE_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EIO']);

function fsError(err: unknown, file: string): unknown {
  const code = (err as { code?: string }).code;
  return code && FILE_CODES.has(code) ? localFileError(err, file, 'write backup') : err;
}

/**
 * Runs `streams` (a pipeline whose last stage is the file) into `file` so that the file appears only
 * complete: written under a temporary name, flushed, then renamed. On failure or cancel nothing is left.
 */
export async function writeCompleteFile(file: string, streams: NodeJS.ReadWriteStream[], source: NodeJS.ReadableStream, what: string, signal?: AbortSignal): Promise<void> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
  try {
    const out = fs.createWriteStream(partial, { flags: 'wx' });
    await pipelineAll([source, ...streams, out], signal ? { signal } : {});
    const fd = await fs.promises.open(partial, 'r');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
    await fs.promises.rename(partial, file);
  } catch (err) {
    await fs.promises.rm(partial, { force: true }).catch(() => undefined);
    if (signal?.aborted) throw new DockerError('cancelled', `${what} cancelled`, what.toLowerCase());
    throw streamBroken(err) ?? fsError(err, file);
  }
}

/** Writes `volume` to `file` (gzip-compressed tar of `./…` entries), complete or not at all. */
export async function backupVolume(client: DockerClient, volume: string, file: string, options: { level?: number; signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<BackupResult> {
  const counter = new TarCounter(options.onProgress);
  const sha = new Sha256Tap();
  try {
    await withHelper(client, volume, true, async helper => {
      const archive = await client.getArchive(helper, `${HELPER_MOUNT}/.`, options.signal);
      await writeCompleteFile(file, [counter, new ParallelGzip(options.level ?? 1), sha], archive, 'Backup', options.signal);
    }, options.signal);
  } catch (err) {
    if (options.signal?.aborted) throw new DockerError('cancelled', 'Backup cancelled', 'backup');
    throw streamBroken(err) ?? err;
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
    const problem = entryProblem(header, 'verify archive');
    if (!refusal && problem) refusal = problem;
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
    if (code === 'ENOENT') throw new DockerError('notFound', `No archive at ${file}`, 'verify archive').because({ id: 'noFile', file });
    if (code.startsWith('Z_') || /unexpected end|incorrect header|invalid|truncated|Unexpected end of data/i.test(String((err as Error).message))) {
      throw new DockerError('invalid', `The archive is damaged (${(err as Error).message}): it may be truncated or not a .tar.gz`, 'verify archive', code).because({ id: 'archiveDamaged', detail: (err as Error).message });
    }
    throw err;
  }
  if (refusal) throw refusal;
  const digest = sha.digest();
  if (options.expectedSha256 && options.expectedSha256 !== digest) {
    throw new DockerError('invalid', `The archive's checksum does not match its manifest (expected ${options.expectedSha256.slice(0, 12)}…, got ${digest.slice(0, 12)}…)`, 'verify archive')
      .because({ id: 'checksumMismatch', expected: options.expectedSha256.slice(0, 12), actual: digest.slice(0, 12) });
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

/**
 * How many uploads one extraction is split into. The daemon unpacks each upload in its own process, and
 * creating files is kernel work that one process does on one core: two uploads nearly halve the time of a
 * volume with many small files. A daemon on this machine has its cores; a remote one is assumed to have two.
 */
export function extractionStreams(client: DockerClient): number {
  const cores = client.endpoint.transport === 'unix' ? (os.availableParallelism?.() ?? os.cpus().length) : 2;
  return Math.max(1, Math.min(4, cores));
}

export interface UploadOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Uploads at once (default: extractionStreams). */
  parallel?: number;
}

/**
 * Extracts a tar stream (the last of `streams`, piped in order) into a volume through parallel archive
 * uploads, one never-started helper each (see TarRouter). With `check`, an entry that must not be restored
 * stops everything before any of its bytes reach the daemon. Any failure aborts every upload at once.
 */
async function uploadIntoVolume(client: DockerClient, volume: string, streams: NodeJS.ReadableStream[], options: UploadOptions & { check?: boolean; maxContentBytes?: number } = {}): Promise<Progress & { contentBytes: number }> {
  const { signal } = options;
  const count = options.parallel ?? extractionStreams(client);
  let uploads: Promise<void>[] = [];
  const router = new TarRouter(count, {
    ...(options.check ? { check: (entry: TarEntry) => entryProblem(entry, 'restore') } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.maxContentBytes !== undefined ? { maxContentBytes: options.maxContentBytes } : {}),
    beforeLast: () => Promise.all(uploads.slice(1)),
  });
  const upload = new AbortController();
  let failure: unknown;
  let pipeFailure: unknown;
  let piped: Promise<void> | undefined;
  const fail = (err: unknown) => {
    failure ??= err;
    upload.abort();
    router.destroy();
    for (const output of router.outputs) output.destroy();
  };
  const onOuterAbort = () => fail(new DockerError('cancelled', 'Cancelled', 'archive upload'));
  signal?.addEventListener('abort', onOuterAbort, { once: true });
  const created = await Promise.allSettled(Array.from({ length: count }, () => client.createVolumeHelper(volume, { mountPath: HELPER_MOUNT, readOnly: false }, signal)));
  const helpers = created.flatMap(result => result.status === 'fulfilled' ? [result.value] : []);
  try {
    const refused = created.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (refused) throw refused.reason;
    uploads = router.outputs.map((output, i) => client.putArchive(helpers[i]!, HELPER_MOUNT, output, upload.signal));
    for (const pending of uploads) pending.catch(fail);
    piped = pipelineAll([...streams, router] as never[]).catch((err: unknown) => {
      pipeFailure = err;
      fail(err);
    });
    await Promise.all(uploads);
    await piped;
    if (failure !== undefined) throw failure as Error;
    return { ...router.progress, contentBytes: router.contentBytes };
  } catch (err) {
    // The archive's own failure (damaged, refused entry, too large) is the cause even when an upload, whose
    // body it ended, reported first; a premature close there is only the echo of our own abort.
    await piped;
    const echo = ['ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED'].includes((pipeFailure as { code?: string } | undefined)?.code ?? '');
    const cancelled = failure instanceof DockerError && failure.kind === 'cancelled';
    throw (pipeFailure !== undefined && !echo && !cancelled ? pipeFailure : undefined) ?? failure ?? err;
  } finally {
    signal?.removeEventListener('abort', onOuterAbort);
    await Promise.all(helpers.map(helper => client.removeContainer(helper, { force: true }).catch(() => undefined)));
  }
}

/** Copies one volume's content into another, archive stream to archive stream: no file, no running container. */
export async function copyVolumeContent(client: DockerClient, from: string, to: string, options: UploadOptions = {}): Promise<Progress & { contentBytes: number }> {
  return withHelper(client, from, true, async source => {
    const archive = await client.getArchive(source, `${HELPER_MOUNT}/.`, options.signal);
    return uploadIntoVolume(client, to, [archive], options);
  }, options.signal);
}

/** Extracts an archive file into a volume (after `verifyArchive`). */
export async function extractIntoVolume(client: DockerClient, file: string, volume: string, options: UploadOptions = {}): Promise<void> {
  await uploadIntoVolume(client, volume, [fs.createReadStream(file), zlib.createGunzip()], options);
}

export type RestoreMode = 'new' | 'replace' | 'merge';

export interface RestorePlan {
  archive: string;
  target: string;
  /** new: create `target`; replace: empty it first; merge: add to what it holds. */
  mode: RestoreMode;
  /** From the manifest: checked while reading, before the target is touched. */
  expectedSha256?: string;
  /** Driver, options and labels for a new target (from the manifest). */
  create?: { driver?: string; driverOpts?: Record<string, string>; labels?: Record<string, string> };
  /** An image with `sh` and `find`, to empty a target that containers still refer to (replace). */
  shellImage?: string;
  /** Network mode for that helper ("none" on daemons without a bridge). */
  networkMode?: string;
  /** Labels for the temporary volume and helpers. */
  labels?: Record<string, string>;
  /** Uploads at once into the volume (default: extractionStreams). */
  parallel?: number;
  /** Regular-file bytes the archive may hold; past it the extraction stops (compression bombs). */
  maxContentBytes?: number;
}

export interface RestoreResult {
  files: number;
  contentBytes: number;
  /** What the target holds afterwards (measured). */
  targetFiles: number;
  targetContentBytes: number;
}

/** Reads the archive once: checksum, gunzip and header checks all on the way into `volume`. */
async function extractChecked(client: DockerClient, plan: RestorePlan, volume: string, signal?: AbortSignal, onProgress?: (p: Progress) => void): Promise<{ files: number; contentBytes: number }> {
  const sha = new Sha256Tap();
  let extracted: { files: number; contentBytes: number };
  try {
    const source = fs.createReadStream(plan.archive, { highWaterMark: 1024 * 1024 });
    const { files, contentBytes } = await uploadIntoVolume(client, volume, [source, sha, zlib.createGunzip({ chunkSize: 1024 * 1024 })], { check: true, ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}), ...(plan.parallel ? { parallel: plan.parallel } : {}), ...(plan.maxContentBytes !== undefined ? { maxContentBytes: plan.maxContentBytes } : {}) });
    extracted = { files, contentBytes };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (signal?.aborted) throw new DockerError('cancelled', 'Restore cancelled', 'restore');
    if (err instanceof DockerError) throw err;
    if (err instanceof ArchiveTooLargeError) throw new DockerError('invalid', `The archive expands past ${err.limit} bytes of content`, 'restore').because({ id: 'archiveTooLarge', limit: err.limit });
    if (code === 'ENOENT') throw new DockerError('notFound', `No archive at ${plan.archive}`, 'restore').because({ id: 'noFile', file: plan.archive });
    if (code.startsWith('Z_') || /unexpected end|incorrect header|Unexpected end of data|invalid tar/i.test(String((err as Error).message))) {
      throw new DockerError('invalid', `The archive is damaged (${(err as Error).message}): it may be truncated or not a .tar.gz`, 'restore', code).because({ id: 'archiveDamaged', detail: (err as Error).message });
    }
    throw streamBroken(err) ?? err;
  }
  const digest = sha.digest();
  if (plan.expectedSha256 && digest !== plan.expectedSha256) {
    throw new DockerError('invalid', `The archive's checksum does not match its manifest (expected ${plan.expectedSha256.slice(0, 12)}…, got ${digest.slice(0, 12)}…)`, 'restore')
      .because({ id: 'checksumMismatch', expected: plan.expectedSha256.slice(0, 12), actual: digest.slice(0, 12) });
  }
  return extracted;
}

/**
 * Counts a volume's entries and regular-file bytes straight from its mountpoint, when this process can read
 * it: a daemon on this machine (unix socket) whose data folder is readable, as with rootless Docker or as
 * root. Each inode's bytes once, as tar stores hard links. Undefined when the folder is out of reach.
 */
export async function countFromMountpoint(client: DockerClient, volume: string, signal?: AbortSignal): Promise<{ files: number; contentBytes: number } | undefined> {
  if (client.endpoint.transport !== 'unix') return undefined;
  const { mountpoint } = await client.inspectVolume(volume, signal);
  try {
    await fs.promises.access(mountpoint, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    return undefined;
  }
  const seen = new Set<number>();
  let files = 1; // the volume's root, "./" in the archive
  let contentBytes = 0;
  // Synchronous calls in slices: thousands of small stats cost less than their round trips to the
  // thread pool, and yielding between slices keeps the extension host responsive on big volumes.
  const folders = [mountpoint];
  try {
    for (let done = 0; folders.length;) {
      const dir = folders.pop()!;
      const entries = fs.readdirSync(dir, { withFileTypes: true });
      files += entries.length;
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) folders.push(full);
        else if (entry.isFile()) {
          const stat = fs.lstatSync(full);
          if (!seen.has(stat.ino)) {
            seen.add(stat.ino);
            contentBytes += stat.size;
          }
        }
      }
      done += entries.length;
      if (done >= 2000) {
        done = 0;
        await new Promise(resolve => setImmediate(resolve));
        if (signal?.aborted) throw new DockerError('cancelled', 'Count cancelled', 'restore');
      }
    }
  } catch (err) {
    if (err instanceof DockerError) throw err;
    return undefined; // a folder we may not read: count through the daemon instead
  }
  return { files, contentBytes };
}

/**
 * Counts a volume's entries and regular-file bytes (each inode once, as tar stores hard links) with `find`
 * and `stat` in a short-lived container from the shell image: a fraction of the time of streaming the
 * whole volume back. Undefined when that image is not on the daemon or lacks the tools.
 */
async function countWithShell(client: DockerClient, volume: string, plan: RestorePlan, signal?: AbortSignal): Promise<{ files: number; contentBytes: number } | undefined> {
  if (!(await client.inspectImage(plan.shellImage ?? 'busybox', signal).then(() => true, () => false))) return undefined;
  const script = `find ${HELPER_MOUNT} -exec stat -c x {} + | wc -l; find ${HELPER_MOUNT} -type f -exec stat -c '%i %s' {} + | awk '!seen[$1]++ { s += $2 } END { print s + 0 }'`;
  const result = await inShellContainer(client, volume, true, ['sh', '-c', script], plan, signal);
  const [files, bytes] = result.output.trim().split(/\s+/).map(Number);
  if (result.exitCode !== 0 || !Number.isFinite(files) || !Number.isFinite(bytes)) return undefined;
  return { files: files!, contentBytes: bytes! };
}

/** Runs `command` in a short-lived container of the shell image with `volume` at /data, then removes it. */
async function inShellContainer(client: DockerClient, volume: string, readOnly: boolean, command: string[], plan: RestorePlan, signal?: AbortSignal): Promise<{ exitCode: number; output: string }> {
  const c = await client.runContainer({
    image: plan.shellImage ?? 'busybox', command: ['sleep', '600'], mounts: [{ type: 'volume', source: volume, target: HELPER_MOUNT, readOnly }],
    labels: plan.labels ?? {}, ...(plan.networkMode ? { networkMode: plan.networkMode } : {}),
  }, signal);
  try {
    return await client.exec(c.id, command, signal);
  } finally {
    await client.removeContainer(c.id, { force: true }).catch(() => undefined);
  }
}

/** Empties a volume that containers still refer to: `find -delete` in a short-lived container. */
async function emptyVolume(client: DockerClient, volume: string, plan: RestorePlan, signal?: AbortSignal): Promise<void> {
  const result = await inShellContainer(client, volume, false, ['find', HELPER_MOUNT, '-mindepth', '1', '-maxdepth', '1', '-exec', 'rm', '-rf', '{}', '+'], plan, signal);
  if (result.exitCode !== 0) throw new DockerError('engine', `Could not empty ${volume}: ${result.output.trim()}`, 'restore').because({ id: 'couldNotEmpty', volume, output: result.output.trim() });
}

/**
 * Restores an archive. A new target is filled directly and removed again if anything fails; an existing
 * target is touched only after the whole archive was read, checked and extracted into a temporary volume.
 */
export async function restoreVolume(client: DockerClient, plan: RestorePlan, options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<RestoreResult> {
  const { signal, onProgress } = options;
  let extracted: { files: number; contentBytes: number };
  if (plan.mode === 'new') {
    // Creating a volume that exists succeeds silently in Docker: refuse it here, or "new" would merge.
    const existing = await client.inspectVolume(plan.target, signal).catch((err: unknown) => {
      if (err instanceof DockerError && err.kind === 'notFound') return undefined;
      throw err;
    });
    if (existing) throw new DockerError('conflict', `Volume ${plan.target} already exists: restore into it with replace or merge, or choose a new name`, 'restore').because({ id: 'targetExists', volume: plan.target });
    await client.createVolume({ name: plan.target, ...(plan.create ?? {}), labels: { ...(plan.create?.labels ?? {}) } }, signal);
    try {
      extracted = await extractChecked(client, plan, plan.target, signal, onProgress);
    } catch (err) {
      await client.removeVolume(plan.target, { force: true }).catch(() => undefined);
      throw err;
    }
  } else {
    await client.inspectVolume(plan.target, signal); // notFound before anything else
    const temp = await client.createVolume({ labels: { ...(plan.labels ?? {}), 'volumes-lab.restore-of': plan.target } }, signal);
    try {
      extracted = await extractChecked(client, plan, temp.name, signal, onProgress);
      if (plan.mode === 'replace') {
        const users = (await client.listContainers({ all: true }, signal)).filter(c => c.mounts.some(m => m.type === 'volume' && m.name === plan.target));
        if (users.length === 0) {
          // Nobody refers to it: recreate it empty, with the same driver, options and labels.
          const spec = await client.inspectVolume(plan.target, signal);
          await client.removeVolume(plan.target, {}, signal);
          await client.createVolume({ name: spec.name, driver: spec.driver, driverOpts: spec.options, labels: spec.labels }, signal);
        } else {
          await emptyVolume(client, plan.target, plan, signal);
        }
      }
      await copyVolumeContent(client, temp.name, plan.target, { ...(signal ? { signal } : {}), ...(plan.parallel ? { parallel: plan.parallel } : {}) });
    } finally {
      await client.removeVolume(temp.name, { force: true }).catch(() => undefined);
    }
  }
  // The cheapest exact count available: the mountpoint itself, else find in a short-lived container, else
  // the whole volume streamed back through the archive API.
  const after = await countFromMountpoint(client, plan.target, signal).catch(() => undefined)
    ?? await countWithShell(client, plan.target, plan, signal).catch(() => undefined)
    ?? await measureVolume(client, plan.target, signal);
  const complete = plan.mode === 'merge' ? after.files >= extracted.files : after.files === extracted.files && after.contentBytes === extracted.contentBytes;
  if (!complete) {
    throw new DockerError('engine', `The restored volume holds ${after.files} entries (${after.contentBytes} bytes); the archive had ${extracted.files} (${extracted.contentBytes} bytes)`, 'restore')
      .because({ id: 'restoredMismatch', files: after.files, bytes: after.contentBytes, expectedFiles: extracted.files, expectedBytes: extracted.contentBytes });
  }
  return { ...extracted, targetFiles: after.files, targetContentBytes: after.contentBytes };
}
