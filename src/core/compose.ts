/**
 * Volume facts of a compose file, on top of the `yaml` library (which keeps positions): the project name,
 * the top-level volumes and the daemon names Compose gives them, and every service volume entry in short
 * or long syntax. Pure: the caller passes the text, the folder name and the variables.
 */
import { isMap, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { ComposeTooComplex, ComposeYamlReader, MAX_MERGE_STEPS, scalarString } from './composeYaml';
import { MAX_ANALYSED_BYTES, MAX_VOLUME_ENTRIES } from './composeLimits';
import { substitute } from './composeInterpolation';
import { literalRange, longEntry, rangeOf, shortEntry, shortFields, sizeBytes } from './composeEntries';

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

export interface ComposeContext {
  /** The folder the compose file is in (its name is the default project name). */
  folderName: string;
  /** Variables from the environment and the .env file next to the compose file. */
  vars?: Record<string, string | undefined>;
}

/** The analysis, or only an error saying why there is none when the file is too big or its merge keys too deep. */
export function analyzeCompose(text: string, context: ComposeContext): ComposeAnalysis {
  const projectName = normalizeProjectName(context.vars?.COMPOSE_PROJECT_NAME ?? context.folderName);
  if (text.length > MAX_ANALYSED_BYTES) return notAnalysed(projectName, `larger than ${MAX_ANALYSED_BYTES / 1024} KiB`);
  try {
    return analyzeDocumentText(text, context);
  } catch (err) {
    if (!(err instanceof ComposeTooComplex)) throw err;
    return notAnalysed(projectName, err.message || `merge keys (<<) expand to more than ${MAX_MERGE_STEPS} steps`);
  }
}

/** An analysis that covers nothing, with why; the diagnostics recognise it by its "not analysed" start. */
function notAnalysed(projectName: string, why: string): ComposeAnalysis {
  return {
    projectName,
    topLevel: [],
    entries: [],
    services: [],
    errors: [{ message: `not analysed: ${why}`, range: [0, 0] }],
  };
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
