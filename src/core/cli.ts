/**
 * The `docker` CLI line equivalent to what the extension does through the Engine API. These lines are for
 * people to read and retype, never executed: the extension talks to the Engine API only.
 */

const SAFE_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** Quote one argument for a POSIX shell: bare when safe, else single quotes (with `'\''` for a quote). */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (SAFE_WORD.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface CliTarget {
  /** Set when the daemon was chosen by our own setting, which the CLI would not know about. */
  hostFlag?: string;
}

/** `docker <args…>` with each argument quoted, e.g. `dockerCli(['volume', 'create', 'my data'])`. */
export function dockerCli(args: readonly string[], target: CliTarget = {}): string {
  const prefix = target.hostFlag ? ['docker', '-H', shellQuote(target.hostFlag)] : ['docker'];
  return [...prefix, ...args.map(shellQuote)].join(' ');
}

export function volumeCreateArgs(spec: { name?: string; driver?: string; driverOpts?: Record<string, string>; labels?: Record<string, string> }): string[] {
  const args = ['volume', 'create'];
  if (spec.driver && spec.driver !== 'local') args.push('--driver', spec.driver);
  for (const [key, value] of Object.entries(spec.driverOpts ?? {})) args.push('--opt', `${key}=${value}`);
  for (const [key, value] of Object.entries(spec.labels ?? {})) args.push('--label', `${key}=${value}`);
  if (spec.name) args.push(spec.name);
  return args;
}
