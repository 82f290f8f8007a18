import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { VIEWS } from '../../src/constants';
import { LABELS } from '../../src/core/labels';
import { volumeUri } from '../../src/views/volumeFileSystem';
import { cleanupTestObjects, runWithVolume, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, eventually } from './helpers';

/** The Files tree stops a folder listing no one waits for (collapsed, or listed again). */
describe('Files listing cancelled', function () {
  this.timeout(120_000);
  after(() => cleanupTestObjects());

  it('stops the archive stream and removes its helper when the listing is aborted', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-listing');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    // One folder whose subtree the archive API streams whole: 64 MiB of content below the listed folder.
    await runWithVolume(
      volume,
      'mkdir -p /data/big && for i in 1 2 3 4 5 6 7 8; do dd if=/dev/urandom of=/data/big/f$i bs=1M count=8 2>/dev/null; done',
    );
    const listing = new AbortController();
    const started = api.context.files.listDirectory(volumeUri(volume, '/big'), listing.signal);
    setTimeout(() => listing.abort(), 50);
    await assert.rejects(started, 'an aborted listing does not resolve as if complete');
    const helpers = async () =>
      (await testDocker().listContainers({ all: true, filters: { label: [`${LABELS.helper}=${volume}`] } })).length;
    for (let i = 0; i < 50 && (await helpers()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await helpers(), 0, 'the helper is removed');
    assert.deepEqual(
      (await api.context.files.listDirectory(volumeUri(volume, '/'))).map(([name]) => name),
      ['big'],
      'a later listing works',
    );
  });

  it('stops the listing of a Files folder collapsed in the Volumes view while it runs', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-collapse');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    await runWithVolume(volume, 'mkdir -p /data/big && echo content > /data/big/file');
    await api.context.model.refresh();
    // Watches the listings the tree asks of the file system (which signal, how each ended), and holds each back until
    // the folder is collapsed: the real listing then runs with the signal the collapse left, whatever the timing.
    type ListDirectory = (uri: vscode.Uri, signal?: AbortSignal) => Promise<[string, vscode.FileType][]>;
    const files = api.context.files as unknown as { listDirectory: ListDirectory };
    const original = files.listDirectory;
    const listings: { signal: AbortSignal | undefined; outcome: Promise<string> }[] = [];
    let release: () => void = () => undefined;
    const collapsed = new Promise<void>((resolve) => (release = resolve));
    files.listDirectory = (uri, signal) => {
      if (uri.toString() !== volumeUri(volume, '/').toString()) return original.call(files, uri, signal);
      const running = collapsed.then(() => original.call(files, uri, signal));
      listings.push({
        signal,
        outcome: running.then(
          () => 'completed',
          () => 'stopped',
        ),
      });
      return running;
    };
    const helpers = async () =>
      (await testDocker().listContainers({ all: true, filters: { label: [`${LABELS.helper}=${volume}`] } })).length;
    try {
      assert.equal(await api.context.volumesTree.reveal(volume), true);
      const row = api.context.volumesView.selection[0];
      assert.ok(row, 'the volume is selected');
      // Expands the volume and, one level down, its Files folder: the tree lists / through a helper. Not awaited: the
      // reveal ends when the listing does, and the listing waits for the collapse.
      const revealing = Promise.resolve(api.context.volumesView.reveal(row, { expand: 2 })).catch(() => undefined);
      const listing = await eventually(() => listings[0], 'the Files folder listed');
      assert.equal(listing.signal?.aborted, false, 'not aborted before the collapse');
      await vscode.commands.executeCommand(`workbench.actions.treeView.${VIEWS.volumes}.collapseAll`);
      await eventually(() => (listing.signal?.aborted ? true : undefined), 'the listing aborted by the collapse', 5000);
      release();
      assert.equal(await listing.outcome, 'stopped', 'the listing does not run on');
      await revealing;
      for (let i = 0; i < 50 && (await helpers()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(await helpers(), 0, 'its helper container is removed');
    } finally {
      release();
      files.listDirectory = original;
    }
  });
});
