/** Counting a tar stream's entries and regular-file bytes on its way through. */
import { Transform, type TransformCallback } from 'node:stream';
import * as tar from 'tar-stream';

export interface Progress {
  /** Bytes of tar data read so far. */
  bytes: number;
  /** Entries (files, folders, links) seen so far. */
  files: number;
}

/**
 * Passes data through while reading tar headers on the side: counts entries and file bytes (backups and
 * measures; restores count in TarRouter, which also checks).
 */
export class TarCounter extends Transform {
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
