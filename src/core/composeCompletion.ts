/**
 * Where the cursor is in a compose file, as far as volumes go, read from the lines above it (a file being typed is
 * rarely valid YAML, so the parser cannot be asked): in a service's `volumes:` list (which field of a short
 * entry, or which key of a long one), or in a top-level volume's declaration. Pure: text and offset in.
 */

export type CompletionSpot =
  /** A short entry: field 0 is the source (volume or host path), 1 the target, 2 the options. */
  | { kind: 'shortField'; service: string; field: 0 | 1 | 2; typed: string; start: number }
  /** A key of a long entry (`under` is the nested map: volume, bind, tmpfs, or the entry itself). */
  | { kind: 'longKey'; service: string; under: 'entry' | 'volume' | 'bind' | 'tmpfs'; typed: string; start: number }
  /** The value of `type:` or `source:` in a long entry. */
  | { kind: 'longValue'; service: string; key: 'type' | 'source'; typed: string; start: number }
  /** A key of a top-level volume declaration. */
  | { kind: 'topLevelKey'; volume: string; typed: string; start: number };

interface Line {
  indent: number;
  /** Without the indentation and a leading `- `. */
  body: string;
  dash: boolean;
}

function readLine(raw: string): Line {
  const indent = /^ */.exec(raw)![0].length;
  const rest = raw.slice(indent);
  const dash = /^-(\s|$)/.test(rest);
  return { indent, body: dash ? rest.replace(/^-\s*/, '') : rest, dash };
}

const keyOf = (body: string) =>
  /^([A-Za-z0-9_.-]+|"[^"]*"|'[^']*'):(\s|$)/.exec(body)?.[1]?.replace(/^['"]|['"]$/g, '');

export function completionSpot(text: string, offset: number): CompletionSpot | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const current = readLine(text.slice(lineStart, offset));
  if (current.body.includes('#')) return undefined;
  // Parents: each line above indented less than the last one found; a key line at the same indentation as a
  // list item is its parent too (`volumes:` then `- x` on the same column is valid YAML).
  const parents: { key: string; dash: boolean }[] = [];
  let limit = current.indent;
  let sameColumnKey = current.dash;
  let end = lineStart - 1;
  // One backward pass at most: linear in the text above the cursor, like the parse it stands in for.
  while (end > 0 && (limit > 0 || sameColumnKey)) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const raw = text.slice(start, end);
    end = start - 1;
    if (!raw.trim() || raw.trim().startsWith('#')) continue;
    const line = readLine(raw);
    const parent =
      line.indent < limit || (sameColumnKey && line.indent === limit && !line.dash && /:\s*$/.test(line.body));
    if (!parent) continue;
    parents.unshift({ key: keyOf(line.body) ?? '', dash: line.dash });
    limit = line.indent;
    sameColumnKey = line.dash;
  }
  const keys = parents.map((p) => p.key);
  const typedKey = /^[A-Za-z_]*$/.test(current.body) ? current.body : undefined;
  const longValue = (service: string) => {
    const m = /^(type|source):[ \t]*(.*)$/.exec(current.body);
    return m
      ? {
          kind: 'longValue' as const,
          service,
          key: m[1] as 'type' | 'source',
          typed: m[2]!,
          start: offset - m[2]!.length,
        }
      : undefined;
  };

  if (keys[0] === 'services' && keys[2] === 'volumes' && parents.length >= 3) {
    const service = keys[1]!;
    const inEntry = parents.slice(3);
    if (inEntry.length === 0 && current.dash) {
      const value = longValue(service);
      if (value) return value;
      const body = current.body.replace(/^['"]/, '');
      const fields = body.split(':');
      const field = Math.min(fields.length - 1, 2) as 0 | 1 | 2;
      const typed = field === 2 ? fields[fields.length - 1]!.split(',').pop()! : fields[field]!;
      return { kind: 'shortField', service, field, typed, start: offset - typed.length };
    }
    if (inEntry.length === 1 && inEntry[0]!.dash && !current.dash) {
      return (
        longValue(service) ??
        (typedKey !== undefined
          ? { kind: 'longKey', service, under: 'entry', typed: typedKey, start: offset - typedKey.length }
          : undefined)
      );
    }
    const nested = inEntry[1]?.key;
    if (
      inEntry.length === 2 &&
      inEntry[0]!.dash &&
      (nested === 'volume' || nested === 'bind' || nested === 'tmpfs') &&
      typedKey !== undefined &&
      !current.dash
    ) {
      return { kind: 'longKey', service, under: nested, typed: typedKey, start: offset - typedKey.length };
    }
    return undefined;
  }
  if (keys[0] === 'volumes' && parents.length === 2 && !current.dash && typedKey !== undefined) {
    return { kind: 'topLevelKey', volume: keys[1]!, typed: typedKey, start: offset - typedKey.length };
  }
  return undefined;
}

/** Short-syntax options after the target. */
export const MOUNT_OPTIONS = ['ro', 'rw', 'z', 'Z', 'nocopy'] as const;
/** Long-syntax keys, per nested map. */
export const LONG_KEYS = {
  entry: ['type', 'source', 'target', 'read_only', 'bind', 'volume', 'tmpfs', 'consistency'],
  volume: ['nocopy', 'subpath'],
  bind: ['create_host_path', 'propagation', 'selinux'],
  tmpfs: ['size', 'mode'],
} as const;
export const LONG_TYPES = ['volume', 'bind', 'tmpfs', 'npipe', 'cluster'] as const;
export const TOP_LEVEL_KEYS = ['driver', 'driver_opts', 'external', 'name', 'labels'] as const;

/** `driver_opts` as written for the two network file systems people mount (the local driver does the mount). */
export const DRIVER_OPTS_SNIPPETS = {
  nfs: 'driver_opts:\n  type: nfs\n  o: "addr=${1:nfs.example.lan},rw,nfsvers=4"\n  device: ":${2:/exports/data}"',
  cifs: 'driver_opts:\n  type: cifs\n  o: "addr=${1:fileserver.lan},username=${2:user},password=${3:password},file_mode=0777,dir_mode=0777"\n  device: "//${1:fileserver.lan}/${4:share}"',
} as const;

/**
 * The folder to list and the name prefix for a host path being typed (`./conf/ng` → folder `./conf/`, prefix `ng`);
 * undefined when what is typed is not a host path.
 */
export function hostPathPrefix(typed: string): { folder: string; prefix: string } | undefined {
  if (!/^(\.{1,2}(\/|$)|\/|~\/?)/.test(typed)) return undefined;
  const slash = typed.lastIndexOf('/');
  if (slash < 0) return { folder: typed === '~' ? '~/' : `${typed}/`, prefix: '' };
  return { folder: typed.slice(0, slash + 1), prefix: typed.slice(slash + 1) };
}
