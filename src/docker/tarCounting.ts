/**
 * Counting a tar stream's entries and regular-file bytes on its way through. One reader of tar headers for
 * every job: backups, measures and verification count here, restores in the TarRouter itself; both read
 * names as the daemon does and refuse an oversized extension record before buffering it.
 */
import { finished } from 'node:stream/promises';
import { Transform, type TransformCallback } from 'node:stream';
import type { TarEntry } from './tarHeaders';
import { TarRouter } from './tarRouter';

export interface Progress {
  /** Bytes of tar data read so far. */
  bytes: number;
  /** Entries (files, folders, links) seen so far. */
  files: number;
}

export interface TarCounterOptions {
  onProgress?: (p: Progress) => void;
  /** Returns why an entry must not go through; the stream then fails with it. */
  check?: (entry: TarEntry) => Error | undefined;
}

/**
 * Passes data through unchanged while a TarRouter reads the headers on the side (routing nothing): the counts and
 * checks are those of a restore.
 */
export class TarCounter extends Transform {
  private readonly router: TarRouter;
  private readonly routed: Promise<void>;

  constructor(options: TarCounterOptions = {}) {
    super();
    this.router = new TarRouter(1, { ...options, headersOnly: true });
    this.router.outputs[0]!.resume();
    this.routed = finished(this.router);
    // Awaited in _flush; a failure before that already failed the transform through its write.
    this.routed.catch(() => undefined);
  }

  get progress(): Progress {
    return this.router.progress;
  }

  /** Bytes of the regular files seen (hard links count nothing, as on disk). */
  get contentBytes(): number {
    return this.router.contentBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.push(chunk);
    this.router.write(chunk, (err) => callback(err ?? undefined));
  }

  override _flush(callback: TransformCallback): void {
    this.router.end();
    this.routed.then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.router.destroy();
    callback(error);
  }
}
