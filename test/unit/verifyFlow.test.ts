// Verify reads a backup through and compares it with its manifest; Cancel stops the reading (a lost or huge file
// must not hold the progress notification until it has been read whole).
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { BackupManifest } from '../../src/core/backups';
import { DockerError } from '../../src/docker/errors';
import { verifyBackupFlow } from '../../src/flows/verify';
import { pack, rawHeader } from '../support/tarPack';

function manifestOf(file: string, files: number, bytes: number): BackupManifest {
  return {
    format: 'docker-volumes-lab/backup@1',
    volume: 'data',
    driver: 'local',
    options: {},
    labels: {},
    bytes,
    files,
    archiveBytes: fs.statSync(file).size,
    sha256: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
    engineVersion: '27.0.0',
    createdAt: new Date().toISOString(),
  };
}

/** Gzip members in a row are one gzip stream: a gigabyte of zeros costs a thousand copies of one small member. */
function gzipOfZeros(megabytes: number): Buffer {
  const member = zlib.gzipSync(Buffer.alloc(1024 * 1024));
  return Buffer.concat(Array.from({ length: megabytes }, () => member));
}

/** A .tar.gz of one file of `megabytes` zero megabytes (a small file that takes long to read through). */
function zerosArchive(file: string, megabytes: number): void {
  const size = megabytes * 1024 * 1024;
  const end = Buffer.alloc(1024); // a size in whole megabytes needs no padding; then the two empty end blocks
  fs.writeFileSync(
    file,
    Buffer.concat([zlib.gzipSync(rawHeader('./zeros.bin', '0', size)), gzipOfZeros(megabytes), zlib.gzipSync(end)]),
  );
}

describe('verify flow', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-verify-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports what an archive holds and whether it agrees with its manifest', async () => {
    const file = path.join(dir, 'small.tar.gz');
    fs.writeFileSync(file, zlib.gzipSync(await pack([{ name: './a.txt', body: 'hello' }])));
    const sound = await verifyBackupFlow(file, manifestOf(file, 1, 5));
    assert.deepEqual(
      { ...sound, manifest: undefined },
      {
        kind: 'archive',
        agrees: true,
        files: 1,
        contentBytes: 5,
        manifest: undefined,
      },
    );
    const differs = await verifyBackupFlow(file, manifestOf(file, 2, 5));
    assert.equal(differs.agrees, false);
    assert.equal((await verifyBackupFlow(file, undefined)).agrees, true, 'without a manifest nothing disagrees');
  });

  it('stops reading when cancelled, with a cancelled error rather than a result', async () => {
    const file = path.join(dir, 'big.tar.gz');
    zerosArchive(file, 2048);
    const whole = manifestOf(file, 1, 2048 * 1024 * 1024);
    const controller = new AbortController();
    const verifying = verifyBackupFlow(file, whole, controller.signal);
    setImmediate(() => controller.abort());
    await assert.rejects(verifying, (err) => err instanceof DockerError && err.kind === 'cancelled');
  });

  it('stops reading a dump when cancelled', async () => {
    const file = path.join(dir, 'db.sql.gz');
    fs.writeFileSync(file, gzipOfZeros(2048));
    const controller = new AbortController();
    const verifying = verifyBackupFlow(file, undefined, controller.signal);
    setImmediate(() => controller.abort());
    await assert.rejects(verifying, (err) => err instanceof DockerError && err.kind === 'cancelled');
  });
});
