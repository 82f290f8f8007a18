/**
 * A cheap look at how much YAML a compose text makes the analysis read: each alias (`*name`) makes it read the
 * anchored node again, so 2 KiB that name a 100-entry list 40 times is 4,000 entries to analyse, lens and diagnose,
 * over a second on the editor's thread. One pass over the lines, no parsing: an estimate meant to route a file (to a
 * worker or not), never to judge it.
 */

export interface AliasScan {
  /** Alias uses (`*name`), merge-key aliases included. */
  aliases: number;
  /** Merge keys (`<<:`). */
  mergeKeys: number;
  /** The text's length plus, for each alias, the length of the anchored text it repeats. */
  expandedBytes: number;
}

/**
 * Texts that would make the analysis read more than this are analysed in a worker thread. Real compose files read
 * far less: the largest of the public corpus in test/fixtures (24 KiB, 18 aliases) reads 26 KiB and is analysed, lensed
 * and diagnosed in under 0.1 s; past this, alias fan-out measured 0.2 to 3.5 s (a 2 KiB list named 40 times: 0.3 s
 * before any lens). Kept synchronous below it, everyday files get their lenses at once, with no worker to start.
 */
export const OFF_THREAD_BYTES = 32 * 1024;

/**
 * Flow collections (`[…]`, `{…}`) nested deeper than this go to the worker: the YAML parser recurses once per level,
 * and 4,000 levels (8 KiB of brackets) took about a second before it gave up on its call stack. Real files nest a
 * few levels.
 */
export const MAX_SYNC_FLOW_DEPTH = 64;

/** Whether `text` goes to the worker: big, small but alias- and merge-key-heavy (see OFF_THREAD_BYTES), or deep. */
export function analysedOffThread(text: string): boolean {
  return (
    text.length > OFF_THREAD_BYTES ||
    flowDepth(text) > MAX_SYNC_FLOW_DEPTH ||
    scanAliases(text).expandedBytes > OFF_THREAD_BYTES
  );
}

/** The deepest nesting of `[` and `{` in `text`, brackets inside quotes counted too: an estimate, on the high side. */
export function flowDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return deepest;
}

/**
 * What one merge key costs beyond its alias: every key looked up in the merging map walks its merge sources. About
 * the length of a short service block, so that hundreds of `<<:` in a small file count like a big file.
 */
export const MERGE_KEY_BYTES = 256;

// An anchor or alias starts a value: after the start of the line, a space, `- `, or flow punctuation. `a&b` in a URL
// or `2*3` in a command is neither. Quoted text can fool it; an estimate may be a little high.
const ANCHOR = /(?:^|[\s,[{])&([^\s,[\]{}]+)/g;
const ALIAS = /(?:^|[\s,[{])\*([^\s,[\]{}]+)/g;
const MERGE_KEY = /(?:^|[\s,{])<<\s*:/g;

interface OpenAnchor {
  name: string;
  indent: number;
  start: number;
}

/**
 * Scans `text` once. An anchor's text runs from the anchor to the end of its line, plus the lines after it that are
 * indented deeper than the line it is on (its block); an alias adds the length of the nearest anchor of its name
 * before it, as YAML resolves it.
 */
export function scanAliases(text: string): AliasScan {
  const sizes = new Map<string, number>();
  const open: OpenAnchor[] = [];
  let aliases = 0;
  let mergeKeys = 0;
  let expanded = text.length;
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const indent = line.length - line.trimStart().length;
    const body = line.trimStart();
    if (body && !body.startsWith('#')) {
      // A line no deeper than an anchor's line ends that anchor's block.
      while (open.length && indent <= open[open.length - 1]!.indent) {
        const done = open.pop()!;
        sizes.set(done.name, lineStart - done.start);
      }
      for (const m of line.matchAll(ALIAS)) {
        aliases++;
        const name = m[1]!;
        let still: OpenAnchor | undefined;
        for (let i = open.length - 1; i >= 0 && !still; i--) if (open[i]!.name === name) still = open[i];
        expanded += still ? lineStart - still.start : (sizes.get(name) ?? 0);
      }
      mergeKeys += line.match(MERGE_KEY)?.length ?? 0;
      for (const m of line.matchAll(ANCHOR))
        open.push({ name: m[1]!, indent, start: lineStart + (m.index ?? 0) + m[0].indexOf('&') });
    }
    lineStart = lineEnd + 1;
  }
  return { aliases, mergeKeys, expandedBytes: expanded + mergeKeys * MERGE_KEY_BYTES };
}
