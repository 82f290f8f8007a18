// The lab buttons' daemon work on a real engine: what is on the daemon after each flow, the lines it shows, and a
// container an earlier step should have made refused as a typed notFound.
import * as assert from 'node:assert/strict';
import { LABELS } from '../../src/core/labels';
import { DockerError } from '../../src/docker/errors';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import {
  createShellContainer,
  execWhenServerAnswers,
  labContainer,
  removeLabContainers,
  resetModuleObjects,
  stopOrStartContainers,
} from '../../src/flows/labActions';
import { recordingFlowDeps } from '../support/flowDeps';
import {
  cleanupTestObjects,
  TEST_IMAGE,
  TEST_LABEL,
  TEST_MODULE,
  testDocker,
  volumeExists,
  uniqueName,
} from '../support/docker';

const client = new DockerodeClient({
  endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
  timeoutMs: 30_000,
});
const { deps, cli: lines } = recordingFlowDeps(client);
const docker = testDocker();

/** The state of a container by name, or undefined when there is none. */
async function stateOf(name: string): Promise<string | undefined> {
  const [found] = await docker.listContainers({ all: true, filters: { name: [`^/${name}$`] } });
  return found?.State;
}

/**
 * A test container, labelled for the clean-up, started when asked, with `volume` at /data when given: a shell that
 * ends on SIGTERM, where `sleep` as PID 1 would hold `docker stop` for its 10 s.
 */
async function container(start: boolean, volume?: string): Promise<string> {
  const name = uniqueName('vlab-lab');
  const made = await docker.createContainer({
    name,
    Image: TEST_IMAGE,
    Cmd: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'],
    Labels: { [TEST_LABEL]: '1' },
    HostConfig: {
      NetworkMode: 'none',
      ...(volume ? { Mounts: [{ Type: 'volume' as const, Source: volume, Target: '/data' }] } : {}),
    },
  });
  if (start) await made.start();
  return name;
}

async function rejectsNotFound(work: Promise<unknown>, text: RegExp, operation: string): Promise<void> {
  await assert.rejects(work, (err: unknown) => {
    assert.ok(err instanceof DockerError, `a DockerError, not ${String(err)}`);
    assert.equal(err.kind, 'notFound');
    assert.equal(err.operation, operation);
    assert.match(err.message, text);
    return true;
  });
}

describe('lab action flows on a real engine', function () {
  this.timeout(120_000);
  beforeEach(() => {
    lines.length = 0;
  });
  after(() => cleanupTestObjects());

  it('stops then starts the named containers that exist, skipping a missing name, with the docker lines', async () => {
    const a = await container(true);
    const b = await container(true);
    const missing = uniqueName('vlab-missing');
    const stopped = await stopOrStartContainers(deps, [a, missing, b], false);
    assert.deepEqual([...stopped.containers].sort(), [a, b].sort());
    assert.equal(await stateOf(a), 'exited');
    assert.equal(await stateOf(b), 'exited');
    const started = await stopOrStartContainers(deps, [a], true);
    assert.deepEqual(started, { containers: [a] });
    assert.equal(await stateOf(a), 'running');
    assert.equal(await stateOf(b), 'exited');
    assert.deepEqual(lines, [`docker stop ${stopped.containers.join(' ')}`, `docker start ${a}`]);
  });

  it('removes containers only after a yes, keeping their volumes; says when none is there', async () => {
    const volume = uniqueName('vlab-kept');
    await client.createVolume({ name: volume, labels: { [TEST_LABEL]: '1' } });
    const running = await container(true, volume);
    const asked: string[][] = [];
    const no = await removeLabContainers(deps, [running], (containers, kept) => {
      asked.push([...containers, ...kept]);
      return Promise.resolve(false);
    });
    assert.deepEqual(no, { status: 'declined', containers: [running] });
    assert.deepEqual(asked, [[running, volume]]);
    assert.equal(await stateOf(running), 'running');
    assert.deepEqual(lines, []);
    const yes = await removeLabContainers(deps, [running], () => Promise.resolve(true));
    assert.deepEqual(yes, { status: 'removed', containers: [running] });
    assert.deepEqual(lines, [`docker rm -f ${running}`]);
    assert.equal(await stateOf(running), undefined);
    assert.equal(await volumeExists(volume), true);
    assert.deepEqual(await removeLabContainers(deps, [running]), { status: 'absent' });
  });

  it('resets a module: its containers with their anonymous volumes, then its volumes; one already gone is no error', async () => {
    const named = uniqueName('vlab-module');
    await client.createVolume({ name: named, labels: { [TEST_LABEL]: '1', [LABELS.module]: TEST_MODULE } });
    const holder = await container(true, named);
    const withAnonymous = uniqueName('vlab-anon');
    await docker.createContainer({
      name: withAnonymous,
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: { [TEST_LABEL]: '1' },
      Volumes: { '/scratch': {} },
      HostConfig: { NetworkMode: 'none' },
    });
    const info = await docker.getContainer(withAnonymous).inspect();
    const anonymous = info.Mounts.find((m) => m.Destination === '/scratch')!.Name!;
    const gone = uniqueName('vlab-gone');
    const result = await resetModuleObjects(deps, {
      containers: [holder, withAnonymous, uniqueName('vlab-never-made')],
      volumes: [named, gone],
      anonymous: [anonymous],
    });
    assert.deepEqual([...result.containers].sort(), [holder, withAnonymous].sort());
    // The anonymous volume went with its container (`rm -v`), so only the named one is removed by name.
    assert.deepEqual(result.volumes, [named]);
    assert.deepEqual(lines, [`docker rm -f -v ${result.containers.join(' ')}`, `docker volume rm ${named} ${gone}`]);
    assert.equal(await stateOf(holder), undefined);
    assert.equal(await stateOf(withAnonymous), undefined);
    assert.equal(await volumeExists(named), false);
    assert.equal(await volumeExists(anonymous), false);
  });

  it('a reset refuses to take a volume that a container outside the module still uses', async () => {
    const shared = uniqueName('vlab-shared');
    await client.createVolume({ name: shared, labels: { [TEST_LABEL]: '1' } });
    await container(false, shared);
    await assert.rejects(
      resetModuleObjects(deps, { containers: [], volumes: [shared], anonymous: [] }),
      (err: unknown) => err instanceof DockerError && err.kind === 'conflict',
    );
    assert.equal(await volumeExists(shared), true);
  });

  it('runs exec again while the server says it is starting, until it answers', async () => {
    const name = await container(true);
    // First call: "Connection refused" as a database that is starting says; second call: the answer.
    const command = [
      'sh',
      '-c',
      'if [ -e /tmp/up ]; then echo ready; else touch /tmp/up; echo "Connection refused" >&2; exit 2; fi',
    ];
    const result = await execWhenServerAnswers(deps, name, command, { pauseMs: 100, maxWaitMs: 5_000 });
    assert.equal(result.exitCode, 0);
    assert.equal(result.output.trim(), 'ready');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, new RegExp(`^docker exec ${name} sh -c `));
  });

  it('gives up on exec after the wait, and returns any other failure at once', async () => {
    const name = await container(true);
    const starting = await execWhenServerAnswers(deps, name, ['sh', '-c', 'echo "starting up" >&2; exit 1'], {
      pauseMs: 50,
      maxWaitMs: 200,
    });
    assert.deepEqual([starting.exitCode, starting.output.trim()], [1, 'starting up']);
    const other = await execWhenServerAnswers(deps, name, ['sh', '-c', 'echo no such table; exit 3'], {
      pauseMs: 60_000,
      maxWaitMs: 60_000,
    });
    assert.deepEqual([other.exitCode, other.output.trim()], [3, 'no such table']);
  });

  it('refuses exec in a stopped or missing container, and logs in a missing one, as typed notFound errors', async () => {
    const stopped = await container(false);
    await rejectsNotFound(
      execWhenServerAnswers(deps, stopped, ['true']),
      new RegExp(`^${stopped} is not running: run the previous steps first\\.$`),
      'exec',
    );
    const missing = uniqueName('vlab-missing');
    await rejectsNotFound(
      labContainer(deps, missing, { running: false, operation: 'logs' }),
      new RegExp(`^No container named ${missing}: run the previous step first\\.$`),
      'logs',
    );
    assert.equal((await labContainer(deps, stopped, { running: false, operation: 'logs' })).name, stopped);
    assert.deepEqual(lines, []);
  });

  it("creates a shell's tty container, unstarted and labelled with its module, replacing an earlier one", async () => {
    const name = uniqueName('vlab-shell');
    const first = await createShellContainer(deps, TEST_MODULE, { name, image: TEST_IMAGE, networkMode: 'none' });
    assert.equal(first.replaced, false);
    assert.deepEqual(lines, [first.cli]);
    assert.equal(first.cli, `docker container run -it --network none --name ${name} ${TEST_IMAGE} /bin/sh`);
    const made = await docker.getContainer(first.id).inspect();
    assert.equal(made.State.Status, 'created');
    assert.equal(made.Config.Tty, true);
    assert.deepEqual(made.Config.Cmd, ['/bin/sh']);
    assert.equal(made.Config.Labels[LABELS.module], TEST_MODULE);
    const second = await createShellContainer(deps, TEST_MODULE, { name, image: TEST_IMAGE, networkMode: 'none' });
    assert.equal(second.replaced, true);
    assert.deepEqual(lines.slice(1), [`docker rm -f ${name}`, second.cli]);
    assert.notEqual(second.id, first.id);
    const left = await docker.listContainers({ all: true, filters: { name: [`^/${name}$`] } });
    assert.deepEqual(
      left.map((c) => c.Id),
      [second.id],
    );
  });
});
