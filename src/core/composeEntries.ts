/** A service's volume entries in Compose's short (`src:dst:mode`) and long (mapping) syntax, with their positions. */
import { type Node as YamlNode, type YAMLMap } from 'yaml';
import { ComposeYamlReader, scalarString } from './composeYaml';
import { substitute } from './composeInterpolation';
import type { EntryKind, Range, VolumeEntry } from './compose';

export function rangeOf(node: YamlNode | null | undefined, fallback: Range): Range {
  const r = node?.range;
  return r ? [r[0], r[1]] : fallback;
}

/** Paths Compose treats as host paths in the short syntax. */
export function looksLikeHostPath(source: string): boolean {
  return /^(\.\.?(\/|\\|$)|\/|~|[a-zA-Z]:[\\/]|\\\\)/.test(source);
}

const SHORT_MODES = new Set(['ro', 'rw', 'z', 'Z', 'nocopy', 'consistent', 'cached', 'delegated']);

/** Where `literal` is written in the text of `node` (right at its start, or after an opening quote). */
export function literalRange(text: string, node: unknown, literal: string): Range | undefined {
  const r = (node as YamlNode | undefined)?.range;
  if (!r || !literal) return undefined;
  for (const start of [r[0], r[0] + 1]) {
    if (text.startsWith(literal, start) && (start === r[0] || `'"`.includes(text[r[0]]!)))
      return [start, start + literal.length];
  }
  return undefined;
}

/** Fields of a short-syntax entry; Windows drive letters (C:\…) contain a colon that does not separate fields. */
export function shortFields(value: string): string[] {
  return value.match(/([a-zA-Z]:[\\/][^:]*|[^:]+)/g) ?? [value];
}

export function shortEntry(
  service: string,
  raw: string,
  vars: Record<string, string | undefined>,
  range: Range,
): VolumeEntry {
  const { value, unresolved } = substitute(raw, vars);
  const parts = shortFields(value);
  let source: string | undefined;
  let target: string;
  let modes: string[] = [];
  if (parts.length === 1) target = parts[0]!;
  else if (parts.length === 2 && SHORT_MODES.has(parts[1]!.split(',')[0]!) && !parts[1]!.startsWith('/')) {
    target = parts[0]!;
    modes = parts[1]!.split(',');
  } else {
    source = parts[0];
    target = parts[1]!;
    modes = parts[2] ? parts[2].split(',') : [];
  }
  // A volume name has no slash: `${CONFIG}/web` is a host path whatever CONFIG holds.
  const kind: EntryKind =
    source === undefined
      ? 'anonymous'
      : looksLikeHostPath(source) || (unresolved.length > 0 && /[\\/]/.test(source))
        ? 'bind'
        : 'named';
  return {
    service,
    kind,
    syntax: 'short',
    ...(source !== undefined ? { source } : {}),
    target,
    readOnly: modes.includes('ro'),
    options: modes.filter((m) => m !== 'ro' && m !== 'rw'),
    unresolved,
    range,
  };
}

/** "100m", "1g", 1048576 → bytes. */
export function sizeBytes(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(value.trim());
  if (!m) return undefined;
  return Math.round(
    Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[m[2]!.toLowerCase()]!,
  );
}

export function longEntry(
  yaml: ComposeYamlReader,
  service: string,
  map: YAMLMap,
  vars: Record<string, string | undefined>,
  range: Range,
): VolumeEntry {
  const unresolved: string[] = [];
  const text = (key: string, from: unknown = map) => {
    const raw = scalarString(yaml.get(from, key));
    if (raw === undefined) return undefined;
    const s = substitute(raw, vars);
    unresolved.push(...s.unresolved);
    return s.value;
  };
  const type = text('type') ?? 'volume';
  const source = text('source') ?? text('src');
  const target = text('target') ?? text('destination') ?? text('dst') ?? '';
  const options: string[] = [];
  if (text('create_host_path', yaml.get(map, 'bind')) !== undefined)
    options.push(`create_host_path=${text('create_host_path', yaml.get(map, 'bind'))}`);
  if (text('nocopy', yaml.get(map, 'volume')) === 'true') options.push('nocopy');
  const subpath = text('subpath', yaml.get(map, 'volume'));
  if (subpath) options.push(`subpath=${subpath}`);
  const kind: EntryKind =
    type === 'bind'
      ? 'bind'
      : type === 'tmpfs'
        ? 'tmpfs'
        : type === 'npipe'
          ? 'npipe'
          : type === 'volume'
            ? source
              ? 'named'
              : 'anonymous'
            : 'unknown';
  const tmpfsSize = sizeBytes(text('size', yaml.get(map, 'tmpfs')));
  return {
    service,
    kind,
    syntax: 'long',
    ...(source ? { source } : {}),
    target,
    readOnly: text('read_only') === 'true',
    options,
    ...(tmpfsSize ? { tmpfsSize } : {}),
    unresolved,
    range,
  };
}
