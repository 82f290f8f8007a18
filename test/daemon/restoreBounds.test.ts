import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import type { BackupManifest } from '../../src/core/backups';
import { cliTargetFor } from '../../src/core/cli';
import { restoreVolume } from '../../src/docker/restore';
import type { FlowDeps } from '../../src/flows/flowDeps';
import { restoreSpace } from '../../src/flows/restoreSpace';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { coverArchive, rawHeader } from '../support/tarPack';
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

  it('sees the entries a symlink or folder header hides behind its size field: caps hold, hidden devices refused', async () => {
    // The daemon (Go's archive/tar) reads no data after a link, folder or device header: what a stated size "covers"
    // is extracted. Counting it as data let an 8 KiB .tar.gz write 8 MiB and a device past 1 MiB / 5-entry caps.
    const big = 2 * 1024 * 1024;
    const bigHidden = Buffer.concat([
      rawHeader('big.bin', '0', big),
      Buffer.alloc(big),
      rawHeader('dev-null-2', '3', 0),
    ]);
    const restore = (archive: string, target: string, caps: { maxContentBytes?: number; maxEntries?: number }) =>
      restoreVolume(client, {
        archive,
        target,
        mode: 'new',
        create: { labels },
        shellImage: TEST_IMAGE,
        networkMode: 'none',
        labels,
        ...caps,
      });
    for (const flag of ['2', '5']) {
      const file = path.join(dir, `cover${flag}_20260101_000000.tar.gz`);
      fs.writeFileSync(file, zlib.gzipSync(coverArchive(flag, bigHidden)));
      const target = uniqueName('vlab-cover');
      await assert.rejects(restore(file, target, { maxContentBytes: 1024 * 1024, maxEntries: 5 }), (err: unknown) => {
        assert.deepEqual((err as { reason?: unknown }).reason, { id: 'archiveTooLarge', limit: 1024 * 1024 });
        return true;
      });
      await assert.rejects(testDocker().getVolume(target).inspect(), `flag ${flag}: the new volume is removed`);
      await assert.rejects(restore(file, target, {}), (err: unknown) => {
        assert.deepEqual((err as { reason?: unknown }).reason, { id: 'deviceEntry', entry: 'dev-null-2' });
        return true;
      });
      await assert.rejects(testDocker().getVolume(target).inspect(), `flag ${flag}: refused for its hidden device`);
    }
    // A harmless hidden file is restored and counted: the count agrees with what the daemon wrote.
    const file = path.join(dir, 'coverok_20260101_000000.tar.gz');
    const hidden = Buffer.concat([rawHeader('hidden.txt', '0', 5), Buffer.from('owned'), Buffer.alloc(507)]);
    fs.writeFileSync(file, zlib.gzipSync(Buffer.concat([rawHeader('./', '5', 0), coverArchive('2', hidden)])));
    const restored = await restore(file, uniqueName('vlab-cover'), {});
    assert.deepEqual(
      [restored.files, restored.contentBytes, restored.targetFiles, restored.targetContentBytes],
      [3, 5, 3, 5],
    );
  });

  it('counts a regular file named `big/` against the content cap: the daemon writes it as `big`, bytes and all', async () => {
    const big = 2 * 1024 * 1024;
    const file = path.join(dir, 'slash_20260101_000000.tar.gz');
    fs.writeFileSync(file, zlib.gzipSync(Buffer.concat([rawHeader('big/', '0', big), Buffer.alloc(big + 1024)])));
    const target = uniqueName('vlab-slash');
    await assert.rejects(
      restoreVolume(client, {
        archive: file,
        target,
        mode: 'new',
        create: { labels },
        shellImage: TEST_IMAGE,
        networkMode: 'none',
        labels,
        maxContentBytes: 1024 * 1024,
      }),
      (err: unknown) => {
        assert.deepEqual((err as { reason?: unknown }).reason, { id: 'archiveTooLarge', limit: 1024 * 1024 });
        return true;
      },
    );
    await assert.rejects(testDocker().getVolume(target).inspect(), 'the new volume is removed');
  });

  it("bounds the entries by the daemon's free inodes, and asks when the manifest counts more", async () => {
    const file = path.join(dir, 'inodes_20260101_000000.tar.gz');
    await emptyFiles(file, 1000);
    const target = uniqueName('vlab-inodes');
    // A file system with room for the bytes (16 MiB) but 300 inodes: the bytes alone would say it fits.
    await testDocker().createVolume({
      Name: target,
      Labels: labels,
      DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=16m,nr_inodes=300' },
    });
    const logged: string[] = [];
    const deps: FlowDeps = {
      daemon: { use: (work) => work(client), cliTarget: cliTargetFor(undefined) },
      log: { cli: () => undefined, info: (m) => logged.push(m), warn: () => undefined, error: () => undefined },
      l10n: { t: (message: string) => message },
      mayReadBackups: () => true,
    };
    const helper = { image: TEST_IMAGE, networkMode: 'none' };
    const request = { file, target, exists: true, create: undefined, helper };
    const unlabelled = await restoreSpace(deps, { ...request, manifest: undefined });
    assert.equal(unlabelled.bytes.kind, 'fits');
    assert.equal(unlabelled.entries.kind, 'fits');
    const inodes = unlabelled.entries.limit;
    assert.ok(inodes > 200 && inodes <= 300, `the entry limit is the free inodes: ${inodes} (${logged.join(' | ')})`);
    await assert.rejects(
      restoreVolume(client, {
        archive: file,
        target,
        mode: 'merge',
        shellImage: TEST_IMAGE,
        networkMode: 'none',
        labels,
        maxEntries: inodes,
      }),
      (err: unknown) => {
        assert.deepEqual((err as { reason?: unknown }).reason, {
          id: 'archiveTooLarge',
          limit: inodes,
          what: 'entries',
        });
        return true;
      },
      'stopped at the free inodes with a reason, before the daemon runs out of them',
    );
    const manifest: BackupManifest = {
      format: 'docker-volumes-lab/backup@1',
      volume: 'inodes',
      driver: 'local',
      options: {},
      labels: {},
      bytes: 0,
      files: 1001,
      archiveBytes: fs.statSync(file).size,
      sha256: '0'.repeat(64),
      engineVersion: '20.10',
      createdAt: '2026-01-01T00:00:00Z',
    };
    const counted = await restoreSpace(deps, { ...request, manifest });
    assert.equal(counted.bytes.kind, 'fits');
    assert.equal(counted.entries.kind, 'ask');
    assert.ok(counted.entries.kind === 'ask' && counted.entries.free <= 300, 'the free inodes are named');
    assert.equal(counted.entries.expected, 1001);
  });
});
