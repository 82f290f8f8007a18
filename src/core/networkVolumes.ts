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
  return parts
    .flatMap((p) => (p ?? '').split(','))
    .map((p) => p.trim())
    .filter(Boolean)
    .join(',');
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

/**
 * The kernel's CIFS client reads `password=` up to the next single comma, and a doubled comma as a comma
 * in the password: a password with a comma must be doubled, or the rest becomes a (bogus) mount option.
 */
function cifsPassword(password: string): string {
  return `password=${password.replace(/,/g, ',,')}`;
}

export function cifsDriverOptions(spec: CifsSpec): Record<string, string> {
  const parsed = parseShare(spec.share);
  if (!parsed) throw new Error(`"${spec.share}" is not a share: expected //server/share`);
  // Outside joinOptions, which splits on commas: the password's own commas are kept (doubled).
  const o = [
    joinOptions(`addr=${parsed.server}`, spec.user ? `username=${spec.user}` : undefined),
    spec.password ? cifsPassword(spec.password) : '',
    joinOptions(spec.options),
  ];
  return { type: 'cifs', device: `//${parsed.server}/${parsed.path}`, o: o.filter(Boolean).join(',') };
}

/** Option names whose value is a secret. */
const SECRET_KEY = /pass|secret|token|credential|key/i;

/**
 * Driver options safe to log, show or write to a file: secret-looking options masked, and inside `o` every
 * `password=`/`pass=`/`secret=`/… value up to the next single comma (a doubled comma is part of the value).
 */
export function maskSecrets(options: Record<string, string>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    masked[key] =
      SECRET_KEY.test(key) && !/^(o|type|device)$/i.test(key)
        ? '****'
        : value.replace(/((?:^|,)\s*(?:password2?|passwd|pass|secret|token)\s*=)(?:[^,]|,,)*/gi, '$1****');
  }
  return masked;
}

/** Names (option keys, environment variables) whose value is a secret in free text. */
const SECRET_WORD = '(?:password|passwd|pass|pwd|secret|token|credentials?|api_?key|access_?key|private_?key)';
/**
 * The characters of a name around its secret word. Bounded: an unbounded run tried from every position of a long
 * name (`a.a.a.…`) is quadratic, and these patterns run on the main thread (lens titles, hovers, every log line).
 */
const NAME_PART = '[A-Za-z0-9_.-]{0,64}';
// A quote ends a value only where a delimiter follows it (`"PASSWORD=x","A=b"`), not inside one (`ab'cd`).
// No name part before the secret word: whatever precedes it stays in the text as it was.
const SECRET_ASSIGNMENT = new RegExp(
  `(${SECRET_WORD}${NAME_PART}\\s*[=:]\\s*)(?:"(?:[^"\\\\\\r\\n]|\\\\.)*"|'[^'\\r\\n]*'|(?:[^,\\s'"]|,,|['"](?![\\s,\\]}):;]|$))+)`,
  'gi',
);
/** An assignment inside quotes (`'DB_PASSWORD=x y'`, a JSON `"…PASSWORD=…"`): its value runs to the closing quote. */
const QUOTED_SECRET_ASSIGNMENT = new RegExp(
  `(['"])(${NAME_PART}${SECRET_WORD}${NAME_PART}\\s*=)(?:(?!\\1)[^\\r\\n])*(?=\\1)`,
  'gi',
);
/**
 * In a mount option list (`…,password=my secret,vers=3`, `o=password=…`, `-o password=…`) a value runs to the next
 * single comma, blanks included (a quoted value is masked to its closing quote below).
 */
const SECRET_OPTION = /((?:^|[,=\s])(?:password2?|passwd|pass|secret|token)\s*=)(?!\s*["'])(?:[^,\r\n]|,,)*/gi;
/** A JSON member (`"password": "…"`), escaped quotes included. */
const JSON_SECRET = new RegExp(
  `("${NAME_PART}${SECRET_WORD}${NAME_PART}"\\s*:\\s*")(?:[^"\\\\\\r\\n]|\\\\.)*(?=")`,
  'gi',
);
/** The password of a URL runs to the last `@` before the host: a password may hold `@`. The scheme is bounded. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]+:)[^\s/]*@/gi;

/**
 * Free text (a daemon error, an option string, a log line) with secret-looking values masked:
 * `password=…` / `POSTGRES_PASSWORD=…` up to the next single comma or blank (in an option list: the next single
 * comma), a quoted value whole, and the password of a URL.
 * The daemon echoes a volume's mount options in its mount errors, so these reach us as text.
 * Linear in the text's length; callers that show or log the text also cut it (`maskedExcerpt`).
 */
export function maskSecretsInText(text: string): string {
  return text
    .replace(JSON_SECRET, '$1****')
    .replace(QUOTED_SECRET_ASSIGNMENT, '$1$2****')
    .replace(SECRET_OPTION, '$1****')
    .replace(SECRET_ASSIGNMENT, '$1****')
    .replace(URL_PASSWORD, '$1****@');
}

/** The most characters of a compose lens title or hover text. */
export const SHOWN_TEXT_CHARS = 512;
/** The most characters of one log line (a hostile daemon's error can be megabytes). */
export const LOG_LINE_CHARS = 8 * 1024;
/** Masked past the cut too, so that a secret straddling it is still recognised as one. */
const MASKED_PAST_CUT = 256;

/** `text` masked and cut to `maxChars`, an ellipsis saying it goes on; only its beginning is read. */
export function maskedExcerpt(text: string, maxChars: number): string {
  const read = text.length > maxChars + MASKED_PAST_CUT ? text.slice(0, maxChars + MASKED_PAST_CUT) : text;
  // Past the cut, a quoted value's closing quote is not read: both quotes appended close it, then are taken off
  // (the `"` may have gone into a masked value).
  const masked = read === text ? maskSecretsInText(read) : maskSecretsInText(`${read}"'`).replace(/"?'$/, '');
  if (read === text && masked.length <= maxChars) return masked;
  let cut = maxChars - 1;
  // Never half a surrogate pair.
  if (/[\uD800-\uDBFF]/.test(masked.charAt(cut - 1))) cut--;
  return `${masked.slice(0, cut)}…`;
}

/** Values of the variables whose names look secret (long enough to be told apart from ordinary words). */
export function secretValues(vars: Record<string, string | undefined>): string[] {
  const secretName = new RegExp(SECRET_WORD, 'i');
  return [
    ...new Set(
      Object.entries(vars)
        .filter(([k, v]) => secretName.test(k) && typeof v === 'string' && v.length >= 4)
        .map(([, v]) => v!),
    ),
  ];
}

/**
 * Text shown in a lens or hover: every occurrence of `values` (interpolated secrets) replaced, then the free-text
 * masking, cut to `maxChars`.
 */
export function redactValues(text: string, values: string[], maxChars = SHOWN_TEXT_CHARS): string {
  let out = text;
  for (const v of [...values].sort((a, b) => b.length - a.length)) out = out.split(v).join('****');
  return maskedExcerpt(out, maxChars);
}
