/** Course modules 4 and 5 as walkthrough labs: the volumes recap and the sidecar lab. */
import { type LabModule } from './labs';
import {
  volumeExists,
  container,
  mountsVolume,
  anonymousAt,
  moduleEmpty,
  observed,
  reached,
  marked,
  sleeper,
  step,
} from './labPredicates';

// --- 4. Volumes recap: local, shared, network (course text 002) -------------------------------------------------

const RECAP = 'volumesRecap';
export const volumesRecap: LabModule = {
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
        reached(f, RECAP, 'localVolume') &&
        moduleEmpty(f, volumesRecap, ['my-local-volume', 'shared-volume', 'my-volume']),
    ),
  ],
};

// --- 5. Sidecar lab (course text 003) -------------------------------------------------------------------------

const SIDECAR = 'sidecarLab';
const WRITER_SCRIPT = 'while true; do echo "$(date) : User logged in" >> /var/log/app/access.log; sleep 2; done';
export const sidecarLab: LabModule = {
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
      (f) => reached(f, SIDECAR, 'namedVsAnonymous') && moduleEmpty(f, sidecarLab, ['shared-logs', 'postgres-prod']),
    ),
  ],
};
