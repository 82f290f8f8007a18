/**
 * The five course modules as walkthrough labs: each step's buttons and the daemon state that shows it
 * done. Step ids match `contributes.walkthroughs` in package.json.
 */
import {
  markKey,
  MODULE_LABEL,
  stepKey,
  type LabAction,
  type LabFacts,
  type LabModule,
  type LabRunAction,
  type LabStep,
} from './labs';

// --- Predicate helpers ---------------------------------------------------------------------------------------

const volumeExists = (f: LabFacts, name: string) => f.volumes.some((v) => v.name === name);
const container = (f: LabFacts, name: string) => f.containers.find((c) => c.name === name);
const mountsVolume = (f: LabFacts, name: string, volume: string, readOnly?: boolean) => {
  const c = container(f, name);
  return Boolean(
    c?.running &&
    c.mounts.some(
      (m) => m.type === 'volume' && m.name === volume && (readOnly === undefined || m.readOnly === readOnly),
    ),
  );
};
const hasMount = (f: LabFacts, name: string, type: string, destination: string) =>
  Boolean(container(f, name)?.mounts.some((m) => m.type === type && m.destination === destination));
const anonymousAt = (f: LabFacts, name: string, destination: string) =>
  Boolean(
    container(f, name)?.mounts.some(
      (m) =>
        m.type === 'volume' && m.destination === destination && f.volumes.some((v) => v.name === m.name && v.anonymous),
    ),
  );
/** Never started: `docker create`, or a run that failed before its start. */
const neverStarted = (f: LabFacts, name: string) => container(f, name)?.state === 'created';
/** Started at least once (running now, or exited since). */
const hasRun = (f: LabFacts, name: string) => Boolean(container(f, name) && container(f, name)!.state !== 'created');
const tmpfsAt = (f: LabFacts, name: string, destination: string, sizeBytes?: number) =>
  Boolean(
    container(f, name)?.mounts.some(
      (m) =>
        m.type === 'tmpfs' &&
        m.destination === destination &&
        (sizeBytes === undefined || m.tmpfsSizeBytes === sizeBytes),
    ),
  );
/** The file is in the volume (seen through a container that mounts it, see `LabStep.files`). */
const fileIn = (f: LabFacts, volume: string, file: string) => f.files.has(`${volume}/${file}`);
/**
 * Nothing the module made is left: neither its labelled containers nor containers with its names (a learner
 * who typed the lines has no label), nor its volumes.
 */
const moduleEmpty = (f: LabFacts, module: string, volumes: string[]) => {
  const names = moduleContainerNames(module);
  return (
    !f.containers.some((c) => c.labels[MODULE_LABEL] === module || names.has(c.name)) &&
    !volumes.some((v) => volumeExists(f, v))
  );
};
/** A button's result was seen on the daemon (the lab command records it under the action's milestone key). */
const observed = (f: LabFacts, module: string, step: string, action: string) =>
  f.observed.has(markKey(module, step, action));
const reached = (f: LabFacts, module: string, step: string) => f.reached.has(stepKey(module, step));
const marked = (f: LabFacts, module: string, step: string, mark: string) => f.reached.has(markKey(module, step, mark));
const imageNamed = (images: string[], ref: string) => {
  const withTag = ref.includes(':') ? ref : `${ref}:latest`;
  return images.some((i) => i === ref || i === withTag);
};

const sleeper = (name: string, mounts: LabRunAction['mounts'], extra: Partial<LabRunAction> = {}): LabAction => ({
  kind: 'run',
  name,
  command: ['sleep', '3600'],
  mounts,
  ...extra,
});
const step = (
  id: string,
  actions: Record<string, LabAction>,
  done?: LabStep['done'],
  marks?: LabStep['marks'],
  files?: LabStep['files'],
): LabStep => ({ id, actions, ...(done ? { done } : {}), ...(marks ? { marks } : {}), ...(files ? { files } : {}) });

// --- 1. Docker first steps (course text 004) -----------------------------------------------------------------

const FIRST = 'firstSteps';
const firstSteps: LabModule = {
  id: FIRST,
  steps: [
    step('pullImage', { pull: { kind: 'pull' } }, (f) => imageNamed(f.images, f.labImage)),
    step(
      'runContainer',
      {
        ls: { kind: 'run', name: 'first-ls', command: ['ls', '-l'], mounts: [] },
        echo: { kind: 'run', name: 'first-echo', command: ['echo', 'hello from alpine'], mounts: [] },
      },
      (f) => container(f, 'first-ls')?.state === 'exited',
    ),
    step('interactiveShell', { shell: { kind: 'shell', name: 'first-shell' } }, (f) => hasRun(f, 'first-shell')),
    step(
      'isolation',
      {
        write: {
          kind: 'run',
          name: 'box-1',
          command: ['sh', '-c', 'echo "hello world" > hello.txt && sleep 3600'],
          mounts: [],
        },
        look: { kind: 'run', name: 'box-2', command: ['ls'], mounts: [] },
      },
      (f) => Boolean(container(f, 'box-1')?.running && hasRun(f, 'box-2')),
    ),
    step(
      'execExisting',
      {
        cat: {
          kind: 'exec',
          container: 'box-1',
          command: ['cat', 'hello.txt'],
          expect: /hello world/,
          success: 'output',
        },
      },
      (f) => observed(f, FIRST, 'execExisting', 'cat'),
    ),
    step(
      'cleanUp',
      {
        kill: { kind: 'stopContainers', names: ['box-1'] },
        reset: { kind: 'reset' },
      },
      (f) => reached(f, FIRST, 'runContainer') && moduleEmpty(f, FIRST, []),
    ),
    // Building needs the network (pip), and Swarm needs several engines: these two are explained, with
    // their files and the engine's own state, and complete when their button ran.
    step('buildImage', { files: { kind: 'labFiles', lab: 'streamlit' } }),
    step('swarm', { info: { kind: 'command', command: 'volumesLab.lab.swarmState' } }),
  ],
};

// --- 2. Volumes and bind mounts (course text 000) --------------------------------------------------------------

const BASICS = 'volumesBasics';
const pgEnv = { POSTGRES_DB: 'mydb', POSTGRES_USER: 'myuser', POSTGRES_PASSWORD: 'secret123' };
const volumesBasics: LabModule = {
  id: BASICS,
  steps: [
    step(
      'createVolume',
      {
        create: { kind: 'createVolume', volume: 'my-volume' },
        inspect: { kind: 'inspect', volume: 'my-volume' },
      },
      (f) => volumeExists(f, 'my-volume'),
    ),
    step(
      'useVolume',
      {
        run: sleeper('my-container', [{ type: 'volume', source: 'my-volume', target: '/app/data' }]),
        list: { kind: 'listVolumes' },
      },
      (f) => mountsVolume(f, 'my-container', 'my-volume'),
    ),
    step(
      'removeVolume',
      {
        tryRemove: { kind: 'removeVolume', volume: 'my-volume' },
        removeContainer: { kind: 'removeContainers', names: ['my-container'] },
        remove: { kind: 'removeVolume', volume: 'my-volume' },
        prune: { kind: 'prune' },
      },
      (f) => reached(f, BASICS, 'useVolume') && !volumeExists(f, 'my-volume'),
    ),
    step(
      'bindMount',
      {
        files: { kind: 'labFiles', lab: 'flask' },
        run: {
          kind: 'run',
          name: 'flask-app',
          command: ['sh', '-c', 'while true; do grep return /app/app.py; sleep 3; done'],
          mounts: [{ type: 'bind', source: '${lab:flask}', target: '/app' }],
        },
        logs: { kind: 'logs', container: 'flask-app' },
      },
      (f) => hasMount(f, 'flask-app', 'bind', '/app'),
    ),
    step(
      'flaskPostgres',
      {
        files: { kind: 'labFiles', lab: 'flask-postgres' },
        volume: { kind: 'createVolume', volume: 'pg-data' },
        db: {
          kind: 'run',
          name: 'db',
          image: '${postgres}',
          env: pgEnv,
          mounts: [{ type: 'volume', source: 'pg-data', target: '/var/lib/postgresql/data' }],
        },
        write: {
          kind: 'exec',
          container: 'db',
          command: [
            'psql',
            '-U',
            'myuser',
            '-d',
            'mydb',
            '-c',
            "CREATE TABLE IF NOT EXISTS notes (body text); INSERT INTO notes VALUES ('kept in pg-data');",
          ],
          expect: /INSERT 0 1/,
          success: 'output',
        },
        remove: { kind: 'removeContainers', names: ['db'] },
        again: {
          kind: 'run',
          name: 'db',
          image: '${postgres}',
          env: pgEnv,
          mounts: [{ type: 'volume', source: 'pg-data', target: '/var/lib/postgresql/data' }],
        },
        read: {
          kind: 'exec',
          container: 'db',
          command: ['psql', '-U', 'myuser', '-d', 'mydb', '-At', '-c', 'SELECT body FROM notes'],
          expect: /kept in pg-data/,
          success: 'output',
        },
      },
      (f) => observed(f, BASICS, 'flaskPostgres', 'read') && marked(f, BASICS, 'flaskPostgres', 'removed'),
      {
        // The table was written, then the database container removed while pg-data stayed: the read that
        // follows proves the data outlived the container.
        removed: (f) =>
          observed(f, BASICS, 'flaskPostgres', 'write') && volumeExists(f, 'pg-data') && !container(f, 'db'),
      },
    ),
    step(
      'tmpfs',
      {
        run: {
          kind: 'run',
          name: 'tmpfs-demo',
          command: ['sh', '-c', 'echo scratch > /tmp/scratch.txt && sleep 3600'],
          mounts: [{ type: 'tmpfs', target: '/tmp' }],
        },
      },
      (f) => tmpfsAt(f, 'tmpfs-demo', '/tmp'),
    ),
    step(
      'wrapUp',
      {
        unused: { kind: 'listVolumes', unusedOnly: true },
        reset: { kind: 'reset' },
        prune: { kind: 'prune' },
      },
      (f) => reached(f, BASICS, 'createVolume') && moduleEmpty(f, BASICS, ['my-volume', 'pg-data']),
    ),
  ],
};

// --- 3. Volumes and data management (course text 001) ----------------------------------------------------------

const DATA = 'dataManagement';
const pg2Env = { POSTGRES_PASSWORD: 'motdepasse' };
const pgData = [{ type: 'volume' as const, source: 'postgres-data', target: '/var/lib/postgresql/data' }];
const dataManagement: LabModule = {
  id: DATA,
  steps: [
    step(
      'writableLayer',
      {
        write: {
          kind: 'run',
          name: 'test-data',
          command: ['sh', '-c', 'echo "only in this container" > /notes.txt && sleep 3600'],
          mounts: [],
        },
        remove: { kind: 'removeContainers', names: ['test-data'] },
      },
      (f) => marked(f, DATA, 'writableLayer', 'written') && !container(f, 'test-data'),
      { written: (f) => Boolean(container(f, 'test-data')) },
    ),
    step(
      'threeTypes',
      {
        create: { kind: 'createVolume', volume: 'mon-volume' },
        write: {
          kind: 'run',
          name: 'hello-writer',
          command: ['sh', '-c', 'echo "Hello" > /data/test.txt'],
          mounts: [{ type: 'volume', source: 'mon-volume', target: '/data' }],
        },
        tmpfs: sleeper('tmpfs-only', [{ type: 'tmpfs', target: '/tmp' }]),
      },
      (f) => fileIn(f, 'mon-volume', 'test.txt'),
      undefined,
      [{ volume: 'mon-volume', path: 'test.txt' }],
    ),
    step(
      'namedVolumes',
      {
        data: { kind: 'createVolume', volume: 'data-volume' },
        log: { kind: 'createVolume', volume: 'log-volume', driver: 'local' },
        inspect: { kind: 'inspect', volume: 'data-volume' },
        readonly: sleeper('data-reader', [
          { type: 'volume', source: 'data-volume', target: '/app/data', readOnly: true },
        ]),
      },
      (f) => volumeExists(f, 'log-volume') && mountsVolume(f, 'data-reader', 'data-volume', true),
    ),
    step(
      'postgresPersistence',
      {
        run: { kind: 'run', name: 'ma-postgres', image: '${postgres}', env: pg2Env, mounts: pgData },
        createDb: {
          kind: 'exec',
          container: 'ma-postgres',
          command: ['psql', '-U', 'postgres', '-c', 'CREATE DATABASE test_db;'],
          expect: /CREATE DATABASE|already exists/,
          success: 'output',
        },
        remove: { kind: 'removeContainers', names: ['ma-postgres'] },
        again: { kind: 'run', name: 'ma-postgres-2', image: '${postgres}', env: pg2Env, mounts: pgData },
        list: {
          kind: 'exec',
          container: 'ma-postgres-2',
          command: ['psql', '-U', 'postgres', '-At', '-c', '\\l'],
          expect: /test_db/,
          success: 'output',
        },
      },
      (f) => observed(f, DATA, 'postgresPersistence', 'list') && !container(f, 'ma-postgres'),
    ),
    step(
      'devBindMounts',
      {
        files: { kind: 'labFiles', lab: 'nginx' },
        site: {
          kind: 'run',
          name: 'dev-server',
          command: ['sh', '-c', 'while true; do grep h1 /usr/share/nginx/html/index.html; sleep 5; done'],
          mounts: [{ type: 'bind', source: '${lab:nginx}/site', target: '/usr/share/nginx/html' }],
        },
        nodeFiles: { kind: 'labFiles', lab: 'node' },
        node: sleeper('node-dev', [
          { type: 'bind', source: '${lab:node}', target: '/app' },
          { type: 'anonymous', target: '/app/node_modules' },
        ]),
      },
      (f) =>
        hasMount(f, 'dev-server', 'bind', '/usr/share/nginx/html') && anonymousAt(f, 'node-dev', '/app/node_modules'),
    ),
    step(
      'sharing',
      {
        volume: { kind: 'createVolume', volume: 'shared-data' },
        web: sleeper('web-app', [{ type: 'volume', source: 'shared-data', target: '/app/uploads' }]),
        processor: {
          kind: 'run',
          name: 'file-processor',
          command: ['sh', '-c', 'while true; do ls -la /data; sleep 30; done'],
          mounts: [{ type: 'volume', source: 'shared-data', target: '/data' }],
        },
        dataContainer: {
          kind: 'run',
          name: 'data-container',
          command: ['sh'],
          mounts: [{ type: 'anonymous', target: '/data' }],
          start: false,
        },
        volumesFrom: {
          kind: 'run',
          name: 'data-reader-2',
          command: ['ls', '/data'],
          mounts: [],
          volumesFrom: ['data-container'],
        },
      },
      (f) =>
        mountsVolume(f, 'web-app', 'shared-data') &&
        mountsVolume(f, 'file-processor', 'shared-data') &&
        neverStarted(f, 'data-container') &&
        hasRun(f, 'data-reader-2') &&
        Boolean(container(f, 'data-reader-2')?.volumesFrom.includes('data-container')),
    ),
    step('backup', { backup: { kind: 'backup', volume: 'mon-volume' } }, (f) => f.backedUp.has('mon-volume')),
    step(
      'restore',
      {
        restore: { kind: 'restore', volume: 'mon-volume', target: 'mon-volume-restaure' },
        check: {
          kind: 'run',
          name: 'restore-check',
          command: ['ls', '-la', '/data'],
          mounts: [{ type: 'volume', source: 'mon-volume-restaure', target: '/data' }],
        },
        dump: { kind: 'dump', container: 'ma-postgres-2' },
      },
      (f) => fileIn(f, 'mon-volume-restaure', 'test.txt'),
      undefined,
      [{ volume: 'mon-volume-restaure', path: 'test.txt' }],
    ),
    step('automate', {
      script: { kind: 'exportScript', volumes: ['mon-volume'] },
      schedule: { kind: 'command', command: 'volumesLab.backup.toggleSchedule', args: ['mon-volume'] },
    }),
    step(
      'performance',
      {
        nfs: { kind: 'command', command: 'volumesLab.volumes.create' },
        redis: sleeper('redis-cache', [{ type: 'tmpfs', target: '/tmp', sizeBytes: 100 * 1024 * 1024 }]),
        df: { kind: 'diskUsage' },
      },
      (f) => tmpfsAt(f, 'redis-cache', '/tmp', 100 * 1024 * 1024),
    ),
    step(
      'lamp',
      {
        files: { kind: 'labFiles', lab: 'lamp' },
        mysql: { kind: 'createVolume', volume: 'mysql-data' },
        web: { kind: 'createVolume', volume: 'web-content' },
        uploads: { kind: 'createVolume', volume: 'user-uploads' },
      },
      (f) => ['mysql-data', 'web-content', 'user-uploads'].every((v) => volumeExists(f, v)),
    ),
    step(
      'wrapUp',
      { reset: { kind: 'reset' }, prune: { kind: 'prune' } },
      (f) =>
        reached(f, DATA, 'threeTypes') &&
        moduleEmpty(f, DATA, [
          'mon-volume',
          'data-volume',
          'log-volume',
          'postgres-data',
          'shared-data',
          'mon-volume-restaure',
          'mysql-data',
          'web-content',
          'user-uploads',
        ]),
    ),
  ],
};

// --- 4. Volumes recap: local, shared, network (course text 002) -------------------------------------------------

const RECAP = 'volumesRecap';
const volumesRecap: LabModule = {
  id: RECAP,
  steps: [
    step(
      'localVolume',
      {
        create: { kind: 'createVolume', volume: 'my-local-volume' },
        run: sleeper('local-user', [{ type: 'volume', source: 'my-local-volume', target: '/data' }]),
      },
      (f) => mountsVolume(f, 'local-user', 'my-local-volume'),
    ),
    step(
      'sharedVolume',
      {
        one: {
          kind: 'run',
          name: 'shared-1',
          command: ['sh', '-c', 'date > /app/data/from-1.txt && sleep 3600'],
          mounts: [{ type: 'volume', source: 'shared-volume', target: '/app/data' }],
        },
        two: sleeper('shared-2', [{ type: 'volume', source: 'shared-volume', target: '/app/data' }]),
        see: {
          kind: 'exec',
          container: 'shared-2',
          command: ['cat', '/app/data/from-1.txt'],
          expect: /\d{2}:\d{2}/,
          success: 'output',
        },
      },
      (f) => mountsVolume(f, 'shared-1', 'shared-volume') && mountsVolume(f, 'shared-2', 'shared-volume'),
    ),
    step('networkVolume', { nfs: { kind: 'command', command: 'volumesLab.volumes.create' } }, (f) =>
      f.volumes.some((v) => v.options.type === 'nfs' || v.options.type === 'cifs'),
    ),
    step(
      'commands',
      {
        create: { kind: 'createVolume', volume: 'my-volume' },
        inspect: { kind: 'inspect', volume: 'my-volume' },
        run: sleeper('app', [{ type: 'volume', source: 'my-volume', target: '/app/data' }]),
        removeContainer: { kind: 'removeContainers', names: ['app'] },
        remove: { kind: 'removeVolume', volume: 'my-volume' },
        prune: { kind: 'prune' },
      },
      (f) => marked(f, RECAP, 'commands', 'used') && !volumeExists(f, 'my-volume'),
      { used: (f) => mountsVolume(f, 'app', 'my-volume') },
    ),
    step(
      'wrapUp',
      { reset: { kind: 'reset' } },
      (f) =>
        reached(f, RECAP, 'localVolume') && moduleEmpty(f, RECAP, ['my-local-volume', 'shared-volume', 'my-volume']),
    ),
  ],
};

// --- 5. Sidecar lab (course text 003) -------------------------------------------------------------------------

const SIDECAR = 'sidecarLab';
const WRITER_SCRIPT = 'while true; do echo "$(date) : User logged in" >> /var/log/app/access.log; sleep 2; done';
const sidecarLab: LabModule = {
  id: SIDECAR,
  steps: [
    step(
      'createVolume',
      { create: { kind: 'createVolume', volume: 'shared-logs' }, files: { kind: 'labFiles', lab: 'sidecar' } },
      (f) => volumeExists(f, 'shared-logs'),
    ),
    step(
      'startWriter',
      {
        run: {
          kind: 'run',
          name: 'app-server',
          command: ['sh', '-c', WRITER_SCRIPT],
          mounts: [{ type: 'volume', source: 'shared-logs', target: '/var/log/app' }],
        },
      },
      (f) => mountsVolume(f, 'app-server', 'shared-logs', false),
    ),
    step(
      'startReader',
      {
        run: {
          kind: 'run',
          name: 'log-shipper',
          command: ['tail', '-f', '/logs/access.log'],
          mounts: [{ type: 'volume', source: 'shared-logs', target: '/logs', readOnly: true }],
        },
      },
      (f) => mountsVolume(f, 'log-shipper', 'shared-logs', true),
    ),
    // Observed: the reader's log stream delivered lines the writer wrote.
    step('watchLogs', { logs: { kind: 'logs', container: 'log-shipper' } }, (f) =>
      observed(f, SIDECAR, 'watchLogs', 'logs'),
    ),
    step(
      'proveReadOnly',
      {
        exec: {
          kind: 'exec',
          container: 'log-shipper',
          command: ['rm', '/logs/access.log'],
          expect: /read-only file system/i,
          success: 'refused',
        },
      },
      (f) => observed(f, SIDECAR, 'proveReadOnly', 'exec'),
    ),
    // The writer and reader are gone, the volume (and the logs in it) is still there.
    step(
      'removeContainers',
      {
        remove: { kind: 'removeContainers', names: ['app-server', 'log-shipper'] },
        inspect: { kind: 'inspect', volume: 'shared-logs' },
      },
      (f) =>
        reached(f, SIDECAR, 'startWriter') &&
        volumeExists(f, 'shared-logs') &&
        !container(f, 'app-server') &&
        !container(f, 'log-shipper'),
    ),
    step(
      'namedVsAnonymous',
      {
        anonymous: sleeper('db-anonymous', [{ type: 'anonymous', target: '/var/lib/postgresql/data' }]),
        named: sleeper('db-named', [{ type: 'volume', source: 'postgres-prod', target: '/var/lib/postgresql/data' }]),
        list: { kind: 'listVolumes' },
      },
      (f) => volumeExists(f, 'postgres-prod') && anonymousAt(f, 'db-anonymous', '/var/lib/postgresql/data'),
    ),
    // Everything the module made is gone: containers, shared-logs, postgres-prod.
    step(
      'cleanUp',
      { dangling: { kind: 'listVolumes', unusedOnly: true }, reset: { kind: 'reset' }, prune: { kind: 'prune' } },
      (f) => reached(f, SIDECAR, 'namedVsAnonymous') && moduleEmpty(f, SIDECAR, ['shared-logs', 'postgres-prod']),
    ),
  ],
};

export const LAB_MODULES: LabModule[] = [firstSteps, volumesBasics, dataManagement, volumesRecap, sidecarLab];

export function findModule(id: string): LabModule | undefined {
  return LAB_MODULES.find((m) => m.id === id);
}

/** The containers a module's buttons make, by name. */
export function moduleContainerNames(moduleId: string): Set<string> {
  const actions = findModule(moduleId)?.steps.flatMap((s) => Object.values(s.actions)) ?? [];
  return new Set(actions.flatMap((a) => (a.kind === 'run' || a.kind === 'shell' ? [a.name] : [])));
}

/** Every container name of every module: the only containers whose details the predicates need. */
export function labContainerNames(): Set<string> {
  return new Set(LAB_MODULES.flatMap((m) => [...moduleContainerNames(m.id)]));
}

/** Every file a step looks for in a volume. */
export function labFileProbes(): { volume: string; path: string }[] {
  return LAB_MODULES.flatMap((m) => m.steps.flatMap((s) => s.files ?? []));
}

/** `sidecarLab.startWriter.run` → the module, step and action. */
export function findAction(ref: string): { module: LabModule; step: LabStep; action: LabAction } | undefined {
  const [moduleId, stepId, actionId] = ref.split('.');
  const module = moduleId ? findModule(moduleId) : undefined;
  const found = module?.steps.find((s) => s.id === stepId);
  const action = actionId ? found?.actions[actionId] : undefined;
  return module && found && action ? { module, step: found, action } : undefined;
}

/**
 * Evaluates the steps and remembers in `facts.reached` every key that is true, until nothing new is reached
 * (a step that a reached one unlocks may be true now). Returns the values and whether anything was new.
 */
export function advanceSteps(facts: LabFacts): { values: Map<string, boolean>; newlyReached: boolean } {
  let newlyReached = false;
  for (;;) {
    const values = evaluateSteps(facts);
    const fresh = [...values].filter(([key, value]) => value && !facts.reached.has(key)).map(([key]) => key);
    if (!fresh.length) return { values, newlyReached };
    for (const key of fresh) facts.reached.add(key);
    newlyReached = true;
  }
}

/** Every step key (and milestone key) with its value for these facts; steps without a predicate are left out. */
export function evaluateSteps(facts: LabFacts): Map<string, boolean> {
  const values = new Map<string, boolean>();
  for (const module of LAB_MODULES) {
    for (const s of module.steps) {
      for (const [mark, isReached] of Object.entries(s.marks ?? {}))
        values.set(markKey(module.id, s.id, mark), isReached(facts));
      if (s.done) values.set(stepKey(module.id, s.id), s.done(facts));
    }
  }
  return values;
}
