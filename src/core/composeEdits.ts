/**
 * Text edits on a compose file that keep the user's layout: declare a top-level volume, mount a named volume at a
 * service's data path. Pure: offsets in, offsets out; the quick fixes turn them into workspace edits.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Pair } from 'yaml';
import type { ComposeAnalysis, Range } from './compose';

export interface TextEdit {
  /** [start, end) in the text; start === end inserts. */
  range: Range;
  newText: string;
}

/**
 * Declares `key` under the top-level `volumes:` (creating it when missing, replacing a `volumes: {}`), with `body`
 * lines (`external: true`) one level below it.
 */
export function declareVolumeEdit(text: string, key: string, body: string[] = []): TextEdit {
  // A comment after `volumes:` must not hide it: a second top-level `volumes:` is a duplicate key Compose refuses.
  const top = /^volumes:[ \t]*(\{\s*\})?[ \t]*(#.*)?$/m.exec(text);
  const declaration = (indent: string) =>
    [`${indent}${key}:`, ...body.map((line) => `${indent}${indent}${line}`)].join('\n');
  if (top && !top[1]) {
    const end = top.index + top[0].length;
    // The new key goes at the indentation of the declarations already there: at another one it would nest them.
    const firstChild = /^([ \t]*)[^\s#]/m.exec(text.slice(end + 1));
    return { range: [end, end], newText: `\n${declaration(firstChild?.[1] ? firstChild[1] : '  ')}` };
  }
  if (top)
    return {
      range: [top.index, top.index + top[0].length],
      newText: `volumes:${top[2] ? ` ${top[2]}` : ''}\n${declaration('  ')}`,
    };
  return {
    range: [text.length, text.length],
    newText: `${text.endsWith('\n') ? '' : '\n'}volumes:\n${declaration('  ')}\n`,
  };
}

/** A volume key for `service` that the file does not declare yet: `<service>-<purpose>`, then `-<purpose>-2`, … */
export function freshVolumeKey(analysis: ComposeAnalysis, service: string, purpose = 'data'): string {
  const keyPart = (text: string) => text.replace(/[^a-zA-Z0-9_.-]/g, '-');
  const base = `${keyPart(service).replace(/^[^a-zA-Z0-9]+/, '') || 'service'}-${keyPart(purpose)}`;
  const taken = new Set(analysis.topLevel.map((v) => v.key));
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** End of the line holding `offset` (before its newline). */
function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
}

/**
 * Mounts the named volume `key` at `dataPath` in `service` and declares it: a new item in the service's own block
 * `volumes:` list, or a new `volumes:` key under the service. Undefined when the edit cannot be made without
 * changing what the file means: a flow-style list, a list the service takes from a merge key (writing its own
 * would drop the merged entries), or a service that is not a block mapping.
 */
export function mountNamedVolumeEdits(
  text: string,
  analysis: ComposeAnalysis,
  service: string,
  dataPath: string,
  key: string,
): TextEdit[] | undefined {
  const doc = parseDocument(text, { merge: true, uniqueKeys: false });
  const services = isMap(doc.contents) ? doc.contents.get('services', true) : undefined;
  if (!isMap(services)) return undefined;
  const pair = services.items.find((p): p is Pair => isScalar(p.key) && String(p.key.value) === service);
  const body = pair?.value;
  if (!isMap(body) || body.flow || !body.range) return undefined;
  const item = `${key}:${dataPath}`;
  const volumesPair = body.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'volumes');
  let mount: TextEdit;
  if (volumesPair) {
    const list = volumesPair.value;
    if (!isSeq(list) || list.flow || !list.items.length) return undefined;
    const last = list.items[list.items.length - 1] as { range?: [number, number, number] };
    const first = list.items[0] as { range?: [number, number, number] };
    if (!last.range || !first.range) return undefined;
    const dash = text.lastIndexOf('-', first.range[0]);
    const indent = indentAt(text, dash);
    const end = lineEnd(text, last.range[1] - 1);
    mount = { range: [end, end], newText: `\n${indent}- ${item}` };
  } else {
    // Entries without a `volumes:` key of its own come from a merge key (`tmpfs:` lines aside).
    if (
      analysis.entries.some(
        (e) => (e.services ?? [e.service]).includes(service) && !(e.kind === 'tmpfs' && e.syntax === 'short'),
      )
    )
      return undefined;
    const firstKey = body.items[0]?.key as { range?: [number, number, number] } | undefined;
    if (!firstKey?.range) return undefined;
    const indent = indentAt(text, firstKey.range[0]);
    const end = lineEnd(text, (body.range[1] > 0 ? body.range[1] : text.length) - 1);
    // After the service's last line, trailing blank lines and comments left where they were.
    const trimmedEnd = text.slice(0, end).trimEnd().length;
    mount = { range: [trimmedEnd, trimmedEnd], newText: `\n${indent}volumes:\n${indent}  - ${item}` };
  }
  return [mount, declareVolumeEdit(text, key)];
}
