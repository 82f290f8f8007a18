/**
 * One look at the disk for a path typed in a picker, off the extension host's thread and within a time limit: a
 * synchronous stat on a hung network mount would freeze every extension while the user types.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TypedPathInputs } from '../core/typedPath';

/** Past this, the look is given up: the path is said to be too slow to check. */
export const LOOK_LIMIT_MS = 1500;

/** What one look found at a path; `slow` when the disk did not answer within the limit. */
export type PathLook =
  | { path: string; entry: { isDirectory(): boolean; isFile(): boolean } | undefined; readable: boolean }
  | { path: string; slow: true };

async function look(p: string): Promise<PathLook> {
  const entry = await fs.promises.stat(p).catch(() => undefined);
  if (!entry) return { path: p, entry, readable: false };
  const mode = entry.isDirectory() ? fs.constants.R_OK | fs.constants.X_OK : fs.constants.R_OK;
  const readable = await fs.promises.access(p, mode).then(
    () => true,
    () => false,
  );
  return { path: p, entry, readable };
}

/** Looks at `p` (links followed), giving up after `limitMs`; the look itself cannot be cancelled, only ignored. */
export function lookAtPath(p: string, limitMs = LOOK_LIMIT_MS): Promise<PathLook> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<PathLook>((resolve) => {
    timer = setTimeout(() => resolve({ path: p, slow: true }), limitMs);
  });
  return Promise.race([look(p), late]).finally(() => clearTimeout(timer));
}

/** The inputs of the typed-path rules as this look saw the disk: nothing but the looked-at path is known to exist. */
export function seenInputs(seen: PathLook | undefined, paths: Pick<TypedPathInputs, 'home' | 'base'>): TypedPathInputs {
  const found = seen && !('slow' in seen) ? seen : undefined;
  return {
    ...paths,
    stat: (p) => (found && p === found.path ? found.entry : undefined),
    readable: (p) => !!found && p === found.path && found.readable,
  };
}

/** A regular file found in a folder (links followed). */
export interface FolderFile {
  path: string;
  bytes: number;
}

/** How many of a folder's files a picker lists under it: past that, the native dialog browses the rest. */
const LISTED_FILES = 50;

/**
 * The files of `folder` that `wanted` takes, by name, at most fifty; undefined when the folder cannot be read or the
 * disk did not answer within `limitMs` (like `lookAtPath`, off the extension host's thread).
 */
export function listFolderFiles(
  folder: string,
  wanted: (file: string) => boolean,
  limitMs = LOOK_LIMIT_MS,
): Promise<FolderFile[] | undefined> {
  const list = async (): Promise<FolderFile[] | undefined> => {
    const names = await fs.promises.readdir(folder).catch(() => undefined);
    if (!names) return undefined;
    const candidates = names
      .sort((a, b) => a.localeCompare(b))
      .map((name) => path.join(folder, name))
      .filter(wanted);
    const found: FolderFile[] = [];
    for (const file of candidates) {
      const entry = await fs.promises.stat(file).catch(() => undefined);
      if (entry?.isFile()) found.push({ path: file, bytes: entry.size });
      if (found.length === LISTED_FILES) break;
    }
    return found;
  };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), limitMs);
  });
  return Promise.race([list(), late]).finally(() => clearTimeout(timer));
}
