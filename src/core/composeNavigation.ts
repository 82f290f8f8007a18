/**
 * Going around the volumes of a compose file: from an entry to its top-level declaration, every use of a
 * declared volume, renaming one (binds are never touched: a host path is not a volume name), links on bind
 * sources, and the short ↔ long syntax conversion when it loses nothing. Pure: offsets in, offsets out.
 */
import type { ComposeAnalysis, Range, TopLevelVolume, VolumeEntry } from './compose';
import { shortFields } from './composeEntries';
import type { TextEdit } from './composeEdits';

const inside = (offset: number, [start, end]: Range) => start <= offset && offset <= end;
const sameRange = (a: Range, b: Range) => a[0] === b[0] && a[1] === b[1];

/** The named volume key at `offset`: on a top-level key, or on the source of a service's named entry. */
export function volumeKeyAt(analysis: ComposeAnalysis, offset: number): { key: string; range: Range } | undefined {
  const declared = analysis.topLevel.find((v) => inside(offset, v.range));
  if (declared) return { key: declared.key, range: declared.range };
  const entry = analysis.entries.find(
    (e) => e.kind === 'named' && e.sourceRange && !e.unresolved.length && inside(offset, e.sourceRange),
  );
  return entry?.source && entry.sourceRange ? { key: entry.source, range: entry.sourceRange } : undefined;
}

/** The top-level declaration of the volume a service entry names. */
export function definitionAt(analysis: ComposeAnalysis, offset: number): TopLevelVolume | undefined {
  const at = volumeKeyAt(analysis, offset);
  return at ? analysis.topLevel.find((v) => v.key === at.key) : undefined;
}

/** Where the volume at `offset` is written: its declaration (optionally) and each service line naming it, once each. */
export function referencesAt(analysis: ComposeAnalysis, offset: number, includeDeclaration: boolean): Range[] {
  const at = volumeKeyAt(analysis, offset);
  if (!at) return [];
  const ranges: Range[] = includeDeclaration
    ? analysis.topLevel.filter((v) => v.key === at.key).map((v) => v.range)
    : [];
  for (const e of analysis.entries) {
    if (e.kind !== 'named' || e.source !== at.key || !e.sourceRange || e.unresolved.length) continue;
    if (!ranges.some((r) => sameRange(r, e.sourceRange!))) ranges.push(e.sourceRange);
  }
  return ranges;
}

/** A volume key Compose accepts (and one that cannot be read as a host path). */
export const VOLUME_KEY = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export type RenameResult = { edits: TextEdit[] } | { error: 'notAVolume' | 'invalidName' | 'taken' };

/**
 * Renames a declared volume key and every use of it. The daemon name changes with it unless the declaration sets
 * `name:` or is external: the caller says so to the user; the data stays in the old volume.
 */
export function renameVolume(analysis: ComposeAnalysis, offset: number, newKey: string): RenameResult {
  const at = volumeKeyAt(analysis, offset);
  if (!at || !analysis.topLevel.some((v) => v.key === at.key)) return { error: 'notAVolume' };
  if (!VOLUME_KEY.test(newKey)) return { error: 'invalidName' };
  if (newKey !== at.key && analysis.topLevel.some((v) => v.key === newKey)) return { error: 'taken' };
  return { edits: referencesAt(analysis, offset, true).map((range) => ({ range, newText: newKey })) };
}

/** Bind sources written literally (no variable): where a link to the host file or folder goes. */
export function bindSources(analysis: ComposeAnalysis): { range: Range; source: string }[] {
  const seen = new Set<string>();
  const out: { range: Range; source: string }[] = [];
  for (const e of analysis.entries) {
    if (e.kind !== 'bind' || !e.source || !e.sourceRange || e.unresolved.length) continue;
    const at = `${e.sourceRange[0]}:${e.sourceRange[1]}`;
    if (seen.has(at)) continue;
    seen.add(at);
    out.push({ range: e.sourceRange, source: e.source });
  }
  return out;
}

function lineIndentBefore(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** YAML needs quotes around a value starting with these, or holding `: ` / ` #`. */
function yamlScalar(value: string): string {
  return /^[\s!&*?|>'"%@`{[\]},#-]|: | #|:$|\s$/.test(value) || value === '' ? JSON.stringify(value) : value;
}

const CONSISTENCY = new Set(['consistent', 'cached', 'delegated']);

/**
 * The same entry in the other syntax, when nothing is lost: short → long for volume and bind entries with
 * ro/rw, nocopy, z/Z and consistency flags (a short bind creates a missing host folder: the long form says
 * `create_host_path: true`); long → short only for what the short form can say. Works on the text as written,
 * so variables stay variables.
 */
export function convertSyntax(text: string, entry: VolumeEntry): TextEdit | undefined {
  const written = text.slice(entry.range[0], entry.range[1]);
  if (entry.syntax === 'short') {
    if (entry.kind !== 'named' && entry.kind !== 'bind' && entry.kind !== 'anonymous') return undefined;
    const quoted = /^(['"])(.*)\1$/s.exec(written);
    const raw = quoted ? quoted[2]! : written;
    if (/["\\\n]/.test(raw) && quoted?.[1] === '"') return undefined;
    const fields = shortFields(raw);
    const hasSource = entry.kind !== 'anonymous';
    const [source, target] = hasSource ? [fields[0], fields[1]] : [undefined, fields[0]];
    const modes = (fields[hasSource ? 2 : 1] ?? '').split(',').filter(Boolean);
    if (!target || fields.length > (hasSource ? 3 : 2)) return undefined;
    const lines = [`type: ${entry.kind === 'bind' ? 'bind' : 'volume'}`];
    if (source) lines.push(`source: ${yamlScalar(source)}`);
    lines.push(`target: ${yamlScalar(target)}`);
    const selinux = modes.filter((m) => m === 'z' || m === 'Z');
    for (const m of modes) {
      if (m === 'ro') lines.push('read_only: true');
      else if (CONSISTENCY.has(m)) lines.push(`consistency: ${m}`);
      else if (m === 'nocopy' && entry.kind !== 'bind') continue;
      else if (m !== 'rw' && m !== 'z' && m !== 'Z') return undefined;
    }
    if (entry.kind === 'bind') {
      if (selinux.length > 1) return undefined;
      lines.push('bind:', '  create_host_path: true', ...(selinux.length ? [`  selinux: ${selinux[0]!}`] : []));
    } else if (selinux.length) return undefined;
    if (modes.includes('nocopy')) lines.push('volume:', '  nocopy: true');
    const pad = ' '.repeat(lineIndentBefore(text, entry.range[0]));
    return { range: entry.range, newText: lines.join(`\n${pad}`) };
  }
  return longToShort(written, entry);
}

function longToShort(written: string, entry: VolumeEntry): TextEdit | undefined {
  if (entry.kind !== 'named' && entry.kind !== 'bind' && entry.kind !== 'anonymous') return undefined;
  // Only keys the short form can say; anything else (labels, propagation, subpath, …) would be lost.
  const keys = [...written.matchAll(/^[ \t]*([A-Za-z_]+):/gm)].map((m) => m[1]!);
  const allowed = new Set([
    'type',
    'source',
    'target',
    'read_only',
    'consistency',
    'bind',
    'volume',
    'create_host_path',
    'selinux',
    'nocopy',
  ]);
  if (keys.some((k) => !allowed.has(k)) || /[&*]|<</.test(written)) return undefined;
  if (entry.kind === 'bind' && !entry.options.includes('create_host_path=true')) return undefined;
  const value = (key: string) =>
    new RegExp(`^[ \\t]*${key}:[ \\t]*(.*?)[ \\t]*$`, 'm').exec(written)?.[1]?.replace(/^(['"])(.*)\1$/, '$2');
  const source = value('source');
  const target = value('target');
  if (
    !target ||
    (entry.kind !== 'anonymous' && !source) ||
    /:/.test(target) ||
    (source && /:/.test(source) && !/^[a-zA-Z]:[\\/]/.test(source))
  )
    return undefined;
  const modes: string[] = [];
  if (value('read_only') === 'true') modes.push('ro');
  const selinux = value('selinux');
  if (selinux) modes.push(selinux);
  if (value('nocopy') === 'true') modes.push('nocopy');
  const consistency = value('consistency');
  if (consistency) modes.push(consistency);
  const short = [...(source ? [source] : []), target, ...(modes.length ? [modes.join(',')] : [])].join(':');
  return { range: [entry.range[0], entry.range[0] + written.trimEnd().length], newText: yamlScalar(short) };
}
