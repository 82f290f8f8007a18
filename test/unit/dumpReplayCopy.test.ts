import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DockerClient } from '../../src/docker/client';
import { restoreDump } from '../../src/docker/dump';
import { DockerError } from '../../src/docker/errors';

/** Before a dump is replayed it is copied once into a private folder: only a regular file, never a device's stream. */
describe('dump replay: the private copy', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-dump-copy-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Never reached: the file is refused before anything is sent to a container.
  const unusedClient = new Proxy({}, { get: () => assert.fail('the daemon was asked') }) as DockerClient;
  const restore = { command: ['psql'], env: [] };

  it('refuses a link to a device (it would fill the temporary folder) without asking the daemon', async () => {
    const planted = path.join(dir, 'zero.sql.gz');
    fs.symlinkSync('/dev/zero', planted);
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('vlab-replay-')).length;
    await assert.rejects(restoreDump(unusedClient, 'db', restore, planted), (err: unknown) => {
      assert.ok(err instanceof DockerError);
      assert.deepEqual(err.reason, { id: 'notRegularFile', file: planted });
      return true;
    });
    const after = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('vlab-replay-')).length;
    assert.equal(after, before, 'no private copy left behind');
  });

  it('says a missing dump is missing', async () => {
    await assert.rejects(restoreDump(unusedClient, 'db', restore, path.join(dir, 'gone.sql.gz')), (err: unknown) => {
      assert.ok(err instanceof DockerError);
      assert.equal(err.reason?.id, 'noFile');
      return true;
    });
  });
});
