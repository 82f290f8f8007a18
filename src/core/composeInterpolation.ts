/** The variables of a compose file: `.env` lines and `${VAR}` substitution, each in one pass without backtracking. */
import { MAX_ANALYSED_BYTES } from './composeLimits';

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
