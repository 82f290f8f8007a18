/**
 * A path the user typed in a picker: `~` is their home, a relative path is taken from the workspace folder, and the
 * result is checked for what the picker needs (a folder or a file that exists and can be read). The file system is
 * injected so that the rule is tested on any tree.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNetworkPath } from './networkPath';

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
  /** A shell variable other than $HOME: the picker does not run a shell to expand it. */
  | { kind: 'variable'; typed: string }
  /** `~bob/x`: another user's home, which the picker does not look up. */
  | { kind: 'otherHome'; typed: string }
  /** `C:\data` typed on a host whose paths start with `/`. */
  | { kind: 'foreignDrive'; typed: string }
  /** Relative, typed for another machine (a remote daemon's): nothing here knows what it is relative to there. */
  | { kind: 'remoteRelative'; typed: string }
  /** `~/x` typed for another machine: the home meant is on that machine, and this one cannot tell where it is. */
  | { kind: 'remoteHome'; typed: string }
  | { kind: 'notFolder'; path: string }
  | { kind: 'notFile'; path: string }
  | { kind: 'unreadable'; path: string };

/**
 * What was meant, as pasted from a terminal or a browser: one pair of surrounding quotes dropped, a `file://` URL
 * read as its path, `$HOME` and `${HOME}` read as `~`.
 */
function unwrap(typed: string): string {
  let text = typed.trim();
  const quoted = /^(['"])(.*)\1$/.exec(text);
  if (quoted) text = quoted[2]!.trim();
  if (/^file:\/\//i.test(text)) {
    try {
      text = fileURLToPath(text);
    } catch {
      // Not a local file URL: left as typed, and judged like any other text.
    }
  }
  return text.replace(/^(\$HOME|\$\{HOME\})(?=$|[\\/])/, '~');
}

/** The absolute path `typed` names; undefined when it is empty or relative with no workspace folder. */
export function resolveTypedPath(typed: string, inputs: Pick<TypedPathInputs, 'home' | 'base'>): string | undefined {
  const text = unwrap(typed);
  if (!text) return undefined;
  if (text === '~') return inputs.home;
  if (/^~[\\/]/.test(text)) return path.join(inputs.home, text.slice(2));
  if (path.isAbsolute(text)) return path.normalize(text);
  return inputs.base === undefined ? undefined : path.resolve(inputs.base, text);
}

/** Whether `typed` names the kind of entry the picker wants. */
export function checkTypedPath(typed: string, want: 'folder' | 'file', inputs: TypedPathInputs): TypedPathCheck {
  const text = unwrap(typed);
  if (!text) return { kind: 'empty' };
  // Either would otherwise be read as a relative name and land in the workspace folder as `~bob` or `C:\data`.
  if (/^~[^\\/]/.test(text)) return { kind: 'otherHome', typed: typed.trim() };
  if (path.sep === '/' && /^[A-Za-z]:([\\/]|$)/.test(text)) return { kind: 'foreignDrive', typed: typed.trim() };
  const resolved = resolveTypedPath(typed, inputs);
  if (resolved === undefined) return { kind: 'noBase', typed: typed.trim() };
  const entry = inputs.stat(resolved);
  // `$DATA/x` is a variable the picker cannot expand, unless a folder really has that name.
  if (!entry && /\$[A-Za-z_{]/.test(unwrap(typed))) return { kind: 'variable', typed: typed.trim() };
  if (!entry) return { kind: 'missing', path: resolved };
  if (want === 'folder' && !entry.isDirectory()) return { kind: 'notFolder', path: resolved };
  if (want === 'file' && !entry.isFile()) return { kind: 'notFile', path: resolved };
  if (!inputs.readable(resolved)) return { kind: 'unreadable', path: resolved };
  return { kind: 'ok', path: resolved };
}

/**
 * A path typed for another machine (a remote Docker daemon's host): neither the workspace folder nor this user's home
 * are there, so only an absolute path is taken, in that machine's style (from `/`, or a Windows daemon's drive or
 * share), and nothing is looked at.
 */
export function checkRemoteTypedPath(typed: string): TypedPathCheck {
  const text = unwrap(typed);
  if (!text) return { kind: 'empty' };
  if (text.startsWith('~')) return { kind: 'remoteHome', typed: typed.trim() };
  if (/\$[A-Za-z_{]/.test(text)) return { kind: 'variable', typed: typed.trim() };
  if (text.startsWith('/')) return { kind: 'ok', path: path.posix.normalize(text) };
  if (/^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\')) return { kind: 'ok', path: path.win32.normalize(text) };
  return { kind: 'remoteRelative', typed: typed.trim() };
}

/**
 * Whether a picker offers what was typed as a path, beside its ready choices, rather than only filtering them by it.
 * Anything written the way a path is written counts: from the root, from `~` or `.`, with a separator, a drive, a `$`
 * variable, or pasted with quotes or as a `file://` URL (the check then says what is wrong with it, if anything). A
 * bare name counts only when it names something in the workspace folder, or when no folder is open (its check then
 * says to type an absolute path): otherwise `back` is the start of a search among the ready choices, and a "back does
 * not exist" line under every keystroke would only be noise.
 */
export function readsAsPath(typed: string, inputs: Pick<TypedPathInputs, 'home' | 'base' | 'stat'>): boolean {
  const text = unwrap(typed);
  if (!text) return false;
  if (text !== typed.trim()) return true;
  if (/^[~./\\$]/.test(text) || /[\\/]/.test(text) || /^[A-Za-z]:([\\/]|$)/.test(text)) return true;
  // With no workspace folder a bare name can only be a mistaken path: offered, its check says what to type instead.
  const resolved = resolveTypedPath(text, inputs);
  return resolved === undefined || inputs.stat(resolved) !== undefined;
}

/** Whether `typed` names a network path, which the pickers do not look at while it is being typed. */
export function namesNetworkPath(typed: string): boolean {
  return isNetworkPath(unwrap(typed));
}
