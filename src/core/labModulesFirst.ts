/** Course modules 1 and 2 as walkthrough labs: Docker first steps, volumes and bind mounts. */
import { type LabModule, type LabRunAction } from './labs';
import {
  volumeExists,
  container,
  mountsVolume,
  hasMount,
  hasRun,
  tmpfsAt,
  moduleEmpty,
  observed,
  reached,
  marked,
  imageNamed,
  sleeper,
  step,
} from './labPredicates';

// --- 1. Docker first steps (course text 004) -----------------------------------------------------------------

const FIRST = 'firstSteps';
export const firstSteps: LabModule = {
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
      (f) => reached(f, FIRST, 'runContainer') && moduleEmpty(f, firstSteps, []),
    ),
    // Building needs the network (pip), and Swarm needs several engines: these two are explained, with
    // their files and the engine's own state, and complete when their button ran.
    step('buildImage', { files: { kind: 'labFiles', lab: 'streamlit' } }),
    step('swarm', { info: { kind: 'command', command: 'volumesLab.lab.swarmState' } }),
  ],
};

// --- 2. Volumes and bind mounts (course text 000) --------------------------------------------------------------

const BASICS = 'volumesBasics';
// Run, removed, then run again the same way: the data it finds the second time outlived the first container.
const pgDatabase: LabRunAction = {
  kind: 'run',
  name: 'db',
  image: '${postgres}',
  env: { POSTGRES_DB: 'mydb', POSTGRES_USER: 'myuser', POSTGRES_PASSWORD: 'secret123' },
  mounts: [{ type: 'volume', source: 'pg-data', target: '/var/lib/postgresql/data' }],
};
export const volumesBasics: LabModule = {
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
        db: pgDatabase,
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
        again: pgDatabase,
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
      (f) => reached(f, BASICS, 'createVolume') && moduleEmpty(f, volumesBasics, ['my-volume', 'pg-data']),
    ),
  ],
};
