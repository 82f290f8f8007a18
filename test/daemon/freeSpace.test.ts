import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { volumeFreeSpace } from '../../src/docker/freeSpace';
import { cleanupTestObjects, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../support/docker';

const client = new DockerodeClient({
  endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
  timeoutMs: 60_000,
});
const helper = { shellImage: TEST_IMAGE, networkMode: 'none', labels: { [TEST_LABEL]: '1' } };

describe("Free space on the daemon's side", function () {
  this.timeout(60_000);
  after(() => cleanupTestObjects());

  it('reads the free space where the daemon keeps volumes, for an existing volume and for a new one, leaving nothing behind', async () => {
    const volume = uniqueName('vlab-free');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const before = new Set((await testDocker().listVolumes()).Volumes.map((v) => v.Name));
    const existing = (await volumeFreeSpace(client, volume, helper)).bytes;
    const fresh = (await volumeFreeSpace(client, undefined, helper)).bytes;
    assert.ok(existing !== undefined && existing > 0, `free bytes: ${existing}`);
    assert.ok(
      fresh !== undefined && Math.abs(fresh - existing) < Math.max(64 * 1024 * 1024, existing * 0.02),
      'a new local volume lands on the same disk',
    );
    const root = process.env.VOLUMES_LAB_DOCKERD_ROOT;
    if (root && fs.existsSync(root)) {
      // Our private daemon keeps its data here: the daemon's df and this machine's agree (other writers aside).
      const stat = fs.statfsSync(root);
      const local = stat.bavail * stat.bsize;
      assert.ok(
        Math.abs(local - existing) < Math.max(256 * 1024 * 1024, local * 0.05),
        `daemon ${existing} vs local ${local}`,
      );
      if (stat.files > 0) {
        const inodes = (await volumeFreeSpace(client, volume, helper)).inodes;
        assert.ok(
          inodes !== undefined && Math.abs(stat.ffree - inodes) < Math.max(10_000, stat.ffree * 0.05),
          `free inodes: daemon ${inodes} vs local ${stat.ffree}`,
        );
      }
    }
    const after = (await testDocker().listVolumes()).Volumes.map((v) => v.Name).filter((n) => !before.has(n));
    assert.deepEqual(after, [], 'the anonymous volume went with its container');
    assert.deepEqual((await testDocker().listContainers({ all: true, filters: { label: [TEST_LABEL] } })).length, 0);
  });

  it('says it cannot tell when the shell image is not on the daemon, rather than pulling it', async () => {
    assert.deepEqual(
      await volumeFreeSpace(client, undefined, { ...helper, shellImage: 'volumes-lab/not-here:never' }),
      {},
    );
  });

  it('reads the free inodes of a volume whose file system has few, where bytes would say it fits', async () => {
    const volume = uniqueName('vlab-inodes');
    await testDocker().createVolume({
      Name: volume,
      Labels: { [TEST_LABEL]: '1' },
      DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=16m,nr_inodes=300' },
    });
    const free = await volumeFreeSpace(client, volume, helper);
    assert.ok(free.bytes !== undefined && free.bytes > 8 * 1024 * 1024, `bytes: ${free.bytes}`);
    assert.ok(free.inodes !== undefined && free.inodes > 200 && free.inodes <= 300, `inodes: ${free.inodes}`);
  });
});
