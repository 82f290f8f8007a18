/**
 * What an editor should say about a compose volume line: a one-line explanation per entry, the live state
 * of a top-level volume, and the problems worth a diagnostic. Data only; the lens and diagnostic
 * providers turn it into VS Code objects.
 */
import { mountOptionValue, shellWords } from './cli';
import type { Translator } from './errorText';
import { undeclaredVolumes, unusedVolumes, type ComposeAnalysis, type Range, type TopLevelVolume, type VolumeEntry } from './compose';
import { hostPathWarnings } from './mounts';
import { formatBytes } from './volumeModel';

export function entryHint(entry: VolumeEntry, projectName: string, l10n: Translator): string {
  const ro = entry.readOnly ? ` (${l10n.t('read-only')})` : '';
  switch (entry.kind) {
    case 'bind':
      return l10n.t('bind {0} → {1}{2}: host files, live in the container (code reload)', entry.source ?? '', entry.target, ro);
    case 'named':
      return l10n.t('volume {0} → {1}{2}: data kept by Docker as {3}', entry.source ?? '', entry.target, ro, `${projectName}_${entry.source ?? ''}`);
    case 'anonymous':
      return l10n.t('anonymous volume at {0}: a random name, hard to find again; give it a name', entry.target);
    case 'tmpfs':
      return entry.tmpfsSize
        ? l10n.t('tmpfs {0} at {1}: in memory, gone when the container stops', formatBytes(entry.tmpfsSize), entry.target)
        : l10n.t('tmpfs at {0}: in memory, gone when the container stops', entry.target);
    case 'npipe':
      return l10n.t('named pipe {0} → {1} (Windows)', entry.source ?? '', entry.target);
    case 'unknown':
      return l10n.t('mount at {0}', entry.target);
  }
}

export interface DaemonVolumeState {
  exists: boolean;
  size?: number;
  users: string[];
}

export function topLevelStateText(volume: TopLevelVolume, state: DaemonVolumeState | undefined, l10n: Translator): string {
  if (!state?.exists) {
    return volume.external
      ? l10n.t('external — {0} is missing on the daemon', volume.daemonName)
      : l10n.t('{0}: not created yet (docker compose up creates it)', volume.daemonName);
  }
  const parts = [l10n.t('{0} exists', volume.daemonName)];
  if (state.size !== undefined && state.size >= 0) parts.push(formatBytes(state.size));
  parts.push(state.users.length ? l10n.t('used by {0}', state.users.join(', ')) : l10n.t('unused'));
  return parts.join(' · ');
}

export type ProblemSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface ComposeProblem {
  severity: ProblemSeverity;
  code: 'undeclaredVolume' | 'unusedVolume' | 'missingBindSource' | 'sensitiveBind' | 'dockerSocketBind' | 'anonymousVolume' | 'missingExternalVolume';
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
}

export function composeProblems(analysis: ComposeAnalysis, context: ProblemContext, l10n: Translator): ComposeProblem[] {
  const problems: ComposeProblem[] = [];
  for (const e of undeclaredVolumes(analysis)) {
    problems.push({ severity: 'error', code: 'undeclaredVolume', range: e.range,
      message: l10n.t('Volume "{0}" is used but not declared under the top-level volumes: key; Compose refuses to start.', e.source ?? '') });
  }
  for (const v of unusedVolumes(analysis)) {
    problems.push({ severity: 'hint', code: 'unusedVolume', range: v.range, message: l10n.t('Volume "{0}" is declared but no service uses it.', v.key) });
  }
  for (const e of analysis.entries) {
    if (e.kind === 'anonymous') {
      problems.push({ severity: 'information', code: 'anonymousVolume', range: e.range,
        message: l10n.t('Anonymous volume at {0}: each new container gets another one, and old ones pile up. Name it.', e.target) });
    }
    if (e.kind !== 'bind' || !e.source || e.unresolved.length) continue;
    const hostPath = context.resolveHostPath(e.source);
    if (!hostPath) continue;
    for (const w of hostPathWarnings(hostPath, context.home)) {
      problems.push(w.kind === 'dockerSocket'
        ? { severity: 'warning', code: 'dockerSocketBind', range: e.range, message: l10n.t('Binding the Docker socket gives this container full control of Docker, and so of the host.') }
        : { severity: 'warning', code: 'sensitiveBind', range: e.range, message: l10n.t('{0} is a sensitive host path: the container can read (or change) what is there.', e.source) });
    }
    const createHostPath = e.options.includes('create_host_path=true');
    if (!createHostPath && !context.exists(hostPath)) {
      problems.push({ severity: 'warning', code: 'missingBindSource', range: e.range, message: l10n.t('{0} does not exist on this machine.', e.source) });
    }
  }
  if (context.daemonVolumes) {
    for (const v of analysis.topLevel.filter(t => t.external && !context.daemonVolumes!.has(t.daemonName))) {
      problems.push({ severity: 'warning', code: 'missingExternalVolume', range: v.range,
        message: l10n.t('External volume {0} does not exist on the daemon: create it before docker compose up.', v.daemonName) });
    }
  }
  return problems;
}

/** The same mount as `docker run --mount …`, for the hover, quoted (undefined when it cannot be written). */
export function entryAsMountFlag(entry: VolumeEntry, projectName: string): string | undefined {
  const ro = entry.readOnly ? ['readonly'] : [];
  const fields = (() => {
    switch (entry.kind) {
      case 'bind': return ['type=bind', `src=${entry.source ?? ''}`, `dst=${entry.target}`, ...ro];
      case 'named': return ['type=volume', `src=${projectName}_${entry.source ?? ''}`, `dst=${entry.target}`, ...ro];
      // The engine refuses a read-only anonymous volume: no line rather than one that fails.
      case 'anonymous': return entry.readOnly ? undefined : ['type=volume', `dst=${entry.target}`];
      case 'tmpfs': return ['type=tmpfs', `dst=${entry.target}`, ...(entry.tmpfsSize ? [`tmpfs-size=${entry.tmpfsSize}`] : [])];
      default: return undefined;
    }
  })();
  return fields && shellWords(['--mount', mountOptionValue(fields)]);
}
