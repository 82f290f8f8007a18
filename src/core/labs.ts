/**
 * The course's labs as data: for each walkthrough step, what its button does on the daemon and how the
 * daemon's state shows it done. Pure: the VS Code side runs the actions through the extension's commands
 * and turns the predicates into `onContext:` keys.
 */

export const MODULE_LABEL = 'volumes-lab.module';

/** What the predicates look at: the daemon's volumes and containers, backups on disk, results of checks. */
export interface LabFacts {
  volumes: { name: string; anonymous: boolean; labels: Record<string, string> }[];
  containers: {
    name: string;
    running: boolean;
    labels: Record<string, string>;
    mounts: { type: string; name?: string; source?: string; destination: string; readOnly: boolean }[];
  }[];
  /** Volumes that have a backup file in the backup folder. */
  backedUp: Set<string>;
  /** Results the extension observed on the daemon for a step (e.g. a refused write), by step key. */
  observed: Set<string>;
  /** Step keys that were true at some point (kept across sessions): later steps build on them. */
  reached: Set<string>;
}

/** What a step's button does; `image` is the lab image setting unless a step needs a specific one. */
export type LabAction =
  | { kind: 'createVolume'; volume: string }
  | { kind: 'run'; name: string; command: string[]; mounts: LabMount[]; image?: string; env?: Record<string, string>; ports?: { host: number; container: number }[] }
  | { kind: 'logs'; container: string }
  | { kind: 'exec'; container: string; command: string[]; expect: RegExp }
  | { kind: 'removeContainers'; names: string[] }
  | { kind: 'removeVolume'; volume: string }
  | { kind: 'backup'; volume: string }
  | { kind: 'restore'; volume: string; target: string }
  | { kind: 'inspect'; volume: string }
  | { kind: 'listVolumes'; unusedOnly?: boolean }
  | { kind: 'prune' }
  | { kind: 'reset' }
  | { kind: 'diskUsage' }
  | { kind: 'labFiles'; lab: LabFilesId }
  | { kind: 'command'; command: string };

export type LabMount =
  | { type: 'volume'; source: string; target: string; readOnly?: boolean }
  | { type: 'anonymous'; target: string }
  | { type: 'bind'; source: string; target: string; readOnly?: boolean }
  | { type: 'tmpfs'; target: string; sizeBytes?: number };

export type LabFilesId = 'sidecar' | 'flask' | 'flask-postgres' | 'nginx' | 'node' | 'lamp';

export interface LabStep {
  id: string;
  /** Buttons, by action id (the command link passes `<module>.<step>.<action>`). */
  actions: Record<string, LabAction>;
  /** When the daemon's state shows the step done; absent: the step completes on its command. */
  done?: (facts: LabFacts) => boolean;
}

export interface LabModule {
  /** The walkthrough id in package.json. */
  id: string;
  steps: LabStep[];
}

// --- Helpers for predicates ---------------------------------------------------------------------------------

const volumeExists = (f: LabFacts, name: string) => f.volumes.some(v => v.name === name);
const container = (f: LabFacts, name: string) => f.containers.find(c => c.name === name);
const mountsVolume = (f: LabFacts, name: string, volume: string, readOnly?: boolean) => {
  const c = container(f, name);
  return Boolean(c?.running && c.mounts.some(m => m.type === 'volume' && m.name === volume && (readOnly === undefined || m.readOnly === readOnly)));
};

export function stepKey(module: string, step: string): string {
  return `volumesLab.step.${module}.${step}`;
}

// --- The sidecar lab (course module 5) ----------------------------------------------------------------------

const SIDECAR = 'sidecarLab';
const WRITER_SCRIPT = 'while true; do echo "$(date) : User logged in" >> /var/log/app/access.log; sleep 2; done';

export const LAB_MODULES: LabModule[] = [
  {
    id: SIDECAR,
    steps: [
      {
        id: 'createVolume',
        actions: { create: { kind: 'createVolume', volume: 'shared-logs' }, files: { kind: 'labFiles', lab: 'sidecar' } },
        done: f => volumeExists(f, 'shared-logs'),
      },
      {
        id: 'startWriter',
        actions: { run: { kind: 'run', name: 'app-server', command: ['sh', '-c', WRITER_SCRIPT], mounts: [{ type: 'volume', source: 'shared-logs', target: '/var/log/app' }] } },
        done: f => mountsVolume(f, 'app-server', 'shared-logs', false),
      },
      {
        id: 'startReader',
        actions: { run: { kind: 'run', name: 'log-shipper', command: ['tail', '-f', '/logs/access.log'], mounts: [{ type: 'volume', source: 'shared-logs', target: '/logs', readOnly: true }] } },
        done: f => mountsVolume(f, 'log-shipper', 'shared-logs', true),
      },
      {
        id: 'watchLogs',
        actions: { logs: { kind: 'logs', container: 'log-shipper' } },
        // Observed: the reader's log stream delivered lines the writer wrote.
        done: f => f.observed.has(stepKey(SIDECAR, 'watchLogs')),
      },
      {
        id: 'proveReadOnly',
        actions: { exec: { kind: 'exec', container: 'log-shipper', command: ['rm', '/logs/access.log'], expect: /read-only file system/i } },
        done: f => f.observed.has(stepKey(SIDECAR, 'proveReadOnly')),
      },
      {
        id: 'removeContainers',
        actions: { remove: { kind: 'removeContainers', names: ['app-server', 'log-shipper'] }, inspect: { kind: 'inspect', volume: 'shared-logs' } },
        // The writer and reader are gone, the volume (and the logs in it) is still there.
        done: f => f.reached.has(stepKey(SIDECAR, 'startWriter')) && volumeExists(f, 'shared-logs') && !container(f, 'app-server') && !container(f, 'log-shipper'),
      },
      {
        id: 'namedVsAnonymous',
        actions: {
          anonymous: { kind: 'run', name: 'db-anonymous', command: ['sleep', '3600'], mounts: [{ type: 'anonymous', target: '/var/lib/postgresql/data' }] },
          named: { kind: 'run', name: 'db-named', command: ['sleep', '3600'], mounts: [{ type: 'volume', source: 'postgres-prod', target: '/var/lib/postgresql/data' }] },
          list: { kind: 'listVolumes' },
        },
        done: f => volumeExists(f, 'postgres-prod') && Boolean(container(f, 'db-anonymous')?.mounts.some(m => m.type === 'volume' && /^[0-9a-f]{64}$/.test(m.name ?? ''))),
      },
      {
        id: 'cleanUp',
        actions: { dangling: { kind: 'listVolumes', unusedOnly: true }, reset: { kind: 'reset' }, prune: { kind: 'prune' } },
        // Everything the module made is gone: containers, shared-logs, postgres-prod.
        done: f => f.reached.has(stepKey(SIDECAR, 'namedVsAnonymous'))
          && !f.containers.some(c => c.labels[MODULE_LABEL] === SIDECAR) && !volumeExists(f, 'shared-logs') && !volumeExists(f, 'postgres-prod'),
      },
    ],
  },
];

export function findModule(id: string): LabModule | undefined {
  return LAB_MODULES.find(m => m.id === id);
}

/** `sidecarLab.startWriter.run` → the module, step and action. */
export function findAction(ref: string): { module: LabModule; step: LabStep; action: LabAction } | undefined {
  const [moduleId, stepId, actionId] = ref.split('.');
  const module = moduleId ? findModule(moduleId) : undefined;
  const step = module?.steps.find(s => s.id === stepId);
  const action = actionId ? step?.actions[actionId] : undefined;
  return module && step && action ? { module, step, action } : undefined;
}

/** Every step key with its value for these facts (steps without a predicate are left out). */
export function evaluateSteps(facts: LabFacts): Map<string, boolean> {
  const values = new Map<string, boolean>();
  for (const module of LAB_MODULES) {
    for (const step of module.steps) if (step.done) values.set(stepKey(module.id, step.id), step.done(facts));
  }
  return values;
}

/** What "Reset Module" removes: the module's labelled containers (with their anonymous volumes) and volumes. */
export function moduleObjects(moduleId: string, facts: Pick<LabFacts, 'volumes' | 'containers'>): { containers: string[]; volumes: string[]; anonymous: string[] } {
  const containers = facts.containers.filter(c => c.labels[MODULE_LABEL] === moduleId);
  const anonymous = containers.flatMap(c => c.mounts.filter(m => m.type === 'volume' && m.name && facts.volumes.some(v => v.name === m.name && v.anonymous)).map(m => m.name!));
  return {
    containers: containers.map(c => c.name),
    volumes: facts.volumes.filter(v => v.labels[MODULE_LABEL] === moduleId).map(v => v.name),
    anonymous: [...new Set(anonymous)],
  };
}
