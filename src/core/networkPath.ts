/**
 * Paths whose mere lookup reaches another machine. On Windows, `fs.stat('\\\\server\\share\\x')` (or `//server/…`,
 * `\\\\?\\UNC\\…`, `\\\\.\\…`) opens an SMB connection to a host the text chose and sends the user's NTLM hash to it: a
 * path that comes from a repository's compose file or Dockerfile is never looked at on disk when it is one of these.
 */

/**
 * True for a UNC path or a Win32 device path, in either slash direction (Windows accepts both, and mixes):
 * `\\server\share`, `//server/share`, `\\?\UNC\server\share`, `\\.\pipe\x`, `/\server\share`. A local path
 * never starts with two separators, so nothing the user keeps on this machine is left unchecked.
 */
export function isNetworkPath(p: string): boolean {
  return /^[\\/]{2}/.test(p.trim());
}
