import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupVolume } from '../../src/docker/backup';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { DockerError } from '../../src/docker/errors';
import { ensureWritableFolder } from '../../src/flows/backupFolderCheck';
import { cleanupTestObjects, runWithVolume, TEST_LABEL, uniqueName } from '../support/docker';

/** A tiny tmpfs of our own, mounted for the test (root only), optionally made read-only or filled. */
function withTmpfs(
  options: { readOnly?: boolean; fill?: boolean },
  body: (dir: string) => Promise<void> | void,
): () => Promise<void> {
  return async function (this: Mocha.Context) {
    // Mounting needs root; a user's machine runs the unit tier of the same rules.
    if (process.getuid?.() !== 0) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-folder-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    try {
      fs.mkdirSync(path.join(dir, 'backups'));
      if (options.fill) {
        try {
          fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(1024 * 1024));
        } catch {
          /* full now */
        }
      }
      if (options.readOnly) execFileSync('mount', ['-o', 'remount,ro', dir]);
      await body(dir);
    } finally {
      execFileSync('umount', [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

function localFileFailure(reason: string, file: string) {
  return (err: unknown) => {
    assert.ok(err instanceof DockerError, String(err));
    assert.equal(err.kind, 'localFile', "never the daemon's permissionDenied");
    assert.equal(err.reason?.id, reason);
    assert.equal((err.reason as { file: string }).file, file);
    return true;
  };
}

describe('the backup folder is checked on this machine, and its failures are local file errors', function () {
  this.timeout(60_000);
  const client = new DockerodeClient({
    endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
  });
  after(() => cleanupTestObjects());

  it(
    'accepts a writable folder, creating it, and leaves nothing in it',
    withTmpfs({}, (dir) => {
      const folder = path.join(dir, 'backups', 'new', 'deeper');
      ensureWritableFolder(folder);
      assert.deepEqual(fs.readdirSync(folder), []);
    }),
  );

  it(
    'writes its probe through no planted link: a file the link points at is left as it was',
    withTmpfs({}, (dir) => {
      const folder = path.join(dir, 'backups');
      const victim = path.join(dir, 'precious.txt');
      fs.writeFileSync(victim, 'precious\n');
      fs.symlinkSync(victim, path.join(folder, `.volumes-lab-write-check-${process.pid}`));
      ensureWritableFolder(folder);
      assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
      assert.deepEqual(
        fs.readdirSync(folder),
        [`.volumes-lab-write-check-${process.pid}`],
        'only the planted link, no probe left',
      );
    }),
  );

  it(
    'says read-only for a read-only file system (not permission denied)',
    withTmpfs({ readOnly: true }, (dir) => {
      const folder = path.join(dir, 'backups');
      assert.throws(() => ensureWritableFolder(folder), localFileFailure('readOnly', folder));
      assert.throws(
        () => ensureWritableFolder(path.join(dir, 'missing')),
        localFileFailure('readOnly', path.join(dir, 'missing')),
      );
    }),
  );

  it(
    'says the disk is full',
    withTmpfs({ fill: true }, (dir) => {
      const folder = path.join(dir, 'backups');
      assert.throws(() => ensureWritableFolder(folder), localFileFailure('diskFull', folder));
    }),
  );

  it(
    'says a path that is a file is not a folder',
    withTmpfs({}, (dir) => {
      fs.writeFileSync(path.join(dir, 'plain'), 'x');
      const folder = path.join(dir, 'plain', 'backups');
      assert.throws(() => ensureWritableFolder(folder), localFileFailure('notAFolder', folder));
    }),
  );

  it(
    'a backup written into a read-only folder fails as read-only, a local file error',
    withTmpfs({ readOnly: true }, async (dir) => {
      const volume = uniqueName('vlab-rofolder');
      await client.createVolume({ name: volume, labels: { [TEST_LABEL]: '1' } });
      await runWithVolume(volume, 'echo hello > /data/a.txt');
      const file = path.join(dir, 'backups', 'out.tar.gz');
      await assert.rejects(backupVolume(client, volume, file), localFileFailure('readOnly', file));
    }),
  );
});
