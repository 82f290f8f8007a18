import * as fs from 'node:fs';
import * as path from 'node:path';

/** True when `child` is `parent` or lies under it (both absolute, already resolved). */
export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The real path of `source` (symlinks followed) when it lies under the real path of one of `roots`;
 * undefined when it escapes them. A committed symlink (`flask -> /`) must not make a bind mount reach
 * outside the folders the user chose; `realpath` is injected so the rule can be tested on any tree.
 */
export function confinedRealPath(source: string, roots: string[], realpath: (p: string) => string): string | undefined {
  let real: string;
  try {
    real = realpath(source);
  } catch {
    return undefined;
  }
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = realpath(root);
    } catch {
      continue;
    }
    if (isInside(real, realRoot)) return real;
  }
  return undefined;
}

/** The target of the link `p`; undefined when `p` is not a link. */
export type ReadLink = (p: string) => string | undefined;

function readLinkOf(p: string): string | undefined {
  try {
    return fs.readlinkSync(p);
  } catch {
    return undefined;
  }
}

/** Links followed at most, the kernel's own limit: past it the links loop. */
const MAX_LINKS = 40;

/**
 * The real path of `p`: symlinks followed for the part that exists, the rest (a folder not created yet)
 * appended as written. Judging a missing path by its written form while the workspace is judged by its
 * real one would put `<workspace>/backups` outside a workspace opened through a symlinked parent.
 * A dangling link is followed to where it points, since creating through it writes there; undefined when
 * links loop.
 */
function resolveReal(p: string, realpath: (p: string) => string, readlink: ReadLink, links = 0): string | undefined {
  const tail: string[] = [];
  let current = path.resolve(p);
  for (;;) {
    try {
      return path.join(realpath(current), ...[...tail].reverse());
    } catch {
      const target = readlink(current);
      if (target !== undefined) {
        if (links >= MAX_LINKS) return undefined;
        const from = path.resolve(path.dirname(current), target);
        return resolveReal(path.join(from, ...[...tail].reverse()), realpath, readlink, links + 1);
      }
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(p);
      tail.push(path.basename(current));
      current = parent;
    }
  }
}

/** `resolveReal`, or the written path when links loop (nothing can be created there). */
export function realPathOf(p: string, realpath: (p: string) => string, readlink: ReadLink = readLinkOf): string {
  return resolveReal(p, realpath, readlink) ?? path.resolve(p);
}

/** Where a path not created yet would really be written, and whether that is under one of the roots. */
export interface RealPlacement {
  /** The nearest existing ancestor's real path, with the missing rest appended as written. */
  real: string;
  inside: boolean;
}

/**
 * Where creating `p` really writes: a committed symlink (`data -> /etc`) makes `<workspace>/data/new` a folder
 * under `/etc`, which the written text alone would place in the workspace; so does a dangling one. Inside only
 * when that real path lies under the real path of one of `roots`; never when links loop.
 */
export function realPlacement(
  p: string,
  roots: string[],
  realpath: (p: string) => string,
  readlink: ReadLink = readLinkOf,
): RealPlacement {
  const real = resolveReal(p, realpath, readlink);
  if (real === undefined) return { real: path.resolve(p), inside: false };
  return { real, inside: roots.some((root) => isInside(real, realPathOf(root, realpath, readlink))) };
}

/** Where a path was judged to come from: `judged` is the real path the decision looked at. */
export interface WorkspaceOrigin {
  inside: boolean;
  judged: string;
}

/**
 * Whether `file` is the workspace's: its real path lies under a root's real path, or it is reached through
 * a root (`<workspace>/backups -> /tmp` is a place the repository chose, wherever it leads). Either form of
 * the path under either form of a root counts, so a symlinked parent or target never flips the answer.
 */
export function workspaceOrigin(
  file: string,
  roots: string[],
  realpath: (p: string) => string,
  readlink: ReadLink = readLinkOf,
): WorkspaceOrigin {
  const written = path.resolve(file);
  const judged = realPathOf(file, realpath, readlink);
  const inside = roots.some((root) => {
    const forms = [path.resolve(root), realPathOf(root, realpath, readlink)];
    return forms.some((r) => isInside(written, r) || isInside(judged, r));
  });
  return { inside, judged };
}
