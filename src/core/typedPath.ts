/**
 * A path the user typed in a picker: `~` is their home, a relative path is taken from the workspace folder, and the
 * result is checked for what the picker needs (a folder or a file that exists and can be read). The file system is
 * injected so that the rule is tested on any tree.
 */
import * as path from 'node:path';

export interface TypedPathInputs {
  home: string;
  /** The folder a relative path is taken from (the first workspace folder); undefined: none is open. */
  base: string | undefined;
  /** What is at `p` (symlinks followed); undefined when nothing is. */
  stat(p: string): { isDirectory(): boolean; isFile(): boolean } | undefined;
  /** True when the current user may read `p` (and list it, for a folder). */
  readable(p: string): boolean;
}

export type TypedPathCheck =
  | { kind: 'ok'; path: string }
  /** Nothing there yet: a folder picker may offer to create it. */
  | { kind: 'missing'; path: string }
  | { kind: 'empty' }
  /** Relative, with no workspace folder to take it from. */
  | { kind: 'noBase'; typed: string }
  | { kind: 'notFolder'; path: string }
  | { kind: 'notFile'; path: string }
  | { kind: 'unreadable'; path: string };

/** The absolute path `typed` names; undefined when it is empty or relative with no workspace folder. */
export function resolveTypedPath(typed: string, inputs: Pick<TypedPathInputs, 'home' | 'base'>): string | undefined {
  const text = typed.trim();
  if (!text) return undefined;
  if (text === '~') return inputs.home;
  if (/^~[\\/]/.test(text)) return path.join(inputs.home, text.slice(2));
  if (path.isAbsolute(text)) return path.normalize(text);
  return inputs.base === undefined ? undefined : path.resolve(inputs.base, text);
}

/** Whether `typed` names the kind of entry the picker wants. */
export function checkTypedPath(typed: string, want: 'folder' | 'file', inputs: TypedPathInputs): TypedPathCheck {
  if (!typed.trim()) return { kind: 'empty' };
  const resolved = resolveTypedPath(typed, inputs);
  if (resolved === undefined) return { kind: 'noBase', typed: typed.trim() };
  const entry = inputs.stat(resolved);
  if (!entry) return { kind: 'missing', path: resolved };
  if (want === 'folder' && !entry.isDirectory()) return { kind: 'notFolder', path: resolved };
  if (want === 'file' && !entry.isFile()) return { kind: 'notFile', path: resolved };
  if (!inputs.readable(resolved)) return { kind: 'unreadable', path: resolved };
  return { kind: 'ok', path: resolved };
}
