/**
 * The `docker` CLI line equivalent to what the extension does through the Engine API. These lines are for
 * people to read and retype, never executed: the extension talks to the Engine API only.
 */

import { stringify } from 'yaml';
import type { VolumeCreateSpec } from './engineTypes';

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
  /** The daemon is reached over the network (tcp, ssh), so it may run on another machine than the CLI. */
  remote?: boolean;
}

/**
 * `-H` only for an endpoint our setting chose: DOCKER_HOST and the docker context are read by the CLI
 * itself, and a `-H` would override a context switch the learner makes later.
 */
export function cliTargetFor(endpoint: { source: string; host: string; transport?: string } | undefined): CliTarget {
  const remote = endpoint?.transport === 'tcp' || endpoint?.transport === 'ssh';
  return { ...(endpoint?.source === 'setting' ? { hostFlag: endpoint.host } : {}), ...(remote ? { remote } : {}) };
}

/**
 * Whether a `-v <local folder>:…` in a shown line binds the folder the user sees. A daemon named by `-H` or
 * reached over the network binds a folder of its own host, so such lines stream through the CLI instead.
 */
export function daemonSeesLocalFolders(target: CliTarget): boolean {
  return !target.hostFlag && !target.remote;
}

/** Words of a non-docker command in a shown pipeline (`gzip > file`), each quoted. */
export function shellWords(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}

/** `docker <args…>` with each argument quoted, e.g. `dockerCli(['volume', 'create', 'my data'])`. */
export function dockerCli(args: readonly string[], target: CliTarget = {}): string {
  const prefix = target.hostFlag ? ['docker', '-H', shellQuote(target.hostFlag)] : ['docker'];
  return [...prefix, ...args.map(shellQuote)].join(' ');
}

export function volumeCreateArgs(spec: VolumeCreateSpec): string[] {
  const args = ['volume', 'create'];
  if (spec.driver && spec.driver !== 'local') args.push('--driver', spec.driver);
  for (const [key, value] of Object.entries(spec.driverOpts ?? {})) args.push('--opt', `${key}=${value}`);
  for (const [key, value] of Object.entries(spec.labels ?? {})) args.push('--label', `${key}=${value}`);
  if (spec.name) args.push(spec.name);
  return args;
}

/**
 * One `--mount` value from its fields: docker reads it as a CSV record, so a field holding a comma or a
 * double quote is written as a quoted CSV field (`"src=/a,b"`), else docker splits or refuses it.
 */
export function mountOptionValue(fields: readonly string[]): string {
  return fields.map((f) => (/[",]/.test(f) || /^\s|\s$/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}

export interface MountSnippets {
  /** `-v name:/path[:ro]` */
  short: string;
  /** `--mount type=volume,src=name,dst=/path[,readonly]` */
  long: string;
  /** A compose service `volumes:` entry and the top-level declaration it needs. */
  compose: string;
}

/** The three ways to mount volume `name` at `target`, as a learner would write them. */
export function volumeMountSnippets(name: string, target: string, readOnly = false): MountSnippets {
  const shortArg = `${name}:${target}${readOnly ? ':ro' : ''}`;
  const longArg = mountOptionValue(['type=volume', `src=${name}`, `dst=${target}`, ...(readOnly ? ['readonly'] : [])]);
  return {
    short: `-v ${shellQuote(shortArg)}`,
    long: `--mount ${shellQuote(longArg)}`,
    // The yaml library quotes what YAML would misread (a ` #` starts a comment, `: ` a mapping).
    compose: stringify({
      services: { app: { volumes: [shortArg] } },
      volumes: { [name]: { external: true } },
    }).trimEnd(),
  };
}
