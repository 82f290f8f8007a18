// Removing volumes on a real engine: a volume held by containers goes only with the caller's yes, and then with them.
import * as assert from 'node:assert/strict';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import type { VolumeRow } from '../../src/core/volumeModel';
import { pruneFlow } from '../../src/flows/prune';
import { removeVolumesFlow } from '../../src/flows/removeVolumes';
import { recordingFlowDeps } from '../support/flowDeps';
import { cleanupTestObjects, TEST_IMAGE, TEST_LABEL, testDocker, volumeExists, uniqueName } from '../support/docker';

const client = new DockerodeClient({
  endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
  timeoutMs: 30_000,
});
const { deps, cli: lines } = recordingFlowDeps(client);
const docker = testDocker();
const neverAsked = () => Promise.reject(new Error('asked although the choices said what to do'));

/** A volume held by a container: running (`sleep`) or created and never started. */
async function heldVolume(running: boolean): Promise<{ volume: string; container: string }> {
  const volume = uniqueName('vlab-remove');
  await client.createVolume({ name: volume, labels: { [TEST_LABEL]: '1' } });
  const container = uniqueName('vlab-holder');
  const made = await docker.createContainer({
    name: container,
    Image: TEST_IMAGE,
    Cmd: ['sleep', '300'],
    Labels: { [TEST_LABEL]: '1' },
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
  });
  if (running) await made.start();
  return { volume, container };
}

describe('remove volumes flow on a real engine', function () {
  this.timeout(90_000);
  after(() => cleanupTestObjects());

  it('removes a free volume and keeps one already gone, saying so', async () => {
    const free = uniqueName('vlab-free');
    await client.createVolume({ name: free, labels: { [TEST_LABEL]: '1' } });
    const gone = uniqueName('vlab-gone');
    const result = await removeVolumesFlow(deps, [free, gone], { confirmStoppedContainers: neverAsked });
    assert.deepEqual(result, {
      removed: [free],
      kept: [{ name: gone, reason: 'it no longer exists' }],
      removedContainers: [],
    });
    assert.equal(await volumeExists(free), false);
  });

  it('keeps a volume a running container uses unless told to stop and remove it, then removes both', async () => {
    const { volume, container } = await heldVolume(true);
    const kept = await removeVolumesFlow(deps, [volume], { confirmStoppedContainers: neverAsked });
    assert.deepEqual(kept.removed, []);
    assert.match(kept.kept[0]!.reason, new RegExp(`running containers use it \\(${container}\\)`));
    assert.equal(await volumeExists(volume), true);
    lines.length = 0;
    const removed = await removeVolumesFlow(deps, [volume], {
      removeRunningContainers: true,
      confirmStoppedContainers: neverAsked,
    });
    assert.deepEqual(removed, { removed: [volume], kept: [], removedContainers: [container] });
    assert.equal(await volumeExists(volume), false);
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
      ['docker volume rm', 'docker stop ' + container, 'docker rm ' + container, 'docker volume rm'],
    );
  });

  it('asks about stopped holders when not told, and keeps the volume on a no', async () => {
    const { volume, container } = await heldVolume(false);
    const asked: string[][] = [];
    const no = await removeVolumesFlow(deps, [volume], {
      confirmStoppedContainers: (name, containers) => {
        asked.push([name, ...containers]);
        return Promise.resolve(false);
      },
    });
    assert.deepEqual(asked, [[volume, container]]);
    assert.deepEqual(no.kept, [{ name: volume, reason: `stopped containers use it (${container})` }]);
    const yes = await removeVolumesFlow(deps, [volume], {
      removeStoppedContainers: true,
      confirmStoppedContainers: neverAsked,
    });
    assert.deepEqual(yes, { removed: [volume], kept: [], removedContainers: [container] });
    assert.equal(await volumeExists(volume), false);
  });

  it('prunes through the flow: removes the free volumes, keeps one a container took meanwhile, skips one gone', async () => {
    const free = uniqueName('vlab-prune');
    await client.createVolume({ name: free, labels: { [TEST_LABEL]: '1' } });
    const taken = await heldVolume(false);
    const gone = uniqueName('vlab-gone');
    const row = (name: string, size: number) => ({ volume: { name }, size }) as unknown as VolumeRow;
    const seen: string[] = [];
    const outcome = await pruneFlow(deps, [row(free, 100), row(taken.volume, 50), row(gone, 7)], (name) =>
      seen.push(name),
    );
    assert.deepEqual(outcome, { removed: [free], keptBecauseUsed: [taken.volume], reclaimedBytes: 100 });
    assert.deepEqual(seen, [free, taken.volume, gone]);
    assert.equal(await volumeExists(free), false);
    assert.equal(await volumeExists(taken.volume), true);
  });

  it('stops pruning when cancelled, before the next volume', async () => {
    const kept = uniqueName('vlab-prune');
    await client.createVolume({ name: kept, labels: { [TEST_LABEL]: '1' } });
    const outcome = await pruneFlow(
      deps,
      [{ volume: { name: kept } } as unknown as VolumeRow],
      () => undefined,
      AbortSignal.abort(),
    );
    assert.deepEqual(outcome, { removed: [], keptBecauseUsed: [], reclaimedBytes: 0 });
    assert.equal(await volumeExists(kept), true);
  });
});
