/**
 * The folder headers a split extraction holds back until every file is in place (see TarRouter): in memory up to a
 * limit, then in a temporary file that is itself bounded, so that half a million folders cannot exhaust the host.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PassThrough } from 'node:stream';

const MAX_HELD_BYTES = 32 * 1024 * 1024;
/** Two million folder headers: past that, the temporary file of held-back folders is refused, not grown. */
export const MAX_SPILL_BYTES = 1024 * 1024 * 1024;

/** The archive holds more regular-file content (or entries, or held-back folders) than the limit it was given. */
export class ArchiveTooLargeError extends Error {
  constructor(
    readonly limit: number,
    readonly what: 'content' | 'entries' | 'folders' = 'content',
  ) {
    super(
      what === 'content'
        ? `the archive expands past ${limit} bytes of content`
        : what === 'entries'
          ? `the archive holds more than ${limit} entries`
          : `the archive's folder headers pass ${limit} bytes`,
    );
  }
}

/** A held-back directory: its bytes in memory, or where they are in the spill file. */
type Held = Buffer[] | { offset: number; length: number };

export class HeldFolders {
  /** Bytes of held-back folder headers that went to the temporary file instead of memory. */
  spilledBytes = 0;
  private current: Held = [];
  private heldBytes = 0;
  private spill: { dir: string; fd: number; size: number } | undefined;
  private readonly folders = new Map<string, Held>();

  constructor(
    private readonly maxHeldBytes = MAX_HELD_BYTES,
    private readonly maxSpillBytes = MAX_SPILL_BYTES,
  ) {}

  /** Starts holding the folder `key`: a later header for the same folder replaces the earlier one, in order. */
  begin(key: string): void {
    this.current = this.spill ? { offset: this.spill.size, length: 0 } : [];
    this.folders.delete(key);
    this.folders.set(key, this.current);
  }

  /** A file that takes a folder's path replaces it, as in order: its held-back header must not come back. */
  forget(key: string): void {
    this.folders.delete(key);
  }

  /** Keeps a piece of the current directory's bytes: in memory up to the limit, then in the spill file. */
  hold(bytes: Buffer): void {
    const held = this.current;
    if (Array.isArray(held)) {
      held.push(Buffer.from(bytes));
      this.heldBytes += bytes.length;
      if (this.heldBytes > this.maxHeldBytes) this.spillHeld();
      return;
    }
    const cap = this.maxSpillBytes;
    if (this.spill!.size + bytes.length > cap) throw new ArchiveTooLargeError(cap, 'folders');
    fs.writeSync(this.spill!.fd, bytes, 0, bytes.length, this.spill!.size);
    this.spill!.size += bytes.length;
    this.spilledBytes += bytes.length;
    held.length += bytes.length;
  }

  /** Moves every held directory to a temporary file; later ones are written there directly. */
  private spillHeld(): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-tar-'));
    this.spill = { dir, fd: fs.openSync(path.join(dir, 'directories'), 'w+', 0o600), size: 0 };
    for (const [key, held] of this.folders) {
      if (!Array.isArray(held)) continue;
      const bytes = Buffer.concat(held);
      const moved = { offset: this.spill.size, length: bytes.length };
      fs.writeSync(this.spill.fd, bytes, 0, bytes.length, this.spill.size);
      this.spill.size += bytes.length;
      this.spilledBytes += bytes.length;
      this.folders.set(key, moved);
      if (held === this.current) this.current = moved;
    }
    this.heldBytes = 0;
    const cap = this.maxSpillBytes;
    if (this.spill.size > cap) throw new ArchiveTooLargeError(cap, 'folders');
  }

  /** Removes the temporary file; safe to call more than once. */
  close(): void {
    if (!this.spill) return;
    try {
      fs.closeSync(this.spill.fd);
    } catch {
      /* already closed */
    }
    fs.rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = undefined;
  }

  /** Sends the held directories, in order, to the first output, minding its backpressure. */
  async sendTo(first: PassThrough): Promise<void> {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (!batchBytes) return;
      const ok = first.write(Buffer.concat(batch, batchBytes));
      batch = [];
      batchBytes = 0;
      if (!ok)
        await new Promise<void>((resolve, reject) => {
          const onClose = () => reject(new Error('the upload stopped'));
          first.once('close', onClose);
          first.once('drain', () => {
            first.off('close', onClose);
            resolve();
          });
        });
    };
    for (const held of this.folders.values()) {
      const pieces = Array.isArray(held) ? held : [this.readSpill(held)];
      for (const piece of pieces) {
        batch.push(piece);
        batchBytes += piece.length;
      }
      if (batchBytes >= 1024 * 1024) await flush();
    }
    await flush();
  }

  private readSpill(range: { offset: number; length: number }): Buffer {
    const bytes = Buffer.alloc(range.length);
    fs.readSync(this.spill!.fd, bytes, 0, range.length, range.offset);
    return bytes;
  }
}
