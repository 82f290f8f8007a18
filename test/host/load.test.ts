import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/constants';
import { TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, eventually } from './helpers';
import { volumeUri } from '../../src/views/volumeFileSystem';

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe('A burst of daemon events', function () {
  this.timeout(180_000);

  it('refreshes the views once per batching window, not once per event, and the view answers a command during the burst', async () => {
    const api = await activeApi();
    const { daemon, events, model, volumesTree } = api.context;
    await model.refresh();
    // A counting wrapper around the real client: every call still goes to the daemon.
    const client = daemon.client;
    const counted = client as unknown as Record<
      'listVolumes' | 'listContainers',
      (...args: unknown[]) => Promise<unknown>
    >;
    const original = { listVolumes: counted.listVolumes, listContainers: counted.listContainers };
    const calls = { listVolumes: 0, listContainers: 0 };
    counted.listVolumes = (...args: unknown[]) => {
      calls.listVolumes++;
      return original.listVolumes.apply(client, args as never);
    };
    counted.listContainers = (...args: unknown[]) => {
      calls.listContainers++;
      return original.listContainers.apply(client, args as never);
    };
    let batches = 0;
    const listener = events.onDidReceive(() => batches++);
    const docker = testDocker();
    const prefix = uniqueName('vlab-burst');
    const names = Array.from({ length: 250 }, (_, i) => `${prefix}-${i}`);
    const receivedBefore = events.received;
    try {
      const started = Date.now();
      await inParallel(names, 16, (name) => docker.createVolume({ Name: name, Labels: { [TEST_LABEL]: '1' } }));
      // Containers that mount some of them, start and die at once: mount, start, die, unmount events.
      const containers: string[] = [];
      await inParallel(names.slice(0, 10), 5, async (name) => {
        const container = await docker.createContainer({
          Image: TEST_IMAGE,
          Cmd: ['true'],
          Labels: { [TEST_LABEL]: '1' },
          HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: name, Target: '/data' }] },
        });
        containers.push(container.id);
        await container.start();
      });
      // Mid-burst: the removals go on while a command asks the view for its volumes.
      let burstOver = 0;
      const removals = inParallel(containers, 5, (id) => docker.getContainer(id).remove({ force: true }))
        .then(() => inParallel(names, 16, (name) => docker.getVolume(name).remove()))
        .then(() => {
          burstOver = Date.now();
        });
      await vscode.commands.executeCommand(COMMANDS.filterVolumes, { text: prefix });
      const shown = await volumesTree.getChildren();
      const answeredAt = Date.now();
      await vscode.commands.executeCommand(COMMANDS.clearVolumeFilter);
      await removals;
      assert.ok(Array.isArray(shown));
      assert.ok(
        answeredAt <= burstOver,
        `the view answered ${answeredAt - burstOver} ms after the burst ended instead of during it`,
      );
      const burstMs = burstOver - started;

      await eventually(
        () => (events.received - receivedBefore >= 500 ? true : undefined),
        '500 events received',
        30_000,
      );
      // Quiet again: the last window has fired and its listing is done.
      await new Promise((resolve) => setTimeout(resolve, events.debounceMs * 3));
      await model.refresh({ sizes: 'skip' });
      const windows = Math.ceil((Date.now() - started) / events.debounceMs);
      const listings = calls.listVolumes;
      console.log(
        `      burst: ${events.received - receivedBefore} events in ${burstMs} ms → ${batches} batches, ${listings} listings (window ${events.debounceMs} ms)`,
      );
      assert.ok(
        batches >= 1 && batches <= windows + 1,
        `${batches} batches for ${windows} windows of ${events.debounceMs} ms (burst ${burstMs} ms)`,
      );
      // One listing per batch, at most one queued behind a running one, plus the command's and ours.
      assert.ok(listings <= batches + 4, `${listings} listVolumes calls for ${batches} batches`);
      // The same bound by the clock: a debounce window starts at most one listing; the slack is the filter
      // command's refresh, our own refresh above, and one listing queued behind a running one.
      assert.ok(
        listings <= windows + 3,
        `${listings} listVolumes calls in ${windows} windows of ${events.debounceMs} ms`,
      );
      assert.ok(
        listings < (events.received - receivedBefore) / 10,
        `${listings} listVolumes calls for ${events.received - receivedBefore} events`,
      );
      assert.equal(calls.listContainers, listings, 'volumes and containers are listed together');
      assert.equal(
        model.volumes.filter((v) => v.name.startsWith(prefix)).length,
        0,
        'the view ends on the final state: every burst volume is gone',
      );
    } finally {
      listener.dispose();
      Reflect.deleteProperty(counted, 'listVolumes'); // back to the class's own methods
      Reflect.deleteProperty(counted, 'listContainers');
      await Promise.all(
        names.map((name) =>
          docker
            .getVolume(name)
            .remove()
            .catch(() => undefined),
        ),
      );
    }
  });
});

describe("Listing a volume's files", function () {
  this.timeout(60_000);

  it('does not make the views list again (no refresh loop through the Files tree, which lists through helper containers)', async () => {
    const api = await activeApi();
    const { daemon, events, files, model } = api.context;
    const docker = testDocker();
    const volume = uniqueName('vlab-files-quiet');
    await docker.createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const client = daemon.client;
    const counted = client as unknown as Record<'listVolumes', (...args: unknown[]) => Promise<unknown>>;
    const original = counted.listVolumes;
    let listings = 0;
    try {
      await model.refresh({ sizes: 'skip' });
      await new Promise((resolve) => setTimeout(resolve, events.debounceMs * 3));
      counted.listVolumes = (...args: unknown[]) => {
        listings++;
        return original.apply(client, args as never);
      };
      // Each listing creates and removes a helper container that mounts the volume.
      for (let i = 0; i < 3; i++) await files.readDirectory(volumeUri(volume, '/'));
      await new Promise((resolve) => setTimeout(resolve, events.debounceMs * 4));
      assert.equal(listings, 0, "listing a volume's files made the views list volumes again");
      // A container that is not ours still counts: the filter is on our helpers, not on every container.
      const other = await docker.createContainer({
        Image: TEST_IMAGE,
        Cmd: ['true'],
        Labels: { [TEST_LABEL]: '1' },
        HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
      });
      await other.remove({ force: true });
      await eventually(
        () => (listings > 0 ? true : undefined),
        'a listing after a user container came and went',
        10_000,
      );
    } finally {
      Reflect.deleteProperty(counted, 'listVolumes');
      await docker
        .getVolume(volume)
        .remove()
        .catch(() => undefined);
    }
  });
});
