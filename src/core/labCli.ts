/**
 * What each lab button stands for on the command line, and what its run actions hand to the Engine: one
 * `RunDescription` per run action feeds both the API request and the `docker run` line, so a field that
 * reaches one reaches the other. Pure: the folders, images and time come in through `LabCliInputs`.
 */
import * as path from 'node:path';
import { backupFileName } from './backups';
import type { CliTarget } from './cli';
import {
  backupLine,
  diskUsageLine,
  dumpLine,
  execLine,
  imagePullLine,
  logsLine,
  removeContainerLine,
  resetLines,
  restoreLines,
  shellLine,
  startLine,
  stopLine,
  volumeCreateLine,
  volumeInspectLine,
  volumeListLine,
  volumePruneLine,
  volumeRemoveLine,
  type HelperRun,
} from './cliActions';
import { databasePlan } from './databases';
import { findModule, LAB_MODULES, moduleContainerNames } from './labModules';
import type { LabAction, LabFilesId, LabMount, LabRunAction } from './labs';
import { runCliLines, type MountSpec, type RunDescription } from './mounts';

export interface LabCliInputs {
  /** The lab image setting (alpine unless changed). */
  labImage: string;
  /** The PostgreSQL image setting, for `${postgres}`. */
  postgresImage: string;
  /** Where Create Lab Files writes a lab; undefined when no folder is open. */
  labFolder(lab: LabFilesId): string | undefined;
  /** The backup folder setting, for the backup and restore lines. */
  backupFolder?: string;
  /** The archive a restore line reads; default: a name for a backup made at `now`. */
  backupFile?(volume: string): string | undefined;
  now?: Date;
  target?: CliTarget;
  /** The network mode setting: lab containers run with it, and their lines show it. */
  networkMode?: string;
}

const LAB_SOURCE = /^\$\{lab:([a-z-]+)\}/;

/** The lab whose folder a bind source names (`${lab:flask}/site` → flask), if any. */
export function labOfSource(source: string): LabFilesId | undefined {
  return LAB_SOURCE.exec(source)?.[1] as LabFilesId | undefined;
}

/** `${lab:flask}/site` → `<lab folder>/site`; undefined when the lab has no folder (none open). */
export function resolveLabSource(source: string, labFolder: LabCliInputs['labFolder']): string | undefined {
  const lab = labOfSource(source);
  if (!lab) return source;
  const folder = labFolder(lab);
  return folder === undefined ? undefined : source.replace(LAB_SOURCE, () => folder);
}

export function labImageOf(
  image: string | undefined,
  inputs: Pick<LabCliInputs, 'labImage' | 'postgresImage'>,
): string {
  return image === '${postgres}' ? inputs.postgresImage : (image ?? inputs.labImage);
}

/**
 * One lab mount as the Engine takes it; a `${lab:…}` source without a folder stays as written (the caller refuses it).
 */
export function labMountSpec(m: LabMount, labFolder: LabCliInputs['labFolder']): MountSpec {
  switch (m.type) {
    case 'anonymous':
      return { type: 'volume', source: '', target: m.target };
    case 'volume':
      return { type: 'volume', source: m.source, target: m.target, readOnly: m.readOnly ?? false };
    case 'bind':
      return {
        type: 'bind',
        source: resolveLabSource(m.source, labFolder) ?? m.source,
        target: m.target,
        readOnly: m.readOnly ?? false,
      };
    case 'tmpfs':
      return { type: 'tmpfs', target: m.target, ...(m.sizeBytes ? { sizeBytes: m.sizeBytes } : {}) };
  }
}

/** Compile-time guard: every field of the action was taken apart above, none is left to be forgotten. */
function noFieldLeft(rest: Record<string, never>): void {
  void rest;
}

/** The container a run button makes: the same description goes to the Engine and into the CLI line. */
export function labRunDescription(
  action: LabRunAction,
  inputs: Pick<LabCliInputs, 'labImage' | 'postgresImage' | 'labFolder' | 'networkMode'>,
): RunDescription {
  const { kind, name, command, mounts, image, env, volumesFrom, start, ...rest } = action;
  // A field added to LabRunAction and not handled here fails to compile.
  noFieldLeft(rest);
  void kind;
  return {
    image: labImageOf(image, inputs),
    name,
    mounts: mounts.map((m) => labMountSpec(m, inputs.labFolder)),
    ...(command?.length ? { command } : {}),
    ...(env ? { env } : {}),
    ...(volumesFrom?.length ? { volumesFrom } : {}),
    ...(start === false ? { start: false } : {}),
    ...(inputs.networkMode ? { networkMode: inputs.networkMode } : {}),
  };
}

/** What Reset Module may remove, by name: the module's containers and the volumes its buttons make. */
export function moduleVolumeNames(moduleId: string): string[] {
  const actions = findModule(moduleId)?.steps.flatMap((s) => Object.values(s.actions)) ?? [];
  const names = actions.flatMap((a) => {
    switch (a.kind) {
      case 'createVolume':
        return [a.volume];
      case 'run':
        return a.mounts.flatMap((m) => (m.type === 'volume' ? [m.source] : []));
      case 'restore':
        return [a.target];
      default:
        return [];
    }
  });
  return [...new Set(names)];
}

/**
 * The `docker` line(s) a lab button stands for, as a learner would type them; empty for buttons that are
 * not Docker commands (writing lab files, opening a form). `module` is the action's module (for reset).
 */
export function labCliLines(action: LabAction, inputs: LabCliInputs, module?: string): string[] {
  const target = inputs.target ?? {};
  const helper: HelperRun = {
    image: labImageOf(undefined, inputs),
    ...(inputs.networkMode ? { networkMode: inputs.networkMode } : {}),
  };
  switch (action.kind) {
    case 'createVolume':
      return [
        volumeCreateLine(
          {
            name: action.volume,
            ...(action.driver ? { driver: action.driver } : {}),
            ...(action.driverOpts ? { driverOpts: action.driverOpts } : {}),
          },
          target,
        ),
      ];
    case 'run':
      return [runCliLines(labRunDescription(action, inputs), target).short];
    case 'shell':
      return [shellLine(action.name, labImageOf(action.image, inputs), inputs.networkMode, target)];
    case 'pull':
      return [imagePullLine(labImageOf(action.image, inputs), target)];
    case 'logs':
      return [logsLine(action.container, target)];
    case 'exec':
      return [execLine(action.container, action.command, target)];
    case 'stopContainers':
      return [stopLine(action.names, target)];
    case 'startContainers':
      return [startLine(action.names, target)];
    case 'removeContainers':
      return [removeContainerLine(action.names, true, target)];
    case 'removeVolume':
      return [volumeRemoveLine(action.volume, target)];
    case 'backup': {
      const file = backupFileName(action.volume, inputs.now ?? new Date());
      return [backupLine(action.volume, path.join(inputs.backupFolder ?? '.', file), helper, target)];
    }
    case 'restore': {
      const file = inputs.backupFile?.(action.volume) ?? backupFileName(action.volume, inputs.now ?? new Date());
      return restoreLines(action.target, path.join(inputs.backupFolder ?? '.', file), 'new', helper, target);
    }
    case 'dump': {
      // The lab's database containers are PostgreSQL; their user comes from the env their button gives them.
      const run = findRunAction(action.container);
      return [
        dumpLine(
          databasePlan(
            'postgres',
            Object.entries(run?.env ?? {}).map(([k, v]) => `${k}=${v}`),
            action.container,
          ),
          'dump.sql.gz',
          target,
        ),
      ];
    }
    case 'inspect':
      return [volumeInspectLine(action.volume, target)];
    case 'listVolumes':
      return [volumeListLine(target, action.unusedOnly ?? false)];
    // The button opens Prune Volumes, whose own line says exactly what it removes; this is the course's line.
    case 'prune':
      return [volumePruneLine(target)];
    case 'diskUsage':
      return [diskUsageLine(true, target)];
    case 'reset':
      return module ? resetLines([...moduleContainerNames(module)], moduleVolumeNames(module), target) : [];
    case 'exportScript':
    case 'labFiles':
    case 'command':
      return [];
  }
}

function findRunAction(name: string): LabRunAction | undefined {
  return LAB_MODULES.flatMap((m) => m.steps.flatMap((s) => Object.values(s.actions))).find(
    (a): a is LabRunAction => a.kind === 'run' && a.name === name,
  );
}
