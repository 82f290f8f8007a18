import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost, type Endpoint } from '../../src/docker/endpoint';
import { DockerError } from '../../src/docker/errors';
import { cleanupTestObjects, containerUsing, TEST_LABEL, uniqueName } from '../support/docker';

function testEndpoint(): Endpoint {
  return { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' };
}

async function rejectsWithKind(promise: Promise<unknown>, kind: DockerError['kind']): Promise<DockerError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof DockerError, `expected a DockerError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    return err;
  }
  assert.fail(`expected a DockerError of kind ${kind}`);
}

describe('DockerodeClient on a real daemon', function () {
  this.timeout(30_000);
  const debugLines: string[] = [];
  const client = new DockerodeClient({ endpoint: testEndpoint(), logger: { debug: (m) => debugLines.push(m) } });

  after(() => cleanupTestObjects());

  it('negotiates the API version with the engine', async () => {
    const info = await client.version();
    assert.match(info.version, /^\d+\.\d+/);
    assert.match(info.apiVersion, /^1\.\d+$/);
    const [, minor] = info.negotiatedApiVersion.split('.').map(Number);
    const [, serverMinor] = info.apiVersion.split('.').map(Number);
    assert.ok(minor! <= serverMinor!, 'never speaks a newer API than the engine');
    assert.ok(
      debugLines.some((l) => l.startsWith('GET /version')),
      'API calls are logged at debug level',
    );
  });

  it('creates a volume with driver options and labels, lists, inspects and removes it', async () => {
    const name = uniqueName('vlab-daemon');
    const created = await client.createVolume({
      name,
      driverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' },
      labels: { [TEST_LABEL]: '1', course: 'volumes' },
    });
    assert.equal(created.name, name);
    assert.equal(created.driver, 'local');
    assert.equal(created.anonymous, false);
    assert.deepEqual(created.options, { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
    assert.equal(created.labels.course, 'volumes');

    const listed = (await client.listVolumes()).find((v) => v.name === name);
    assert.ok(listed, 'listed');
    assert.equal(listed.labels.course, 'volumes');

    const inspected = await client.inspectVolume(name);
    assert.equal(inspected.mountpoint, created.mountpoint);

    await client.removeVolume(name);
    await rejectsWithKind(client.inspectVolume(name), 'notFound');
  });

  it('marks anonymous volumes', async () => {
    const created = await client.createVolume({ labels: { [TEST_LABEL]: '1' } });
    assert.match(created.name, /^[0-9a-f]{64}$/);
    assert.equal(created.anonymous, true);
  });

  it("reports a conflict when removing a volume a container uses, and lists that container's mount", async () => {
    const name = uniqueName('vlab-inuse');
    await client.createVolume({ name, labels: { [TEST_LABEL]: '1' } });
    const container = await containerUsing(name);
    const err = await rejectsWithKind(client.removeVolume(name), 'conflict');
    assert.match(err.message, /in use/i);
    assert.equal(err.statusCode, 409);

    const summary = (await client.listContainers({ all: true })).find((c) => c.id === container.id);
    assert.ok(summary, 'the stopped container is listed with all=true');
    assert.equal(summary.state, 'created');
    const mount = summary.mounts.find((m) => m.name === name);
    assert.ok(mount, 'its volume mount is reported');
    assert.equal(mount.type, 'volume');
    assert.equal(mount.destination, '/data');
    assert.equal(mount.readOnly, false);
    assert.ok(!(await client.listContainers({ all: false })).some((c) => c.id === summary.id), 'not running');
  });

  it('rejects an invalid volume name as invalid input', async () => {
    await rejectsWithKind(client.createVolume({ name: '-bad name!' }), 'invalid');
  });

  it('reports an absent socket as unreachable', async () => {
    const absent = new DockerodeClient({
      endpoint: { ...parseDockerHost('unix:///nonexistent/docker.sock'), source: 'setting' },
    });
    const err = await rejectsWithKind(absent.listVolumes(), 'unreachable');
    assert.equal(err.detail, 'ENOENT');
  });

  it('reports a daemon that accepts but never answers as a timeout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-silent-'));
    const socket = path.join(dir, 'silent.sock');
    const held: net.Socket[] = [];
    const server = net.createServer((s) => held.push(s)).listen(socket);
    await new Promise((r) => server.once('listening', r));
    try {
      const silent = new DockerodeClient({
        endpoint: { ...parseDockerHost(`unix://${socket}`), source: 'setting' },
        timeoutMs: 300,
      });
      await rejectsWithKind(silent.version(), 'timeout');
    } finally {
      held.forEach((s) => s.destroy());
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops at once when the caller cancels', async () => {
    const controller = new AbortController();
    controller.abort();
    await rejectsWithKind(client.listVolumes(controller.signal), 'cancelled');
  });

  it('reports permission denied on the socket for a user outside the docker group', function () {
    const endpoint = testEndpoint();
    if (process.getuid?.() !== 0 || endpoint.transport !== 'unix') this.skip(); // needs root to become another user
    const mode = fs.statSync(endpoint.socketPath!).mode;
    assert.equal(mode & 0o007, 0, 'the socket is closed to other users, as dockerd makes it');
    // The probe runs as nobody, who may not read the checkout (a mktemp folder is 0700): it gets a readable
    // copy of the bundled daemon layer, which needs no node_modules.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-perm-'));
    fs.chmodSync(dir, 0o755);
    fs.copyFileSync(path.resolve(__dirname, '../../bundle/dockerodeClient.js'), path.join(dir, 'client.js'));
    const probe = path.join(dir, 'probe.js');
    fs.writeFileSync(
      probe,
      [
        "const { DockerodeClient } = require('./client.js');",
        "const client = new DockerodeClient({ endpoint: { transport: 'unix', host: process.argv[2], socketPath: process.argv[2].slice(7), source: 'env' } });",
        "client.listVolumes().then(() => console.log('reachable'), err => console.log(err && err.kind ? err.kind : 'other: ' + err));",
      ].join('\n'),
    );
    for (const f of ['client.js', 'probe.js']) fs.chmodSync(path.join(dir, f), 0o644);
    const result = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, probe, endpoint.host],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'permissionDenied');
  });
});
