/** Course module 3 as a walkthrough lab: volumes and data management. */
import { type LabModule } from './labs';
import {
  volumeExists,
  container,
  mountsVolume,
  hasMount,
  anonymousAt,
  neverStarted,
  hasRun,
  tmpfsAt,
  fileIn,
  moduleEmpty,
  observed,
  reached,
  marked,
  sleeper,
  step,
} from './labPredicates';

// --- 3. Volumes and data management (course text 001) ----------------------------------------------------------

const DATA = 'dataManagement';
const pg2Env = { POSTGRES_PASSWORD: 'motdepasse' };
const pgData = [{ type: 'volume' as const, source: 'postgres-data', target: '/var/lib/postgresql/data' }];
export const dataManagement: LabModule = {
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
        moduleEmpty(f, dataManagement, [
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
