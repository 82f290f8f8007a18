/**
 * Splits one tar stream into several, entry by entry, without decoding and re-encoding anything: each
 * entry's own bytes (with the pax or GNU long-name records in front of it) go to one output unchanged, so
 * names in any encoding, modes, owners, extended attributes and sparse maps arrive as they were written.
 * (Re-packing with a tar library would rewrite headers: non-UTF-8 names and some fields would not survive.)
 *
 * Rules that keep the result identical to one sequential extraction:
 * - an entry goes to the output chosen by a hash of its path, so two entries for one path keep their order;
 *   a hard link goes where its target went, after it;
 * - directories are held back and sent last through output 0, once `beforeLast` says the other outputs
 *   are fully extracted, so that their modes, owners and times are applied after every file is in place
 *   (extractors create missing parent folders on their own);
 * - pax global headers go to every output.
 *
 * Headers are read as the daemon (Go's archive/tar) reads them, so that what is checked and counted is what gets
 * extracted: no data after a link, folder, device or FIFO header whatever its size field says; a trailing `/` makes a
 * folder only under the old `\0` flag; an empty pax value or GNU long name leaves the header's own value.
 *
 * And bounds that a hostile archive cannot push: an extension record (pax, GNU long name or link) larger
 * than `maxExtensionBytes` is refused before it is buffered; held-back directory headers past
 * `maxHeldBytes` in memory go to a temporary file and are streamed from it at the end, and that file stops
 * at `maxSpillBytes`; regular-file content past `maxContentBytes`, or more entries than `maxEntries` (millions
 * of empty files use up the volume's inodes, not its bytes), stop the extraction with an ArchiveTooLargeError.
 */
import { PassThrough, Writable } from 'node:stream';
import {
  BLOCK,
  carriesData,
  checksumMatches,
  namePrefix,
  numberField,
  paxRecords,
  textField,
  TYPES,
  type TarEntry,
} from './tarHeaders';
import { ArchiveTooLargeError, HeldFolders } from './tarHeldFolders';

const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
const SMALL_PIECE = 64 * 1024;
const BATCH_BYTES = 256 * 1024;
/** Real pax records and long names are a few KiB (PATH_MAX is 4 KiB); a 4 GiB one would crash the host. */
export const MAX_EXTENSION_BYTES = 1024 * 1024;

/** A pax size as Go's reader accepts it (decimal digits only): anything else would make our limits NaN. */
function paxNumber(records: Map<string, Buffer>, key: string): number | undefined {
  const raw = records.get(key);
  if (raw === undefined) return undefined;
  const text = raw.toString('latin1');
  if (!/^[0-9]{1,15}$/.test(text))
    throw new Error(`invalid tar header: a pax ${key} of "${text.slice(0, 40)}" (the archive is damaged)`);
  return Number(text);
}
export interface TarRouterOptions {
  /** Returns why an entry must not go through; the router then fails before sending any of its bytes. */
  check?: (entry: TarEntry) => Error | undefined;
  /** Resolves when outputs 1… are fully consumed; directories are sent after it. */
  beforeLast?: () => Promise<unknown>;
  /** Bytes buffered per output before the input waits. */
  highWaterMark?: number;
  onProgress?: (progress: { bytes: number; files: number }) => void;
  /** Largest extension record accepted (default MAX_EXTENSION_BYTES). */
  maxExtensionBytes?: number;
  /** Held-back directory bytes kept in memory before they go to a temporary file (default 32 MiB). */
  maxHeldBytes?: number;
  /** Regular-file bytes allowed in all (no limit when absent). */
  maxContentBytes?: number;
  /** Entries allowed in all (no limit when absent). */
  maxEntries?: number;
  /** Held-back directory bytes the temporary file may take (default MAX_SPILL_BYTES). */
  maxSpillBytes?: number;
  /**
   * Reads headers (counts, checks, limits) and routes no byte: a counter passes the data on itself, and copying
   * every small file into batches only to drop them was most of its CPU time.
   */
  headersOnly?: boolean;
}

/** A path as routing sees it: bytes (latin1 keeps them one to one), without `./`, `/` in front or at the end. */
function routeKey(raw: Buffer): string {
  return raw
    .toString('latin1')
    .replace(/^(?:\.\/|\/)+/, '')
    .replace(/\/+$/, '')
    .replace(/^\.$/, '');
}

function outputFor(key: string, outputs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % outputs;
}

type State = 'header' | 'sparse' | 'data' | 'extension' | 'end';

/**
 * Whether pax records describe a GNU sparse file, as Go's `readGNUSparsePAXHeaders` decides: versions 0.0, 0.1 and
 * 1.0, or a sparse map without a version; an unknown version is not one (its `GNU.sparse.name` is then ignored).
 */
function isPaxSparseFile(records: Map<string, Buffer>): boolean {
  const major = records.get('GNU.sparse.major')?.toString('latin1') || undefined;
  const minor = records.get('GNU.sparse.minor')?.toString('latin1') || undefined;
  if (major === '0' && (minor === '0' || minor === '1')) return true;
  if (major === '1' && minor === '0') return true;
  if (major !== undefined || minor !== undefined) return false;
  return Boolean(records.get('GNU.sparse.map')?.length);
}

export class TarRouter extends Writable {
  readonly outputs: PassThrough[];
  readonly progress = { bytes: 0, files: 0 };
  /** Bytes of the regular files seen (hard links count nothing, as on disk). */
  contentBytes = 0;
  /** Bytes of held-back directory headers that went to the temporary file instead of memory. */
  get spilledBytes(): number {
    return this.folders.spilledBytes;
  }

  private state: State = 'header';
  private readonly block = Buffer.alloc(BLOCK);
  private blockFill = 0;
  /** Data bytes (with padding) left in the current entry or extension record. */
  private remaining = 0;
  private dataBytes = 0;
  /** Where the current entry's bytes go: an output, every output (-1), or the held-back directory (-2). */
  private target = 0;
  /** Extension records waiting for the entry they describe, and what they said. */
  private prefix: Buffer[] = [];
  private extensionType = '';
  private extensionData: Buffer[] = [];
  /** GNU `L`/`K` records and the last pax record set, kept apart: the daemon (Go's archive/tar) lets GNU win. */
  private gnuName: Buffer | undefined;
  private gnuLink: Buffer | undefined;
  private paxName: Buffer | undefined;
  /** `GNU.sparse.name` of a pax sparse file: Go's reader puts it over every other name. */
  private sparseName: Buffer | undefined;
  private paxLink: Buffer | undefined;
  private paxSize: number | undefined;
  /** A sparse file's size once its holes are filled (pax `GNU.sparse.size` / `.realsize`), which the daemon writes. */
  private paxRealSize: number | undefined;
  /** Bytes of extension records held for the next entry: one of each kind is real; hundreds are an attack. */
  private prefixBytes = 0;
  private readonly folders: HeldFolders;
  private readonly blocked = new Set<PassThrough>();
  private readonly batches: Buffer[][];
  private readonly batchBytes: number[];

  constructor(
    outputCount: number,
    private readonly options: TarRouterOptions = {},
  ) {
    super();
    const highWaterMark = options.highWaterMark ?? 16 * 1024 * 1024;
    this.outputs = Array.from({ length: Math.max(1, outputCount) }, () => new PassThrough({ highWaterMark }));
    this.batches = this.outputs.map(() => []);
    this.batchBytes = this.outputs.map(() => 0);
    this.folders = new HeldFolders(options.maxHeldBytes, options.maxSpillBytes);
  }

  private send(output: number, bytes: Buffer): void {
    if (this.options.headersOnly) return;
    if (output === -2) {
      this.folders.hold(bytes);
      return;
    }
    const targets = output === -1 ? this.outputs.map((_, i) => i) : [output];
    for (const i of targets) {
      // Small pieces (headers, small files) are gathered into larger writes: one write per piece would
      // cost a system call here and another in the daemon for every few hundred bytes.
      // Pieces never point into reused memory (headers are copied out of `block`): keeping them is safe.
      if (bytes.length < SMALL_PIECE) {
        this.batches[i]!.push(bytes);
        this.batchBytes[i]! += bytes.length;
        if (this.batchBytes[i]! >= BATCH_BYTES) this.flush(i);
      } else {
        this.flush(i);
        this.writeTo(i, bytes);
      }
    }
  }

  private writeTo(i: number, bytes: Buffer): void {
    const stream = this.outputs[i]!;
    if (!stream.write(bytes)) this.blocked.add(stream);
  }

  private flush(i: number): void {
    if (!this.batchBytes[i]) return;
    this.writeTo(i, Buffer.concat(this.batches[i]!, this.batchBytes[i]));
    this.batches[i] = [];
    this.batchBytes[i] = 0;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      this.route(chunk);
    } catch (err) {
      callback(err as Error);
      return;
    }
    this.progress.bytes += chunk.length;
    this.options.onProgress?.(this.progress);
    if (!this.blocked.size) return callback();
    const waiting = [...this.blocked];
    this.blocked.clear();
    let left = waiting.length;
    for (const stream of waiting)
      stream.once('drain', () => {
        if (--left === 0) callback();
      });
  }

  private route(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.state === 'end') return;
      if (this.state === 'data' || this.state === 'extension') {
        const take = Math.min(this.remaining, chunk.length - at);
        const piece = chunk.subarray(at, at + take);
        if (this.state === 'data') this.send(this.target, piece);
        else {
          this.holdForEntry(piece);
          this.extensionData.push(piece);
        }
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) {
          if (this.state === 'data') this.state = 'header';
          else this.endOfExtension();
        }
        continue;
      }
      const take = Math.min(BLOCK - this.blockFill, chunk.length - at);
      chunk.copy(this.block, this.blockFill, at, at + take);
      this.blockFill += take;
      at += take;
      if (this.blockFill < BLOCK) continue;
      this.blockFill = 0;
      if (this.state === 'sparse') this.sparseBlock();
      else this.header();
    }
  }

  private header(): void {
    const block = this.block;
    if (block.every((byte) => byte === 0)) {
      this.state = 'end';
      return;
    }
    if (!checksumMatches(block)) throw new Error('invalid tar header: checksum mismatch (the archive is damaged)');
    const flag = String.fromCharCode(block[156]!);
    const statedSize = this.paxSize ?? numberField(block, 124, 12);
    if (flag === 'x' || flag === 'L' || flag === 'K' || flag === 'g') {
      const stored = numberField(block, 124, 12);
      const limit = this.options.maxExtensionBytes ?? MAX_EXTENSION_BYTES;
      if (stored > limit)
        throw new Error(`invalid tar header: an extension record of ${stored} bytes (the limit is ${limit})`);
      if (flag === 'g') {
        this.send(-1, Buffer.from(block));
        this.target = -1;
        this.remaining = Math.ceil(stored / BLOCK) * BLOCK;
        this.dataBytes = stored;
        this.state = this.remaining ? 'data' : 'header';
        return;
      }
      this.holdForEntry(Buffer.from(block));
      this.extensionType = flag;
      this.extensionData = [];
      this.dataBytes = stored;
      this.remaining = Math.ceil(stored / BLOCK) * BLOCK;
      this.state = this.remaining ? 'extension' : 'header';
      if (!this.remaining) this.endOfExtension();
      return;
    }
    let rawName = textField(block, 0, 100);
    const prefix = namePrefix(block);
    if (prefix.length) rawName = Buffer.concat([prefix, Buffer.from('/'), rawName]);
    // The name the daemon will use, as Go's archive/tar reads it: a pax sparse file's own name, else a GNU long name,
    // else the pax path, else the header.
    // (An old GNU `S` sparse header reads its own map: pax sparse records do not rename it.)
    const sparseName = flag === 'S' ? undefined : this.sparseName;
    rawName = (this.gnuName?.length ? this.gnuName : undefined) ?? this.paxName ?? rawName;
    // Only the old V7 flag (`\0`) reads a trailing slash as a folder, and on the name before a sparse rename: Go's
    // TypeRegA rule. A flag `0` entry `big/` is a regular file that the daemon writes as `big`, data and all.
    let type = TYPES[flag] ?? 'other';
    if (flag === '\0' && rawName[rawName.length - 1] === 0x2f) type = 'directory';
    rawName = sparseName ?? rawName;
    const rawLink = (this.gnuLink?.length ? this.gnuLink : undefined) ?? this.paxLink ?? textField(block, 157, 100);
    const size = carriesData(type) ? statedSize : 0;
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    const entry: TarEntry = { name: rawName.toString('utf8'), linkname: rawLink.toString('utf8'), type, size };
    const problem = this.options.check?.(entry);
    if (problem) throw problem;
    this.progress.files++;
    if (this.options.maxEntries !== undefined && this.progress.files > this.options.maxEntries)
      throw new ArchiveTooLargeError(this.options.maxEntries, 'entries');
    if (type === 'file') {
      // What the daemon writes: a sparse entry stores less than it extracts (old GNU 'S' headers keep the real size at
      // 483).
      const realSize = Math.max(size, this.paxRealSize ?? 0, flag === 'S' ? numberField(block, 483, 12) : 0);
      this.contentBytes += realSize;
      const max = this.options.maxContentBytes;
      if (max !== undefined && this.contentBytes > max) throw new ArchiveTooLargeError(max);
    }

    const key = routeKey(rawName);
    const deferDirectories = this.outputs.length > 1;
    if (type === 'directory' && deferDirectories) {
      this.target = -2;
      this.folders.begin(key);
    } else {
      // A file that takes a folder's path replaces it, as in order: its held-back header must not come back.
      if (deferDirectories) this.folders.forget(key);
      this.target = outputFor(type === 'link' ? routeKey(rawLink) : key, this.outputs.length);
    }
    for (const piece of this.prefix) this.send(this.target, piece);
    this.send(this.target, Buffer.from(block));
    this.prefix = [];
    this.prefixBytes = 0;
    this.paxRealSize = undefined;
    this.gnuName = undefined;
    this.gnuLink = undefined;
    this.paxName = undefined;
    this.sparseName = undefined;
    this.paxLink = undefined;
    this.paxSize = undefined;
    this.remaining = padded;
    this.dataBytes = size;
    // Old GNU sparse files carry more header blocks while the "extended" byte is set.
    if (flag === 'S' && block[482]) this.state = 'sparse';
    else this.state = padded ? 'data' : 'header';
  }

  private sparseBlock(): void {
    this.send(this.target, Buffer.from(this.block));
    if (!this.block[504]) this.state = this.remaining ? 'data' : 'header';
  }

  private holdForEntry(piece: Buffer): void {
    const limit = 3 * (this.options.maxExtensionBytes ?? MAX_EXTENSION_BYTES);
    this.prefixBytes += piece.length;
    if (this.prefixBytes > limit)
      throw new Error(`invalid tar header: more than ${limit} bytes of extension records before one entry`);
    this.prefix.push(piece);
  }

  private endOfExtension(): void {
    const data = Buffer.concat(this.extensionData).subarray(0, this.dataBytes);
    if (this.extensionType === 'L') this.gnuName = textField(data, 0, data.length);
    else if (this.extensionType === 'K') this.gnuLink = textField(data, 0, data.length);
    else {
      // A later pax record set replaces an earlier one whole, as in Go's reader. An empty value is no value: Go's
      // mergePAX keeps the header's name, link or size, and its sparse rules read "" as absent.
      const records = new Map([...paxRecords(data)].filter(([, value]) => value.length > 0));
      this.paxName = records.get('path');
      const sparseName = isPaxSparseFile(records) ? records.get('GNU.sparse.name') : undefined;
      this.sparseName = sparseName?.length ? sparseName : undefined;
      this.paxLink = records.get('linkpath');
      this.paxSize = paxNumber(records, 'size');
      // Go sizes a pax sparse file by GNU.sparse.size first (format 0.x), then GNU.sparse.realsize (1.0).
      this.paxRealSize = paxNumber(records, 'GNU.sparse.size') ?? paxNumber(records, 'GNU.sparse.realsize');
    }
    this.extensionData = [];
    this.state = 'header';
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.state === 'extension' && this.remaining === 0) this.endOfExtension();
    if ((this.state !== 'header' && this.state !== 'end') || this.blockFill || this.prefix.length) {
      callback(new Error('Unexpected end of data: the archive is truncated'));
      return;
    }
    this.outputs.forEach((_, i) => this.flush(i));
    const [first, ...others] = this.outputs;
    for (const stream of others) stream.end(END_OF_ARCHIVE);
    const last = async () => {
      if (others.length) await this.options.beforeLast?.();
      await this.folders.sendTo(first!);
      first!.end(END_OF_ARCHIVE);
    };
    last()
      .finally(() => this.folders.close())
      .then(
        () => callback(),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Destroyed after a normal finish (autoDestroy), the outputs may still hold data their readers want.
    if (error || !this.writableFinished) for (const stream of this.outputs) stream.destroy();
    this.folders.close();
    callback(error);
  }
}
