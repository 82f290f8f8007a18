import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { DockerError } from '../../src/docker/errors';
import { cleanupTestObjects, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { startStallingProxy, type StallingProxy } from '../support/stallingProxy';

const TIMEOUT_MS = 400;
/** Time allowed past the timeout for the rejection to arrive on a busy two-core machine. */
const SLACK_MS = 2_000;

function smallTar(): Readable {
  const pack = tar.pack();
  pack.entry({ name: 'bounded.txt', mode: 0o644 }, 'hello\n');
  pack.finalize();
  return pack as unknown as Readable;
}

describe('Every Engine API call is bounded by the client timeout, on a daemon that accepts and never answers', function () {
  this.timeout(30_000);
  let dir: string;
  let proxy: StallingProxy;
  const volume = uniqueName('vlab-bounds');
  let runningId = '';
  let helperId = '';

  before(async function () {
    const target = parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock');
    if (target.transport !== 'unix') this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-stall-'));
    proxy = await startStallingProxy(target.socketPath!, path.join(dir, 'docker.sock'));
    const docker = testDocker();
    await docker.createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const running = await docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: { [TEST_LABEL]: '1' },
      HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
    });
    await running.start();
    runningId = running.id;
    helperId = await fresh().createVolumeHelper(volume, { mountPath: '/volume', readOnly: false });
  });

  afterEach(() => proxy?.stall(undefined));

  after(async () => {
    if (helperId)
      await testDocker()
        .getContainer(helperId)
        .remove({ force: true })
        .catch(() => undefined);
    await cleanupTestObjects();
    await proxy?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A client of its own per case, so one held request does not queue behind another. */
  function fresh(): DockerodeClient {
    return new DockerodeClient({
      endpoint: { ...parseDockerHost(`unix://${proxy.socketPath}`), source: 'setting' },
      timeoutMs: TIMEOUT_MS,
    });
  }

  const cases: { kind: string; held: RegExp; call: (client: DockerodeClient) => Promise<unknown> }[] = [
    { kind: 'version (connect)', held: /^GET \/version/, call: (c) => c.version() },
    { kind: 'info', held: /^GET \/info/, call: (c) => c.info() },
    { kind: 'list volumes', held: /^GET \/volumes(\?|$)/, call: (c) => c.listVolumes() },
    { kind: 'list containers', held: /^GET \/containers\/json/, call: (c) => c.listContainers({ all: true }) },
    { kind: 'inspect volume', held: /^GET \/volumes\/vlab-bounds/, call: (c) => c.inspectVolume(volume) },
    {
      kind: 'inspect container',
      held: /^GET \/containers\/[0-9a-f]+\/json/,
      call: (c) => c.inspectContainer(runningId),
    },
    { kind: 'inspect image', held: /^GET \/images\/.+\/json/, call: (c) => c.inspectImage(TEST_IMAGE) },
    { kind: 'disk usage', held: /^GET \/system\/df/, call: (c) => c.diskUsage() },
    {
      kind: 'events',
      held: /^GET \/events/,
      call: (c) => c.watchEvents({ type: ['volume'] }, () => undefined, new AbortController().signal),
    },
    { kind: 'exec create', held: /^POST \/containers\/[0-9a-f]+\/exec/, call: (c) => c.exec(runningId, ['true']) },
    { kind: 'exec start', held: /^POST \/exec\/[0-9a-f]+\/start/, call: (c) => c.exec(runningId, ['true']) },
    { kind: 'exec inspect', held: /^GET \/exec\/[0-9a-f]+\/json/, call: (c) => c.exec(runningId, ['true']) },
    {
      kind: 'archive out',
      held: /^GET \/containers\/[0-9a-f]+\/archive/,
      call: (c) => c.getArchive(helperId, '/volume/.'),
    },
    {
      kind: 'archive stat',
      held: /^HEAD \/containers\/[0-9a-f]+\/archive/,
      call: (c) => c.statPath(helperId, '/volume'),
    },
    {
      kind: 'archive in',
      held: /^PUT \/containers\/[0-9a-f]+\/archive/,
      call: (c) => c.putArchive(helperId, '/volume', smallTar()),
    },
    { kind: 'stop', held: /^POST \/containers\/[0-9a-f]+\/stop/, call: (c) => c.stopContainer(runningId) },
  ];

  for (const { kind, held, call } of cases) {
    it(`${kind}: timeout within the bound`, async () => {
      const client = fresh();
      if (!held.test('GET /version')) await client.version(); // connected before the daemon hangs
      proxy.stall(held);
      const started = Date.now();
      let failure: unknown;
      try {
        await call(client);
      } catch (err) {
        failure = err;
      }
      const elapsed = Date.now() - started;
      assert.ok(
        proxy.stalled.some((line) => held.test(line)),
        `the request was held (held: ${proxy.stalled.join(', ')})`,
      );
      assert.ok(failure instanceof DockerError, `expected a DockerError, got ${String(failure)}`);
      assert.equal(failure.kind, 'timeout', failure.message);
      assert.ok(elapsed < TIMEOUT_MS + SLACK_MS, `answered after ${elapsed} ms`);
      client.dispose();
    });
  }

  it('forwards everything when nothing is held (the cases above test the bound, not a broken proxy)', async () => {
    const client = fresh();
    assert.ok((await client.listVolumes()).some((v) => v.name === volume));
    assert.equal((await client.exec(runningId, ['true'])).exitCode, 0);
    const stat = await client.statPath(helperId, '/volume');
    assert.equal(stat.name, 'volume');
    client.dispose();
  });
});
