/**
 * Volume facts of a compose file, on top of the `yaml` library (which keeps positions): the project name,
 * the top-level volumes and the daemon names Compose gives them, and every service volume entry in short
 * or long syntax. Pure: the caller passes the text, the folder name and the variables.
 */
import { isMap, isSeq, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import { ComposeTooComplex, ComposeYamlReader, MAX_MERGE_STEPS, scalarString } from './composeYaml';

/** Offsets in the text: [start, end). */
export type Range = [number, number];

export interface TopLevelVolume {
  key: string;
  /** The volume's name on the daemon: `name:` if set, the key for external volumes, else `<project>_<key>`. */
  daemonName: string;
  external: boolean;
  driver?: string;
  range: Range;
}

export type EntryKind = 'named' | 'bind' | 'anonymous' | 'tmpfs' | 'npipe' | 'unknown';

export interface VolumeEntry {
  service: string;
  /**
   * Every service that lists this very line: more than one when a volumes list is shared through an anchor or a
   * merge key (`<<: *app`). Entries of such a line share their range.
   */
  services?: string[];
  kind: EntryKind;
  syntax: 'short' | 'long';
  /** Volume key or host path, after variable substitution; undefined for anonymous volumes and tmpfs. */
  source?: string;
  target: string;
  readOnly: boolean;
  /** Short-syntax modes besides ro/rw (z, Z, nocopy, consistency flags), long-syntax options by name. */
  options: string[];
  /** tmpfs size in bytes (long syntax `tmpfs.size`). */
  tmpfsSize?: number;
  /**
   * For a named entry, the volume's name on the daemon, from its top-level declaration (`name:`, `external`), else
   * `<project>_<key>`; undefined while the key holds an unresolved variable.
   */
  daemonName?: string;
  /** Variables that could not be resolved. */
  unresolved: string[];
  range: Range;
  /** Where the source is written (as written, before substitution), when it is a plain or simply quoted scalar. */
  sourceRange?: Range;
}

/** A service with the image it runs, for the data-path checks (stateful images). */
export interface ComposeService {
  name: string;
  /** After variable substitution (an unknown variable stays as written); undefined when the service only builds. */
  image?: string;
  /** The `image:` value, where a warning about the image goes (the service key when it has none). */
  range: Range;
}

export interface ComposeAnalysis {
  projectName: string;
  topLevel: TopLevelVolume[];
  entries: VolumeEntry[];
  services: ComposeService[];
  /** Syntax errors from the parser, with positions; the analysis covers what could be read. */
  errors: { message: string; range: Range }[];
}

/** Compose's project name rule: lowercase, only [a-z0-9_-], starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

/**
 * Bigger compose or `.env` files are not analysed: real ones are a few KiB, and a file planted in a
 * repository must not make the editor work for seconds. The analysis stays linear in the text below it.
 */
export const MAX_ANALYSED_BYTES = 256 * 1024;
/**
 * Volume entries read in one analysis. A list shared through an alias counts once per service that names it:
 * 16 KB of aliases can list hundreds of thousands of entries, which froze the editor.
 */
export const MAX_VOLUME_ENTRIES = 5_000;

/**
 * `KEY=value` lines of a .env file (quotes removed, comments skipped). Written without backtracking
 * regular expressions: a line of 40,000 spaces must cost what its length costs.
 */
export function parseDotEnv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  if (text.length > MAX_ANALYSED_BYTES) return vars;
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    let key = line.slice(0, eq).trim();
    if (/^export[ \t]/.test(key)) key = key.slice(7).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    let value = line.slice(eq + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) value = value.slice(1, -1);
    else {
      const comment = value.search(/\s#/);
      if (comment >= 0) value = value.slice(0, comment).trimEnd();
    }
    vars[key] = value;
  }
  return vars;
}

const VARIABLE_NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR`: resolved where known, kept (and reported) where not.
 * Scanned by hand in one pass: a regular expression for `${A:-…}` rescans to the end of the value from every
 * unclosed `${`, which made a value of repeated `${A:-` take seconds.
 */
export function substitute(
  value: string,
  vars: Record<string, string | undefined>,
): { value: string; unresolved: string[] } {
  const unresolved: string[] = [];
  let out = '';
  let i = 0;
  let close = -2; // index of the next '}' at or after the last search start; -1: there is none left
  const nextClose = (from: number): number => {
    if (close !== -1 && close < from) close = value.indexOf('}', from);
    return close;
  };
  const nameAt = (at: number): string | undefined => {
    VARIABLE_NAME.lastIndex = at;
    return VARIABLE_NAME.exec(value)?.[0];
  };
  const resolve = (name: string, whole: string, op?: string, fallback?: string): string => {
    const v = vars[name];
    if (op === ':-' && (v === undefined || v === '')) return fallback ?? '';
    if (op === '-' && v === undefined) return fallback ?? '';
    if (v !== undefined) return v;
    unresolved.push(name);
    return whole;
  };
  while (i < value.length) {
    const dollar = value.indexOf('$', i);
    if (dollar < 0) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, dollar);
    i = dollar + 1;
    if (value[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    if (value[i] === '{') {
      const name = nameAt(i + 1);
      if (name) {
        let j = i + 1 + name.length;
        const op = value.startsWith(':-', j) ? ':-' : value[j] === '-' ? '-' : undefined;
        j += op?.length ?? 0;
        const end = nextClose(j);
        if (end >= 0 && (op || end === j)) {
          out += resolve(name, value.slice(dollar, end + 1), op, op ? value.slice(j, end) : undefined);
          i = end + 1;
          continue;
        }
      }
      out += '$';
      continue;
    }
    const bare = nameAt(i);
    if (bare) {
      out += resolve(bare, `$${bare}`);
      i += bare.length;
      continue;
    }
    out += '$';
  }
  return { value: out, unresolved };
}

function rangeOf(node: YamlNode | null | undefined, fallback: Range): Range {
  const r = node?.range;
  return r ? [r[0], r[1]] : fallback;
}

/** Paths Compose treats as host paths in the short syntax. */
export function looksLikeHostPath(source: string): boolean {
  return /^(\.\.?(\/|\\|$)|\/|~|[a-zA-Z]:[\\/]|\\\\)/.test(source);
}

const SHORT_MODES = new Set(['ro', 'rw', 'z', 'Z', 'nocopy', 'consistent', 'cached', 'delegated']);

/** Where `literal` is written in the text of `node` (right at its start, or after an opening quote). */
function literalRange(text: string, node: unknown, literal: string): Range | undefined {
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

function shortEntry(service: string, raw: string, vars: Record<string, string | undefined>, range: Range): VolumeEntry {
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
function sizeBytes(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(value.trim());
  if (!m) return undefined;
  return Math.round(
    Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[m[2]!.toLowerCase()]!,
  );
}

function longEntry(
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

export interface ComposeContext {
  /** The folder the compose file is in (its name is the default project name). */
  folderName: string;
  /** Variables from the environment and the .env file next to the compose file. */
  vars?: Record<string, string | undefined>;
}

/** The analysis, or only an error saying why there is none when the file is too big or its merge keys too deep. */
export function analyzeCompose(text: string, context: ComposeContext): ComposeAnalysis {
  const projectName = normalizeProjectName(context.vars?.COMPOSE_PROJECT_NAME ?? context.folderName);
  if (text.length > MAX_ANALYSED_BYTES) {
    return {
      projectName,
      topLevel: [],
      entries: [],
      services: [],
      errors: [{ message: `not analysed: larger than ${MAX_ANALYSED_BYTES / 1024} KiB`, range: [0, 0] }],
    };
  }
  try {
    return analyzeDocumentText(text, context);
  } catch (err) {
    if (!(err instanceof ComposeTooComplex)) throw err;
    const why = err.message || `merge keys (<<) expand to more than ${MAX_MERGE_STEPS} steps`;
    return {
      projectName,
      topLevel: [],
      entries: [],
      services: [],
      errors: [{ message: `not analysed: ${why}`, range: [0, 0] }],
    };
  }
}

function analyzeDocumentText(text: string, context: ComposeContext): ComposeAnalysis {
  const doc = parseDocument(text, { merge: true, uniqueKeys: false, prettyErrors: false });
  const yaml = new ComposeYamlReader(doc, text.includes('*')); // no alias without a `*`: skip that pass
  const errors = doc.errors.map((e) => ({ message: e.message, range: [e.pos[0], e.pos[1]] as Range }));
  const vars = context.vars ?? {};
  const root = doc.contents;
  const whole: Range = [0, text.length];
  const nameRaw = scalarString(yaml.get(root, 'name'));
  // Compose's order: COMPOSE_PROJECT_NAME (environment or .env) first, then the file's `name:`, then the folder.
  const projectName = normalizeProjectName(
    vars.COMPOSE_PROJECT_NAME || (nameRaw ? substitute(nameRaw, vars).value : context.folderName),
  );

  const topLevel: TopLevelVolume[] = [];
  const volumes = yaml.get(root, 'volumes');
  if (isMap(volumes)) {
    for (const pair of volumes.items) {
      const key = scalarString(pair.key);
      if (!key) continue;
      const value = pair.value;
      const externalNode = yaml.get(value, 'external');
      const external = scalarString(externalNode) === 'true' || isMap(externalNode);
      const explicit = scalarString(yaml.get(value, 'name')) ?? scalarString(yaml.get(externalNode, 'name'));
      const resolved = explicit ? substitute(explicit, vars).value : undefined;
      const driver = scalarString(yaml.get(value, 'driver'));
      topLevel.push({
        key,
        daemonName: resolved ?? (external ? key : `${projectName}_${key}`),
        external,
        ...(driver ? { driver } : {}),
        range: rangeOf(pair.key as YamlNode, whole),
      });
    }
  }

  const entries: VolumeEntry[] = [];
  const serviceList: ComposeService[] = [];
  const services = yaml.get(root, 'services');
  if (isMap(services)) {
    for (const servicePair of services.items) {
      const service = scalarString(servicePair.key) ?? '';
      const imageNode = yaml.get(servicePair.value, 'image');
      const imageRaw = scalarString(imageNode);
      const image = imageRaw === undefined ? undefined : substitute(imageRaw, vars);
      serviceList.push({
        name: service,
        ...(image ? { image: image.value } : {}),
        range: rangeOf((imageRaw !== undefined ? imageNode : servicePair.key) as YamlNode, whole),
      });
      const list = yaml.get(servicePair.value, 'volumes');
      if (isSeq(list)) {
        if (entries.length + list.items.length > MAX_VOLUME_ENTRIES) {
          throw new ComposeTooComplex(
            `more than ${MAX_VOLUME_ENTRIES} volume entries (a list shared through an alias counts once per service)`,
          );
        }
        for (const listed of list.items) {
          const item = yaml.deref(listed);
          const range = rangeOf(listed as YamlNode, whole);
          const raw = scalarString(item);
          if (raw !== undefined) {
            const entry = shortEntry(service, raw, vars, range);
            const sourceRange = entry.source !== undefined ? literalRange(text, item, shortFields(raw)[0]!) : undefined;
            entries.push(sourceRange ? { ...entry, sourceRange } : entry);
          } else if (isMap(item)) {
            const entry = longEntry(yaml, service, item, vars, range);
            const sourceNode = yaml.get(item, 'source') ?? yaml.get(item, 'src');
            const sourceRange = literalRange(text, sourceNode, scalarString(sourceNode) ?? '');
            entries.push(sourceRange ? { ...entry, sourceRange } : entry);
          }
        }
      }
      const tmpfs = yaml.get(servicePair.value, 'tmpfs');
      for (const item of isSeq(tmpfs) ? tmpfs.items : tmpfs ? [tmpfs] : []) {
        const raw = scalarString(item);
        if (!raw) continue;
        const [target, ...opts] = raw.split(':');
        const size = /(?:^|,)size=([^,]+)/.exec(opts.join(':'))?.[1];
        const tmpfsSize = sizeBytes(size);
        entries.push({
          service,
          kind: 'tmpfs',
          syntax: 'short',
          target: target!,
          readOnly: false,
          options: opts,
          ...(tmpfsSize ? { tmpfsSize } : {}),
          unresolved: [],
          range: rangeOf(item as YamlNode, whole),
        });
      }
    }
  }
  const declared = new Map(topLevel.map((v) => [v.key, v.daemonName]));
  const byRange = new Map<string, string[]>();
  for (const e of entries) {
    if (e.kind === 'named' && e.source && !e.unresolved.length)
      e.daemonName = declared.get(e.source) ?? `${projectName}_${e.source}`;
    const at = `${e.range[0]}:${e.range[1]}`;
    const users = byRange.get(at);
    if (users) users.push(e.service);
    else byRange.set(at, [e.service]);
  }
  for (const e of entries) {
    const users = byRange.get(`${e.range[0]}:${e.range[1]}`)!;
    if (users.length > 1) e.services = [...new Set(users)];
  }
  return { projectName, topLevel, entries, services: serviceList, errors };
}

/** Named volumes used by services but not declared at the top level (Compose refuses to start). */
export function undeclaredVolumes(analysis: ComposeAnalysis): VolumeEntry[] {
  const declared = new Set(analysis.topLevel.map((v) => v.key));
  return analysis.entries.filter(
    (e) => e.kind === 'named' && e.source && e.unresolved.length === 0 && !declared.has(e.source),
  );
}

/** Top-level volumes no service uses. */
export function unusedVolumes(analysis: ComposeAnalysis): TopLevelVolume[] {
  const used = new Set(analysis.entries.filter((e) => e.kind === 'named').map((e) => e.source));
  return analysis.topLevel.filter((v) => !used.has(v.key));
}
