/**
 * Reading a parsed compose document as Compose does: aliases followed, merge keys (`<<`) applied where a key
 * is not set directly, within a bound a hostile file cannot push. One reader per document: its indexes live
 * as long as the analysis that made it, not in the module, so analyses never share state.
 */
import { isAlias, isMap, isScalar, isSeq, visit, type Document } from 'yaml';

/** Merge-key sources followed in one analysis (each map and key is resolved once; this bounds the rest). */
export const MAX_MERGE_STEPS = 10_000;

export class ComposeTooComplex extends Error {}

export class ComposeYamlReader {
  /**
   * Where each alias (`*name`) points: found in one pass, in document order (an alias names the nearest
   * anchor before it). The library's own `resolve` searches the whole document on every call, which made a
   * file with thousands of merge keys quadratic.
   */
  private readonly aliasTargets = new WeakMap<object, unknown>();
  /** `get` answers per map and key: merge keys repeat sources (`<<: [*a, *a, …]`), each is looked at once. */
  private readonly memo = new WeakMap<object, Map<string, unknown>>();
  private mergeSteps = 0;

  /** `hasAliases` false skips the alias pass (a text without `*` has none). */
  constructor(doc: Document, hasAliases: boolean) {
    if (!hasAliases) return;
    const anchors = new Map<string, unknown>();
    visit(doc, {
      Node: (_, node) => {
        if (isAlias(node)) this.aliasTargets.set(node, anchors.get(node.source));
        else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
  }

  deref(node: unknown): unknown {
    return isAlias(node) ? this.aliasTargets.get(node) : node;
  }

  /** `map[key]`, following aliases and, when the key is not set directly, merge keys. */
  get(map: unknown, key: string, visiting: Set<object> = new Set()): unknown {
    const m = this.deref(map);
    if (!isMap(m)) return undefined;
    const direct = m.get(key, true);
    if (direct !== undefined) return this.deref(direct);
    const known = this.memo.get(m);
    if (known?.has(key)) return known.get(key);
    // An alias may point at a map that merges itself: stop instead of looping.
    if (visiting.has(m)) return undefined;
    visiting.add(m);
    let result: unknown;
    // With merge keys on, the library keeps `<<` as a pair whose key is a symbol; follow it by hand.
    outer: for (const pair of m.items) {
      const k: unknown = isScalar(pair.key) ? pair.key.value : pair.key;
      if (!(k === '<<' || (typeof k === 'symbol' && k.description === '<<'))) continue;
      const merged = this.deref(pair.value);
      for (const source of isSeq(merged) ? merged.items : [merged]) {
        if (++this.mergeSteps > MAX_MERGE_STEPS) throw new ComposeTooComplex();
        const found = this.get(source, key, visiting);
        if (found !== undefined) {
          result = found;
          break outer;
        }
      }
    }
    visiting.delete(m);
    this.memo.set(m, (known ?? new Map<string, unknown>()).set(key, result));
    return result;
  }
}

/** A scalar's value as text (strings, numbers, booleans), else undefined. */
export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value: unknown = node.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
