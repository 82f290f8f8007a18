import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { restoreVolume } from '../../src/docker/restore';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { cleanupTestObjects, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../support/docker';

const client = new DockerodeClient({
  endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
  timeoutMs: 60_000,
});
const labels = { [TEST_LABEL]: '1' };

/** A .tar.gz of `count` empty files: tiny on disk, one inode each once extracted. */
async function emptyFiles(file: string, count: number): Promise<void> {
  const pack = tar.pack();
  const written = new Promise<void>((resolve, reject) =>
    pack.pipe(zlib.createGzip()).pipe(fs.createWriteStream(file)).on('finish', resolve).on('error', reject),
  );
  pack.entry({ name: './', type: 'directory' });
  for (let i = 0; i < count; i++) pack.entry({ name: `./e${i}` }, '');
  pack.finalize();
  await written;
}

describe('Restore bounds on the real daemon', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-bounds-'));
  after(async () => {
    await cleanupTestObjects();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops an archive of many empty entries at the entry limit, and removes the new volume', async () => {
    const file = path.join(dir, 'many_20260101_000000.tar.gz');
    await emptyFiles(file, 3000);
    assert.ok(fs.statSync(file).size < 64 * 1024, 'a small file');
    const target = uniqueName('vlab-bounds');
    await assert.rejects(
      restoreVolume(client, {
        archive: file,
        target,
        mode: 'new',
        create: { labels },
        shellImage: TEST_IMAGE,
        networkMode: 'none',
        labels,
        maxEntries: 1000,
      }),
      (err: unknown) => {
        assert.deepEqual((err as { reason?: unknown }).reason, { id: 'archiveTooLarge', limit: 1000, what: 'entries' });
        return true;
      },
    );
    await assert.rejects(testDocker().getVolume(target).inspect(), 'the new volume is removed');
    const restored = await restoreVolume(client, {
      archive: file,
      target,
      mode: 'new',
      create: { labels },
      shellImage: TEST_IMAGE,
      networkMode: 'none',
      labels,
      maxEntries: 3001,
    });
    assert.equal(restored.files, 3001, 'at the limit it goes through');
  });
});
