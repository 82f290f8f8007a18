/**
 * What an editor should say about a compose volume line: a one-line explanation per entry, the live state
 * of a top-level volume, and the problems worth a diagnostic. Data only; the lens and diagnostic
 * providers turn it into VS Code objects.
 */
import { mountOptionValue, shellWords } from './cli';
import type { Translator } from './errorText';
import {
  undeclaredVolumes,
  unusedVolumes,
  type ComposeAnalysis,
  type ComposeService,
  type Range,
  type TopLevelVolume,
  type VolumeEntry,
} from './compose';
import { hostPathWarnings } from './mounts';
import { isNetworkPath } from './networkPath';
import { formatBytes, type DaemonVolumeState } from './volumeModel';
import { coversDataPath, statefulImage } from './statefulImages';

/** A bind source that is the Docker socket (Linux) or the engine's named pipe (Windows). */
export function isDockerSocketSource(source: string): boolean {
  const p = source.replace(/\\/g, '/').toLowerCase();
  return p.endsWith('/docker.sock') || p.endsWith('pipe/docker_engine');
}

/** `C:\data`, `D:/x`, `\\server\share`: a Windows host path, which a Linux host cannot have. */
export function isWindowsHostPath(source: string): boolean {
  return /^[a-zA-Z]:[\\/]/.test(source) || /^\\\\[^\\]/.test(source);
}

/** A last segment with an extension (`nginx.conf`, `entrypoint.sh`): most likely one file, not a folder. */
function looksLikeFile(source: string): boolean {
  const last =
    source
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  return /^[^.].*\.[A-Za-z0-9]{1,8}$/.test(last);
}

/** Sizes as people write them for tmpfs (`64m`): binary units, whole when they are. */
export function formatBinarySize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return bytes >= 1024 ** 2
    ? `${(bytes / 1024 ** 2).toFixed(1)} MiB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${bytes} B`;
}

/** The volume a named entry mounts on the daemon (its declaration's name, else `<project>_<key>`). */
export function entryDaemonName(entry: VolumeEntry, projectName: string): string {
  return entry.daemonName ?? `${projectName}_${entry.source ?? ''}`;
}

function bindHint(entry: VolumeEntry, ro: string, l10n: Translator, isFile?: boolean): string {
  const source = entry.source ?? '';
  if (isDockerSocketSource(source))
    return l10n.t(
      'bind {0} → {1}{2}: the Docker socket, full control of Docker (and so of the host)',
      source,
      entry.target,
      ro,
    );
  if (/^\/dev(\/|$)/.test(source))
    return l10n.t('bind {0} → {1}{2}: a host device, used directly by the container', source, entry.target, ro);
  if (isFile ?? looksLikeFile(source))
    return l10n.t('bind {0} → {1}{2}: one host file (a config), read live by the container', source, entry.target, ro);
  return l10n.t('bind {0} → {1}{2}: host folder, live in the container (code reload)', source, entry.target, ro);
}

/**
 * One line saying what a volume entry means. `isFile` says whether a bind source is a file, when the caller could
 * look; otherwise the name decides (an extension means a file).
 */
export function entryHint(entry: VolumeEntry, projectName: string, l10n: Translator, isFile?: boolean): string {
  const ro = entry.readOnly ? ` (${l10n.t('read-only')})` : '';
  const shared =
    entry.services && entry.services.length > 1 ? ` · ${l10n.t('shared by {0}', entry.services.join(', '))}` : '';
  switch (entry.kind) {
    case 'bind':
      return bindHint(entry, ro, l10n, isFile) + shared;
    case 'named': {
      const parts = [
        l10n.t(
          'volume {0} → {1}{2}: data kept by Docker as {3}',
          entry.source ?? '',
          entry.target,
          ro,
          entryDaemonName(entry, projectName),
        ),
      ];
      const subpath = entry.options.find((o) => o.startsWith('subpath='))?.slice('subpath='.length);
      if (subpath) parts.push(l10n.t('only its subfolder {0} is mounted', subpath));
      if (entry.options.includes('nocopy'))
        parts.push(l10n.t("nocopy: the image's files at {0} are not copied into it", entry.target));
      return parts.join('; ') + shared;
    }
    case 'anonymous':
      return (
        l10n.t('anonymous volume at {0}: a random name, hard to find again; give it a name', entry.target) + shared
      );
    case 'tmpfs':
      return (
        (entry.tmpfsSize
          ? l10n.t(
              'tmpfs {0} at {1}: in memory, gone when the container stops',
              formatBinarySize(entry.tmpfsSize),
              entry.target,
            )
          : l10n.t('tmpfs at {0}: in memory, gone when the container stops', entry.target)) + shared
      );
    case 'npipe':
      return (
        (isDockerSocketSource(entry.source ?? '')
          ? l10n.t(
              'named pipe {0} → {1} (Windows): the Docker engine, full control of Docker (and so of the host)',
              entry.source ?? '',
              entry.target,
            )
          : l10n.t('named pipe {0} → {1} (Windows)', entry.source ?? '', entry.target)) + shared
      );
    case 'unknown':
      return l10n.t('mount at {0}', entry.target) + shared;
  }
}

export function topLevelStateText(
  volume: TopLevelVolume,
  state: DaemonVolumeState | undefined,
  l10n: Translator,
  language = 'en',
): string {
  if (!state?.exists) {
    return volume.external
      ? l10n.t('external — {0} is missing on the daemon', volume.daemonName)
      : l10n.t('{0}: not created yet (docker compose up creates it)', volume.daemonName);
  }
  const parts = [l10n.t('{0} exists', volume.daemonName)];
  if (state.size !== undefined && state.size >= 0) parts.push(formatBytes(state.size, language));
  parts.push(state.users.length ? l10n.t('used by {0}', state.users.join(', ')) : l10n.t('unused'));
  return parts.join(' · ');
}

export type ProblemSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface ComposeProblem {
  severity: ProblemSeverity;
  code:
    | 'undeclaredVolume'
    | 'unusedVolume'
    | 'missingBindSource'
    | 'sensitiveBind'
    | 'dockerSocketBind'
    | 'anonymousVolume'
    | 'missingExternalVolume'
    | 'statefulWithoutVolume'
    | 'windowsHostPath'
    | 'networkBindSource';
  message: string;
  range: Range;
}

export interface ProblemContext {
  /** Absolute host path of a bind source, or undefined when it cannot be known (variables, ~ without home). */
  resolveHostPath(source: string): string | undefined;
  exists(hostPath: string): boolean;
  /** Names of volumes on the daemon, or undefined when the daemon cannot be asked. */
  daemonVolumes?: Set<string>;
  home?: string;
  /**
   * False when the files are on a Linux or macOS machine: a Windows path (`C:\…`, `\\server\share`) cannot exist
   * there. Undefined when not known (no check); on Windows such a path is checked like any other.
   */
  hostIsWindows?: boolean;
  /** Data paths an image declares with `VOLUME`, from the daemon's copy of the image; undefined when unknown. */
  imageVolumes?(image: string): string[] | undefined;
}

/** Per service, the targets of its named, bind and anonymous mounts (an anonymous volume has its own hint already). */
function mountedTargets(analysis: ComposeAnalysis): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  for (const e of analysis.entries) {
    if (e.kind !== 'named' && e.kind !== 'bind' && e.kind !== 'anonymous') continue;
    const list = targets.get(e.service);
    if (list) list.push(e.target);
    else targets.set(e.service, [e.target]);
  }
  return targets;
}

/** The service's data path that nothing is mounted at: its data would go to an implicit anonymous volume. */
export function unpersistedDataPath(
  analysis: ComposeAnalysis,
  service: ComposeService,
  context: Pick<ProblemContext, 'imageVolumes'>,
  targets: Map<string, string[]> = mountedTargets(analysis),
): { product: string; dataPath: string } | undefined {
  if (!service.image) return undefined;
  const known = statefulImage(service.image);
  const paths = known ? [known.dataPath] : (context.imageVolumes?.(service.image) ?? []);
  const held = targets.get(service.name) ?? [];
  const dataPath = paths.find((p) => !held.some((t) => coversDataPath(t, p)));
  return dataPath ? { product: known?.product ?? service.image, dataPath } : undefined;
}

export function composeProblems(
  analysis: ComposeAnalysis,
  context: ProblemContext,
  l10n: Translator,
): ComposeProblem[] {
  const problems: ComposeProblem[] = [];
  for (const e of undeclaredVolumes(analysis)) {
    problems.push({
      severity: 'error',
      code: 'undeclaredVolume',
      range: e.range,
      message: l10n.t(
        'Volume "{0}" is used but not declared under the top-level volumes: key; Compose refuses to start.',
        e.source ?? '',
      ),
    });
  }
  for (const v of unusedVolumes(analysis)) {
    problems.push({
      severity: 'hint',
      code: 'unusedVolume',
      range: v.range,
      message: l10n.t('Volume "{0}" is declared but no service uses it.', v.key),
    });
  }
  for (const e of analysis.entries) {
    if (e.kind === 'anonymous') {
      problems.push({
        severity: 'information',
        code: 'anonymousVolume',
        range: e.range,
        message: l10n.t(
          'Anonymous volume at {0}: each new container gets another one, and old ones pile up. Name it.',
          e.target,
        ),
      });
    }
    if (e.kind === 'npipe' && isDockerSocketSource(e.source ?? '')) {
      problems.push({
        severity: 'warning',
        code: 'dockerSocketBind',
        range: e.range,
        message: l10n.t('Binding the Docker socket gives this container full control of Docker, and so of the host.'),
      });
    }
    if (e.kind !== 'bind' || !e.source || e.unresolved.length) continue;
    if (context.hostIsWindows === false && isWindowsHostPath(e.source)) {
      problems.push({
        severity: 'warning',
        code: 'windowsHostPath',
        range: e.range,
        message: l10n.t(
          '{0} is a Windows path (for Docker Desktop on Windows): it cannot exist on this Linux or macOS machine. Use a path of this machine, relative to the compose file (./data).',
          e.source,
        ),
      });
      continue;
    }
    const hostPath = context.resolveHostPath(e.source);
    if (!hostPath) continue;
    // Looking at a network path connects to the server the file names (on Windows, with the user's NTLM hash).
    if (isNetworkPath(e.source) || isNetworkPath(hostPath)) {
      problems.push({
        severity: 'information',
        code: 'networkBindSource',
        range: e.range,
        message: l10n.t(
          '{0} is a network path: it was not checked, since looking at it would connect to that server. Binding a network share usually fails: a CIFS volume is the reliable way.',
          e.source,
        ),
      });
      continue;
    }
    for (const w of hostPathWarnings(hostPath, context.home)) {
      problems.push(
        w.kind === 'dockerSocket'
          ? {
              severity: 'warning',
              code: 'dockerSocketBind',
              range: e.range,
              message: l10n.t(
                'Binding the Docker socket gives this container full control of Docker, and so of the host.',
              ),
            }
          : {
              severity: 'warning',
              code: 'sensitiveBind',
              range: e.range,
              message: l10n.t(
                '{0} is a sensitive host path: the container can read (or change) what is there.',
                e.source,
              ),
            },
      );
    }
    const createHostPath = e.options.includes('create_host_path=true');
    if (!createHostPath && !context.exists(hostPath)) {
      problems.push({
        severity: 'warning',
        code: 'missingBindSource',
        range: e.range,
        message: l10n.t('{0} does not exist on this machine.', e.source),
      });
    }
  }
  const targets = mountedTargets(analysis);
  for (const service of analysis.services) {
    const lost = unpersistedDataPath(analysis, service, context, targets);
    if (lost) {
      problems.push({
        severity: 'warning',
        code: 'statefulWithoutVolume',
        range: service.range,
        message: l10n.t(
          '{0} keeps its data in {1}, and nothing is mounted there: it goes to an anonymous volume, which docker compose down leaves behind (the next up starts empty) and down -v deletes. Mount a named volume at {1}.',
          lost.product,
          lost.dataPath,
        ),
      });
    }
  }
  if (context.daemonVolumes) {
    for (const v of analysis.topLevel.filter((t) => t.external && !context.daemonVolumes!.has(t.daemonName))) {
      problems.push({
        severity: 'warning',
        code: 'missingExternalVolume',
        range: v.range,
        message: l10n.t(
          'External volume {0} does not exist on the daemon: create it before docker compose up.',
          v.daemonName,
        ),
      });
    }
  }
  // A list shared through an anchor is one line used by several services: say each thing about it once.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}@${p.range[0]}:${p.range[1]}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The same mount as `docker run --mount …`, for the hover, quoted (undefined when it cannot be written). */
export function entryAsMountFlag(entry: VolumeEntry, projectName: string): string | undefined {
  const ro = entry.readOnly ? ['readonly'] : [];
  const fields = (() => {
    switch (entry.kind) {
      case 'bind':
        return ['type=bind', `src=${entry.source ?? ''}`, `dst=${entry.target}`, ...ro];
      case 'named': {
        const subpath = entry.options.find((o) => o.startsWith('subpath='))?.slice('subpath='.length);
        return [
          'type=volume',
          `src=${entryDaemonName(entry, projectName)}`,
          `dst=${entry.target}`,
          ...ro,
          ...(subpath ? [`volume-subpath=${subpath}`] : []),
          ...(entry.options.includes('nocopy') ? ['volume-nocopy'] : []),
        ];
      }
      // The engine refuses a read-only anonymous volume: no line rather than one that fails.
      case 'anonymous':
        return entry.readOnly ? undefined : ['type=volume', `dst=${entry.target}`];
      case 'tmpfs':
        return ['type=tmpfs', `dst=${entry.target}`, ...(entry.tmpfsSize ? [`tmpfs-size=${entry.tmpfsSize}`] : [])];
      default:
        return undefined;
    }
  })();
  return fields && shellWords(['--mount', mountOptionValue(fields)]);
}
