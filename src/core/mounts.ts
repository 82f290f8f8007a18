/**
 * Mounts as the learner describes them, the equivalent `docker run` lines in both syntaxes, the warnings a
 * mount deserves, and host paths converted for the daemon. Pure: no vscode, no file system (passed in).
 */
import { dockerCli, mountOptionValue, type CliTarget } from './cli';

import type { ContainerRunSpec, MountRequest } from './engineTypes';
import { isNetworkPath } from './networkPath';

export type MountSpec = MountRequest;

export interface PortMapping {
  host: number;
  container: number;
  protocol?: 'tcp' | 'udp';
}

export interface RunDescription {
  image: string;
  name?: string;
  detach?: boolean;
  mounts: MountSpec[];
  ports?: PortMapping[];
  env?: Record<string, string>;
  workingDir?: string;
  command?: string[];
  /** Containers whose mounts this one takes too (`--volumes-from`). */
  volumesFrom?: string[];
  /** false: `docker create` (made, not started). */
  start?: boolean;
  /** `--network`: "none" where containers get no network (the test machines, a setting). */
  networkMode?: string;
}

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY/i;

/** `-e` values whose names look secret are masked in what we show. */
export function maskedEnv(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${SECRET_NAME.test(k) ? '****' : v}`);
}

/** Bytes in the unit `docker --tmpfs size=` and `--mount tmpfs-size=` accept. */
export function tmpfsSizeText(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib}m` : String(bytes);
}

/** The short (`-v` / `--tmpfs`) argument pair of one mount. */
export function shortMountArgs(m: MountSpec): string[] {
  switch (m.type) {
    case 'bind':
    case 'volume': {
      const modes = [m.readOnly ? 'ro' : '', m.type === 'bind' && m.selinux ? m.selinux : ''].filter(Boolean).join(',');
      // No source: an anonymous volume (`-v /path`).
      return ['-v', `${m.source ? `${m.source}:` : ''}${m.target}${modes ? `:${modes}` : ''}`];
    }
    case 'tmpfs': {
      const opts = [
        m.sizeBytes ? `size=${tmpfsSizeText(m.sizeBytes)}` : '',
        m.mode !== undefined ? `mode=${m.mode.toString(8)}` : '',
      ]
        .filter(Boolean)
        .join(',');
      return ['--tmpfs', `${m.target}${opts ? `:${opts}` : ''}`];
    }
  }
}

/** The long (`--mount`) argument pair of one mount. */
export function longMountArgs(m: MountSpec): string[] {
  switch (m.type) {
    case 'bind':
      // --mount has no SELinux relabel option (`z`/`Z` exist only in `-v`): dropping it would show a line that
      // leaves the folder unreadable to the container on an SELinux host, so such a bind keeps its `-v` form.
      if (m.selinux) return shortMountArgs(m);
      return [
        '--mount',
        mountOptionValue(['type=bind', `src=${m.source}`, `dst=${m.target}`, ...(m.readOnly ? ['readonly'] : [])]),
      ];
    case 'volume':
      return [
        '--mount',
        mountOptionValue([
          'type=volume',
          ...(m.source ? [`src=${m.source}`] : []),
          `dst=${m.target}`,
          ...(m.readOnly ? ['readonly'] : []),
        ]),
      ];
    case 'tmpfs':
      return [
        '--mount',
        mountOptionValue([
          'type=tmpfs',
          `dst=${m.target}`,
          ...(m.sizeBytes ? [`tmpfs-size=${m.sizeBytes}`] : []),
          ...(m.mode !== undefined ? [`tmpfs-mode=${m.mode.toString(8)}`] : []),
        ]),
      ];
  }
}

function runArgs(run: RunDescription, mountArgs: (m: MountSpec) => string[]): string[] {
  const created = run.start === false;
  const args = [created ? 'create' : 'run'];
  if ((run.detach ?? true) && !created) args.push('-d');
  if (run.name) args.push('--name', run.name);
  if (run.networkMode) args.push('--network', run.networkMode);
  for (const p of run.ports ?? []) args.push('-p', `${p.host}:${p.container}${p.protocol === 'udp' ? '/udp' : ''}`);
  for (const e of maskedEnv(run.env ?? {})) args.push('-e', e);
  if (run.workingDir) args.push('-w', run.workingDir);
  for (const m of run.mounts) args.push(...mountArgs(m));
  for (const from of run.volumesFrom ?? []) args.push('--volumes-from', from);
  args.push(run.image, ...(run.command ?? []));
  return args;
}

/** `docker run` with `-v` / `--tmpfs`, and the same with `--mount`: both, for learners to compare. */
export function runCliLines(run: RunDescription, target: CliTarget = {}): { short: string; long: string } {
  return {
    short: dockerCli(runArgs(run, shortMountArgs), target),
    long: dockerCli(runArgs(run, longMountArgs), target),
  };
}

/**
 * The Engine request for the run the learner was shown: every field of the description is mapped here (the
 * destructuring below fails to compile when a new field is not), so what the CLI lines show and what the
 * daemon gets cannot drift apart. `labels` are our own bookkeeping, never part of the shown line.
 */
export function runRequest(run: RunDescription, labels: Record<string, string> = {}): ContainerRunSpec {
  const { image, name, detach, mounts, ports, env, workingDir, command, volumesFrom, start, networkMode, ...unmapped } =
    run;
  const everyFieldMapped: Record<string, never> = unmapped;
  void everyFieldMapped;
  void detach; // the Engine API never attaches: a run is always detached, and `-d` only keeps the CLI alike
  return {
    image,
    mounts,
    labels,
    ...(name ? { name } : {}),
    ...(ports?.length ? { ports } : {}),
    ...(env ? { env } : {}),
    ...(workingDir ? { workingDir } : {}),
    ...(command?.length ? { command } : {}),
    ...(volumesFrom?.length ? { volumesFrom } : {}),
    ...(start === false ? { start: false } : {}),
    ...(networkMode ? { networkMode } : {}),
  };
}

// --- Warnings ------------------------------------------------------------------------------------------------

export type MountWarningKind = 'sensitivePath' | 'dockerSocket' | 'homeFolder' | 'missingHostPath' | 'anonymousVolume';

export interface MountWarning {
  kind: MountWarningKind;
  /** The path or volume concerned. */
  subject: string;
}

const SENSITIVE_UNIX = [
  '/',
  '/etc',
  '/root',
  '/boot',
  '/proc',
  '/sys',
  '/dev',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/var',
  '/var/lib/docker',
];
const DOCKER_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

function normalise(p: string): string {
  const unix = p.replace(/\\/g, '/');
  // Trailing slashes trimmed by hand: `/\/+$/` retries from every slash of a long run (quadratic).
  let end = unix.length;
  while (end > 1 && unix[end - 1] === '/') end--;
  return unix.slice(0, end);
}

/** What is risky about binding `hostPath` into a container. `home` is the user's home folder, when known. */
export function hostPathWarnings(hostPath: string, home?: string): MountWarning[] {
  const p = normalise(hostPath);
  const lower = p.toLowerCase();
  const warnings: MountWarning[] = [];
  if (DOCKER_SOCKETS.includes(p) || lower.endsWith('/docker.sock') || lower.includes('pipe/docker_engine')) {
    warnings.push({ kind: 'dockerSocket', subject: hostPath });
  } else if (
    SENSITIVE_UNIX.includes(p) ||
    /^[a-z]:\/?$/i.test(p) ||
    /^[a-z]:\/windows(\/|$)/i.test(p) ||
    /\/\.ssh(\/|$)/.test(p) ||
    /\/\.aws(\/|$)|\/\.kube(\/|$)|\/\.gnupg(\/|$)/.test(p)
  ) {
    warnings.push({ kind: 'sensitivePath', subject: hostPath });
  } else if (
    (home && normalise(home) === p) ||
    /^\/home\/[^/]+$/.test(p) ||
    /^\/Users\/[^/]+$/.test(p) ||
    /^[a-z]:\/users\/[^/]+$/i.test(p)
  ) {
    warnings.push({ kind: 'homeFolder', subject: hostPath });
  }
  return warnings;
}

/** Warnings for a container's mounts as the engine reports them. */
export function mountWarnings(
  mounts: { type: string; source: string; name?: string; anonymous?: boolean }[],
  options: { home?: string; exists?: (hostPath: string) => boolean } = {},
): MountWarning[] {
  const warnings: MountWarning[] = [];
  for (const m of mounts) {
    if (m.type === 'bind') {
      warnings.push(...hostPathWarnings(m.source, options.home));
      // A network source is not looked at: on Windows that connects to the server it names.
      if (options.exists && !isNetworkPath(m.source) && !options.exists(m.source))
        warnings.push({ kind: 'missingHostPath', subject: m.source });
    } else if (m.type === 'volume' && m.anonymous) {
      warnings.push({ kind: 'anonymousVolume', subject: m.name ?? '' });
    }
  }
  return warnings;
}

// --- Targets and host paths ----------------------------------------------------------------------------------

export type TargetProblem = 'empty' | 'relative' | 'root';

/** A container path must be absolute and cannot be `/` itself. */
export function checkTarget(target: string): TargetProblem | undefined {
  const t = target.trim();
  if (!t) return 'empty';
  if (!t.startsWith('/')) return 'relative';
  if (normalise(t) === '/') return 'root';
  return undefined;
}

export type HostPathNote = 'windowsFilesystemSlow' | 'wslDistroPath' | 'networkShare' | 'relative';

export interface HostPathConversion {
  /** The path to hand to the daemon. */
  path: string;
  notes: HostPathNote[];
}

/**
 * The host path to give the daemon for a folder the user picked. `client` is where VS Code's extension host
 * runs: 'windows', 'wsl' (Linux inside WSL) or 'unix'.
 *   C:\work\app (Windows)        -> C:/work/app; Docker Desktop shares it, but Linux containers read it slowly
 *   \\wsl$\Ubuntu\home\me\app    -> /home/me/app, the path inside the distro the daemon runs in
 *   /mnt/c/work/app (WSL)        -> unchanged; the Windows drive is slow from Linux containers
 *   \\server\share\x             -> unchanged; binding a network share usually fails: use a CIFS volume
 */
export function convertHostPath(input: string, client: 'windows' | 'wsl' | 'unix'): HostPathConversion {
  const raw = input.trim();
  const wsl = /^\\\\(?:wsl\$|wsl\.localhost)\\[^\\]+(\\.*)?$/i.exec(raw);
  if (wsl) return { path: (wsl[1] ?? '\\').replace(/\\/g, '/'), notes: ['wslDistroPath'] };
  if (/^\\\\[^\\]+\\/.test(raw) || /^\/\/[^/]+\//.test(raw)) return { path: raw, notes: ['networkShare'] };
  const drive = /^([a-zA-Z]):[\\/](.*)$/.exec(raw);
  if (drive) {
    const rest = drive[2]!.replace(/\\/g, '/');
    if (client === 'wsl') return { path: `/mnt/${drive[1]!.toLowerCase()}/${rest}`, notes: ['windowsFilesystemSlow'] };
    return {
      path: `${drive[1]!.toUpperCase()}:/${rest}`,
      notes: client === 'windows' ? ['windowsFilesystemSlow'] : [],
    };
  }
  if (!raw.startsWith('/')) return { path: raw, notes: ['relative'] };
  if (client === 'wsl' && /^\/mnt\/[a-z](\/|$)/.test(raw)) return { path: raw, notes: ['windowsFilesystemSlow'] };
  return { path: raw, notes: [] };
}

/** Parses "8080:80, 5432:5432/udp" into port mappings; a string says what is wrong. */
export function parsePorts(text: string): PortMapping[] | string {
  const ports: PortMapping[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\d{1,5}):(\d{1,5})(?:\/(tcp|udp))?$/.exec(part);
    if (!m) return part;
    const host = Number(m[1]);
    const container = Number(m[2]);
    if (host < 1 || host > 65535 || container < 1 || container > 65535) return part;
    ports.push({ host, container, ...(m[3] === 'udp' ? { protocol: 'udp' as const } : {}) });
  }
  return ports;
}

/** "100m", "1g", "512k" or bytes → bytes; undefined when unreadable. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

export type RunFailure = 'portInUse' | 'nameTaken' | 'bindSourceMissing';

/** What went wrong starting a container, from the engine's message (its wording since Engine 1.x). */
export function classifyRunFailure(message: string): RunFailure | undefined {
  if (/port is already allocated|address already in use|ports are not available/i.test(message)) return 'portInUse';
  if (/name ".*" is already in use|Conflict\. The container name/i.test(message)) return 'nameTaken';
  if (/bind source path does not exist/i.test(message)) return 'bindSourceMissing';
  return undefined;
}
