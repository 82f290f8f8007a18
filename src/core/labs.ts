/**
 * The course's labs as data: for each walkthrough step, what its button does on the daemon and how the
 * daemon's state shows it done. Pure: the VS Code side runs the actions through the functions the commands call
 * and turns the predicates into `onContext:` keys.
 */
import { LABELS } from './labels';

/** One container as the predicates see it: what `docker inspect` says about the property a step teaches. */
export interface LabContainer {
  name: string;
  running: boolean;
  /** "created" (never started), "running", "exited", ... */
  state: string;
  labels: Record<string, string>;
  /** Volumes, binds and tmpfs mounts (`--tmpfs` ones included, with their size when one was given). */
  mounts: {
    type: string;
    name?: string;
    source?: string;
    destination: string;
    readOnly: boolean;
    tmpfsSizeBytes?: number;
  }[];
  /** Containers named with `--volumes-from`. */
  volumesFrom: string[];
}

/** What the predicates look at: the daemon's volumes and containers, backups on disk, results of checks. */
export interface LabFacts {
  volumes: { name: string; anonymous: boolean; labels: Record<string, string>; options: Record<string, string> }[];
  containers: LabContainer[];
  /** Files seen in volumes, as `<volume>/<path>` (only those a step declares in `files`). */
  files: Set<string>;
  /** Volumes that have a backup file in the backup folder. */
  backedUp: Set<string>;
  /** Local image references (repository:tag). */
  images: string[];
  /** The image the labs run (setting). */
  labImage: string;
  /** Results the extension observed on the daemon for a step (e.g. a refused write), by step key. */
  observed: Set<string>;
  /** Step keys that were true at some point (kept across sessions): later steps build on them. */
  reached: Set<string>;
}

/** A run action: every field here reaches the Engine and the CLI line (see `labRunDescription`). */
export interface LabRunAction {
  kind: 'run';
  name: string;
  command?: string[];
  mounts: LabMount[];
  image?: string;
  env?: Record<string, string>;
  /** `--volumes-from`: this container takes all the mounts of those. */
  volumesFrom?: string[];
  /** false: made and never started (`docker create`). */
  start?: boolean;
}

/**
 * What a step's button does. Images: the lab image setting unless given; `${postgres}` stands for the
 * PostgreSQL image setting. Bind sources: `${lab:<id>}` stands for the folder Create Lab Files writes.
 */
export type LabAction =
  | { kind: 'createVolume'; volume: string; driver?: string; driverOpts?: Record<string, string> }
  | LabRunAction
  | { kind: 'shell'; name: string; image?: string }
  | { kind: 'pull'; image?: string }
  | { kind: 'logs'; container: string }
  | { kind: 'exec'; container: string; command: string[]; expect: RegExp; success: 'refused' | 'output' }
  | { kind: 'stopContainers'; names: string[] }
  | { kind: 'startContainers'; names: string[] }
  | { kind: 'removeContainers'; names: string[] }
  | { kind: 'removeVolume'; volume: string }
  | { kind: 'backup'; volume: string }
  | { kind: 'restore'; volume: string; target: string }
  | { kind: 'dump'; container: string }
  | { kind: 'exportScript'; volumes: string[] }
  | { kind: 'inspect'; volume: string }
  | { kind: 'listVolumes'; unusedOnly?: boolean }
  | { kind: 'prune' }
  | { kind: 'reset' }
  | { kind: 'diskUsage' }
  | { kind: 'labFiles'; lab: LabFilesId }
  | { kind: 'command'; command: string; args?: unknown[] };

export type LabMount =
  | { type: 'volume'; source: string; target: string; readOnly?: boolean }
  | { type: 'anonymous'; target: string }
  | { type: 'bind'; source: string; target: string; readOnly?: boolean }
  | { type: 'tmpfs'; target: string; sizeBytes?: number };

/** The sample projects of Create Lab Files (folders under labs/). */
export const LAB_FILE_IDS = ['sidecar', 'flask', 'flask-postgres', 'nginx', 'node', 'lamp', 'streamlit'] as const;
export type LabFilesId = (typeof LAB_FILE_IDS)[number];

export interface LabStep {
  id: string;
  /** Milestones evaluated like `done` and remembered once true (see `markKey`). */
  marks?: Record<string, (facts: LabFacts) => boolean>;
  /** Buttons, by action id (the command link passes `<module>.<step>.<action>`). */
  actions: Record<string, LabAction>;
  /** When the daemon's state shows the step done; absent: the step completes on its command. */
  done?: (facts: LabFacts) => boolean;
  /** Files the predicates look for in volumes (`LabFacts.files`), probed only for these. */
  files?: { volume: string; path: string }[];
}

export interface LabModule {
  /** The walkthrough id in package.json. */
  id: string;
  steps: LabStep[];
}

export function stepKey(module: string, step: string): string {
  return `volumesLab.step.${module}.${step}`;
}

/** A milestone inside a step (e.g. "the container existed"), remembered once reached. */
export function markKey(module: string, step: string, mark: string): string {
  return `${stepKey(module, step)}#${mark}`;
}

/** What "Reset Module" removes: the module's labelled containers (with their anonymous volumes) and volumes. */
export function moduleObjects(
  moduleId: string,
  facts: Pick<LabFacts, 'volumes' | 'containers'>,
): { containers: string[]; volumes: string[]; anonymous: string[] } {
  const containers = facts.containers.filter((c) => c.labels[LABELS.module] === moduleId);
  const anonymous = containers.flatMap((c) =>
    c.mounts
      .filter((m) => m.type === 'volume' && m.name && facts.volumes.some((v) => v.name === m.name && v.anonymous))
      .map((m) => m.name!),
  );
  return {
    containers: containers.map((c) => c.name),
    volumes: facts.volumes.filter((v) => v.labels[LABELS.module] === moduleId).map((v) => v.name),
    anonymous: [...new Set(anonymous)],
  };
}
