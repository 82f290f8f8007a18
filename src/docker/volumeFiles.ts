import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { DockerError } from './errors';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface ArchiveEntry {
  /** Name inside the listed directory (no slashes). */
  name: string;
  kind: EntryKind;
  size: number;
  /** Milliseconds since the epoch. */
  mtime: number;
  linkTarget?: string;
}

function kindOf(type: string | null | undefined): EntryKind {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
    case 'link':
      return 'symlink';
    default:
      return 'other';
  }
}

/** How much a listing may read: the archive of a folder carries every file below it, contents included. */
export interface ListingLimits {
  /** Direct children kept (default 5,000). */
  maxEntries?: number;
  /** Archive bytes read before the listing stops (default 64 MiB). */
  maxBytes?: number;
}

export type DirectoryListing = ArchiveEntry[] & {
  /** True when a limit stopped the reading: children after that point are missing. */
  truncated: boolean;
};

/**
 * The direct children of a directory, from the tar stream of `<dir>/.` (entries `./a`, `./a/b`, ...):
 * only headers are read, file bodies are skipped, and the stream is closed (the daemon stops sending)
 * once a limit is reached, so that listing a folder never reads a whole volume.
 */
export function listDirectoryFromArchive(stream: Readable, limits: ListingLimits = {}): Promise<DirectoryListing> {
  const maxEntries = limits.maxEntries ?? 5000;
  const maxBytes = limits.maxBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const extract = tar.extract();
    const children = new Map<string, ArchiveEntry>();
    let read = 0;
    let settled = false;
    const finish = (truncated: boolean) => {
      if (settled) return;
      settled = true;
      const sorted = [...children.values()].sort((a, b) => a.name.localeCompare(b.name));
      resolve(Object.assign(sorted, { truncated }));
    };
    const stop = () => {
      finish(true);
      if (typeof stream.unpipe === 'function') stream.unpipe(extract);
      stream.destroy();
      extract.destroy();
    };
    stream.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read > maxBytes) stop();
    });
    extract.on('entry', (header, body, next) => {
      const relative = header.name.replace(/^\.\//, '').replace(/\/$/, '');
      if (relative && relative !== '.') {
        const [first, ...rest] = relative.split('/');
        if (first && rest.length === 0) {
          children.set(first, {
            name: first,
            kind: kindOf(header.type),
            size: header.size ?? 0,
            mtime: header.mtime ? header.mtime.getTime() : 0,
            ...(header.linkname ? { linkTarget: header.linkname } : {}),
          });
        } else if (first && !children.has(first)) {
          // A deeper entry whose directory header was not seen first.
          children.set(first, { name: first, kind: 'directory', size: 0, mtime: 0 });
        }
        if (children.size >= maxEntries) {
          stop();
          return;
        }
      }
      body.on('end', next);
      body.resume();
    });
    extract.on('finish', () => finish(false));
    extract.on('error', (err) => {
      if (!settled) reject(err);
    });
    stream.on('error', (err) => {
      if (!settled) reject(err);
    });
    stream.pipe(extract);
  });
}

/** The body of the single regular file in a tar stream, refusing files larger than `maxBytes`. */
export function readFileFromArchive(stream: Readable, maxBytes: number, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const extract = tar.extract();
    let result: Buffer | undefined;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      stream.destroy();
      reject(err);
    };
    extract.on('entry', (header, body, next) => {
      if (result !== undefined || kindOf(header.type) !== 'file') {
        body.on('end', next);
        body.resume();
        return;
      }
      if ((header.size ?? 0) > maxBytes) {
        fail(
          new DockerError(
            'invalid',
            `${what} is ${header.size ?? 0} bytes, over the ${maxBytes}-byte limit for opening files`,
            'read file',
          ).because({ id: 'fileTooLarge', file: what, bytes: header.size ?? 0, limit: maxBytes }),
        );
        return;
      }
      const chunks: Buffer[] = [];
      body.on('data', (c: unknown) => chunks.push(c as Buffer));
      body.on('end', () => {
        result = Buffer.concat(chunks);
        next();
      });
    });
    extract.on('finish', () => {
      if (failed) return;
      if (result === undefined)
        reject(
          new DockerError('invalid', `${what} is not a regular file`, 'read file').because({
            id: 'notRegularFile',
            file: what,
          }),
        );
      else resolve(result);
    });
    extract.on('error', (err) => fail(err));
    stream.on('error', (err) => fail(err));
    stream.pipe(extract);
  });
}
