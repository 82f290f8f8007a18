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
