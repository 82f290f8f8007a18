/**
 * Driver options of the `local` driver for network file systems, as `docker volume create --opt` takes
 * them. The kernel's mount options go in `o`, the remote path in `device`.
 */

export interface NfsSpec {
  server: string;
  /** Exported path on the server, e.g. /srv/share. */
  exportPath: string;
  /** Extra mount options, e.g. "nfsvers=4,rw". */
  options?: string;
}

export interface CifsSpec {
  /** //server/share */
  share: string;
  user?: string;
  password?: string;
  /** Extra mount options, e.g. "vers=3.0,uid=1000". */
  options?: string;
}

function joinOptions(...parts: (string | undefined)[]): string {
  return parts.flatMap(p => (p ?? '').split(',')).map(p => p.trim()).filter(Boolean).join(',');
}

export function nfsDriverOptions(spec: NfsSpec): Record<string, string> {
  const exportPath = spec.exportPath.startsWith('/') ? spec.exportPath : `/${spec.exportPath}`;
  return { type: 'nfs', o: joinOptions(`addr=${spec.server}`, spec.options ?? 'rw'), device: `:${exportPath}` };
}

/** Splits `//server/share` (or `\\server\share`) into its parts; undefined when it is not one. */
export function parseShare(share: string): { server: string; path: string } | undefined {
  const m = /^(?:\/\/|\\\\)([^/\\]+)[/\\](.+)$/.exec(share.trim());
  return m ? { server: m[1]!, path: m[2]!.replace(/\\/g, '/') } : undefined;
}

export function cifsDriverOptions(spec: CifsSpec): Record<string, string> {
  const parsed = parseShare(spec.share);
  if (!parsed) throw new Error(`"${spec.share}" is not a share: expected //server/share`);
  return {
    type: 'cifs',
    device: `//${parsed.server}/${parsed.path}`,
    o: joinOptions(`addr=${parsed.server}`, spec.user ? `username=${spec.user}` : undefined, spec.password ? `password=${spec.password}` : undefined, spec.options),
  };
}

/** Driver options safe to log or show: any `password=` inside `o` is masked. */
export function maskSecrets(options: Record<string, string>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    masked[key] = /password|secret|token/i.test(key) ? '****' : value.replace(/((?:^|,)(?:password|pass|secret)=)[^,]*/gi, '$1****');
  }
  return masked;
}
