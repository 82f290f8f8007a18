import * as assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { LABELS } from '../../src/core/labels';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import type { DockerEvent } from '../../src/core/engineTypes';
import {
  cleanupTestObjects,
  containerUsing,
  runWithVolume,
  TEST_LABEL,
  testDocker,
  uniqueName,
} from '../support/docker';

const client = new DockerodeClient({
  endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
});

async function tarEntries(stream: Readable): Promise<{ name: string; type: string; size: number; body?: string }[]> {
  const extract = tar.extract();
  const entries: { name: string; type: string; size: number; body?: string }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (c: unknown) => chunks.push(c as Buffer));
      body.on('end', () => {
        entries.push({
          name: header.name,
          type: header.type ?? 'file',
          size: header.size ?? 0,
          ...(header.type === 'file' ? { body: Buffer.concat(chunks).toString('utf8') } : {}),
        });
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  stream.pipe(extract);
  await done;
  return entries;
}

async function collectEvents(during: () => Promise<void>, filters: Record<string, string[]>): Promise<DockerEvent[]> {
  const events: DockerEvent[] = [];
  const controller = new AbortController();
  const watching = client.watchEvents(filters, (e) => events.push(e), controller.signal);
  await new Promise((r) => setTimeout(r, 200)); // the stream is open before the actions
  await during();
  await new Promise((r) => setTimeout(r, 500)); // let the last events arrive
  controller.abort();
  await watching;
  return events;
}

describe('volumes explorer on a real daemon', function () {
  this.timeout(60_000);
  after(() => cleanupTestObjects());

  it('reports disk usage with per-volume sizes and users', async () => {
    const name = uniqueName('vlab-df');
    await client.createVolume({ name, labels: { [TEST_LABEL]: '1' } });
    await runWithVolume(name, 'dd if=/dev/zero of=/data/blob bs=1024 count=300 2>/dev/null');
    await containerUsing(name);
    const df = await client.diskUsage();
    const usage = df.volumeSizes[name];
    assert.ok(usage, 'volume listed in /system/df');
    assert.ok(usage.size >= 300 * 1024, `size ${usage.size} counts the 300 KiB written`);
    assert.equal(usage.refCount, 1);
    assert.ok(df.volumes.count >= 1 && df.volumes.size >= usage.size);
    assert.ok(df.images.count >= 1, 'the test image is counted');
  });

  it('streams volume events, and a prune reports "prune" without "destroy"', async () => {
    const name = uniqueName('vlab-ev');
    const created = await collectEvents(
      async () => {
        await client.createVolume({ name, labels: { [TEST_LABEL]: '1' } });
        await client.removeVolume(name);
      },
      { type: ['volume'] },
    );
    assert.ok(
      created.some((e) => e.action === 'create' && e.id === name),
      'create event',
    );
    assert.ok(
      created.some((e) => e.action === 'destroy' && e.id === name),
      'destroy event',
    );

    const pruned = uniqueName('vlab-prune');
    await client.createVolume({ name: pruned, labels: { [TEST_LABEL]: '1', 'vlab.prune': pruned } });
    const events = await collectEvents(
      async () => {
        await testDocker().pruneVolumes({ filters: { label: [`vlab.prune=${pruned}`] } });
      },
      { type: ['volume'] },
    );
    assert.ok(
      events.some((e) => e.action === 'prune'),
      `prune event in ${JSON.stringify(events.map((e) => e.action))}`,
    );
    assert.ok(!events.some((e) => e.action === 'destroy'), 'no destroy event for a pruned volume');
    await assert.rejects(client.inspectVolume(pruned));
  });

  it('ends the event stream when aborted', async () => {
    const controller = new AbortController();
    const watching = client.watchEvents({ type: ['volume'] }, () => undefined, controller.signal);
    setTimeout(() => controller.abort(), 100);
    await watching;
  });

  it('browses nested folders of a volume through a never-started helper, then removes it', async () => {
    const name = uniqueName('vlab-files');
    await client.createVolume({ name, labels: { [TEST_LABEL]: '1' } });
    await runWithVolume(
      name,
      'mkdir -p /data/app/logs/2026 && echo hello > /data/app/readme.txt && echo deep > /data/app/logs/2026/jan.log',
    );
    const helper = await client.createVolumeHelper(name, { mountPath: '/volume', readOnly: true });
    try {
      const inspect = await testDocker().getContainer(helper).inspect();
      assert.equal(inspect.State.Running, false);
      assert.equal(inspect.State.StartedAt, '0001-01-01T00:00:00Z', 'never started');
      assert.equal(inspect.Config.Labels[LABELS.helper], name);
      assert.equal(inspect.Mounts[0]?.RW, false, 'read-only mount');

      const entries = await tarEntries(await client.getArchive(helper, '/volume/app/logs'));
      assert.deepEqual(entries.map((e) => e.name).sort(), ['logs/', 'logs/2026/', 'logs/2026/jan.log']);
      assert.equal(entries.find((e) => e.name === 'logs/2026/jan.log')?.body, 'deep\n');

      const stat = await client.statPath(helper, '/volume/app/readme.txt');
      assert.equal(stat.size, 6);
      await assert.rejects(client.statPath(helper, '/volume/missing'), (e: { kind?: string }) => e.kind === 'notFound');

      assert.ok(
        (await client.listVolumeHelpers()).some((c) => c.id === helper),
        'helpers can be found for the sweep',
      );
    } finally {
      await client.removeContainer(helper, { force: true });
    }
    assert.ok(!(await client.listVolumeHelpers()).some((c) => c.id === helper), 'helper removed');
  });
});
