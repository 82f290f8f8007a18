import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nfsDriverOptions } from '../../src/core/networkVolumes';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { DockerError } from '../../src/docker/errors';
import { cliTargetFor } from '../../src/core/cli';
import { dockerErrorText } from '../../src/core/errorText';
import type { FlowDeps } from '../../src/flows/flowDeps';
import { runContainerFlow } from '../../src/flows/run';
import { english } from '../support/english';
import type { ContainerRunSpec } from '../../src/core/engineTypes';
import { cleanupTestObjects, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../support/docker';

const client = new DockerodeClient({
  endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
  timeoutMs: 30_000,
});
const run = (spec: Omit<ContainerRunSpec, 'image'>) =>
  client.runContainer({
    image: TEST_IMAGE,
    command: ['sleep', '300'],
    networkMode: 'none',
    labels: { [TEST_LABEL]: '1' },
    ...spec,
  });

describe('mounts on a real engine', function () {
  this.timeout(60_000);
  after(() => cleanupTestObjects());

  it('refuses writes through a read-only volume mount, and two containers share a volume', async () => {
    const volume = uniqueName('vlab-shared');
    await client.createVolume({ name: volume, labels: { [TEST_LABEL]: '1' } });
    const writer = await run({ mounts: [{ type: 'volume', source: volume, target: '/var/log/app' }] });
    const reader = await run({ mounts: [{ type: 'volume', source: volume, target: '/logs', readOnly: true }] });
    const wrote = await client.exec(writer.id, ['sh', '-c', 'echo "User logged in" >> /var/log/app/access.log']);
    assert.equal(wrote.exitCode, 0);
    const read = await client.exec(reader.id, ['cat', '/logs/access.log']);
    assert.equal(read.output, 'User logged in\n', 'the reader sees what the writer wrote');
    const refused = await client.exec(reader.id, ['rm', '/logs/access.log']);
    assert.notEqual(refused.exitCode, 0);
    assert.match(refused.output, /Read-only file system/);
  });

  it('mounts tmpfs with its size, and reports it', async () => {
    const c = await run({ mounts: [{ type: 'tmpfs', target: '/cache', sizeBytes: 8 * 1024 * 1024 }] });
    const mounts = await client.exec(c.id, ['cat', '/proc/mounts']);
    assert.match(mounts.output, /tmpfs \/cache tmpfs [^\n]*size=8192k/);
    const details = await client.inspectContainer(c.id);
    const tmpfs = details.mounts.find((m) => m.destination === '/cache');
    assert.equal(tmpfs?.type, 'tmpfs');
    assert.equal(tmpfs?.tmpfsSizeBytes, 8 * 1024 * 1024);
  });

  it('shares a bind-mounted folder both ways with the host', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-bind-'));
    try {
      fs.writeFileSync(path.join(dir, 'from-host.txt'), 'written on the host\n');
      const c = await run({ mounts: [{ type: 'bind', source: dir, target: '/app' }] });
      assert.equal((await client.exec(c.id, ['cat', '/app/from-host.txt'])).output, 'written on the host\n');
      assert.equal(
        (await client.exec(c.id, ['sh', '-c', 'echo from the container > /app/from-container.txt'])).exitCode,
        0,
      );
      assert.equal(fs.readFileSync(path.join(dir, 'from-container.txt'), 'utf8'), 'from the container\n');
      fs.writeFileSync(path.join(dir, 'later.txt'), 'live\n');
      assert.equal((await client.exec(c.id, ['cat', '/app/later.txt'])).output, 'live\n', 'host changes show at once');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails on a missing bind source instead of creating it, and leaves no container behind', async () => {
    const missing = path.join(os.tmpdir(), `vlab-missing-${Date.now()}`);
    const name = uniqueName('vlab-nobind');
    await assert.rejects(run({ name, mounts: [{ type: 'bind', source: missing, target: '/app' }] }), (err: unknown) => {
      assert.ok(err instanceof DockerError);
      assert.equal(err.kind, 'invalid');
      assert.match(err.message, /bind source path does not exist/);
      return true;
    });
    assert.equal(fs.existsSync(missing), false, 'not silently created');
    assert.ok(!(await client.listContainers({ all: true })).some((c) => c.name === name));
  });

  it("says a bind source missing on the daemon's machine is to be created there, naming the folder", async () => {
    const missing = path.join(os.tmpdir(), `vlab-remote-${Date.now()}`);
    const name = uniqueName('vlab-nobind');
    const deps: FlowDeps = {
      daemon: { use: (work) => work(client), cliTarget: cliTargetFor(undefined) },
      log: { cli: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      l10n: english,
      mayReadBackups: () => true,
    };
    const mounts = [{ type: 'bind' as const, source: missing, target: '/app' }];
    await assert.rejects(runContainerFlow(deps, { name, image: TEST_IMAGE, command: ['true'] }, mounts), (err) => {
      assert.ok(err instanceof DockerError);
      assert.deepEqual(err.reason, { id: 'bindSourceMissing', path: missing });
      assert.match(
        dockerErrorText(err, '', deps.l10n),
        new RegExp(`The folder ${missing} does not exist on the machine`),
      );
      return true;
    });
  });

  it('reports a name clash as a conflict', async () => {
    const name = uniqueName('vlab-clash');
    await run({ name, mounts: [] });
    await assert.rejects(run({ name, mounts: [] }), (e: unknown) => e instanceof DockerError && e.kind === 'conflict');
  });

  it('resolves --volumes-from, and reads image details', async () => {
    const volume = uniqueName('vlab-from');
    await client.createVolume({ name: volume, labels: { [TEST_LABEL]: '1' } });
    const source = await run({ mounts: [{ type: 'volume', source: volume, target: '/data' }] });
    const docker = testDocker();
    const follower = await docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: ['sh'],
      Labels: { [TEST_LABEL]: '1' },
      HostConfig: { NetworkMode: 'none', VolumesFrom: [source.name] },
    });
    const details = await client.inspectContainer(follower.id);
    assert.deepEqual(details.volumesFrom, [source.name]);
    assert.ok(
      details.mounts.some((m) => m.name === volume && m.destination === '/data'),
      'the inherited mount',
    );
    const image = await client.inspectImage(TEST_IMAGE);
    assert.ok(image.tags.includes(TEST_IMAGE.includes(':') ? TEST_IMAGE : `${TEST_IMAGE}:latest`));
    await assert.rejects(
      client.inspectImage('volumes-lab/no-such-image:1'),
      (e: unknown) => e instanceof DockerError && e.kind === 'notFound',
    );
  });

  it('fails to pull with a clear error when the registry cannot be reached', async function () {
    if (process.env.VOLUMES_LAB_PRIVATE_DAEMON !== '1') this.skip(); // a daemon with internet would really pull
    await assert.rejects(
      client.pullImage('volumes-lab/not-published:1', () => undefined),
      (e: unknown) => e instanceof DockerError,
    );
  });
});

describe('network volumes on a real engine', function () {
  this.timeout(60_000);
  after(() => cleanupTestObjects());

  it('creates an NFS volume with the mapped options, and reports the mount error when a container uses it', async () => {
    const name = uniqueName('vlab-nfs');
    const volume = await client.createVolume({
      name,
      driverOpts: nfsDriverOptions({
        server: '127.0.0.1',
        exportPath: '/nonexistent-export',
        options: 'nfsvers=4,soft,timeo=10,retrans=1',
      }),
      labels: { [TEST_LABEL]: '1' },
    });
    assert.deepEqual(volume.options, {
      type: 'nfs',
      o: 'addr=127.0.0.1,nfsvers=4,soft,timeo=10,retrans=1',
      device: ':/nonexistent-export',
    });
    // Docker mounts the share only when a container starts: that is where a wrong server shows.
    await assert.rejects(
      run({ mounts: [{ type: 'volume', source: name, target: '/probe', readOnly: true }] }),
      (err: unknown) => {
        assert.ok(err instanceof DockerError);
        assert.match(err.message, /mount|nfs|connection refused|no such device|not supported|permission denied/i);
        return true;
      },
    );
  });
});
