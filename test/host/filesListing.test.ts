import * as assert from 'node:assert/strict';
import { HELPER_LABEL } from '../../src/docker/dockerodeClient';
import { volumeUri } from '../../src/views/volumeFileSystem';
import { cleanupTestObjects, runWithVolume, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi } from './helpers';

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
      (await testDocker().listContainers({ all: true, filters: { label: [`${HELPER_LABEL}=${volume}`] } })).length;
    for (let i = 0; i < 50 && (await helpers()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await helpers(), 0, 'the helper is removed');
    assert.deepEqual(
      (await api.context.files.listDirectory(volumeUri(volume, '/'))).map(([name]) => name),
      ['big'],
      'a later listing works',
    );
  });
});
