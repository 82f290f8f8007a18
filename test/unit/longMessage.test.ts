import * as assert from 'node:assert/strict';
import { NOTIFICATION_CHARS, splitLongMessage, SUMMARY_CHARS } from '../../src/core/longMessage';

describe('long notification messages', () => {
  it('keeps a short message whole, with no details', () => {
    assert.deepEqual(splitLongMessage('Volume data was kept. Remove it by hand.'), {
      summary: 'Volume data was kept. Remove it by hand.',
    });
  });

  it('shows the first sentence of a long message and keeps the whole text for Details', () => {
    const text =
      'Image busybox:1.36 is not on this Docker host and cannot be pulled (no network). ' +
      'Pick a local image in volumesLab.backup.shellImage, or check the network, then run the command again.';
    assert.ok(text.length > NOTIFICATION_CHARS);
    const split = splitLongMessage(text);
    assert.equal(split.summary, 'Image busybox:1.36 is not on this Docker host and cannot be pulled (no network).');
    assert.equal(split.details, text, 'Details holds the advice too');
  });

  it('does not end a sentence inside a file name or a version', () => {
    const text = `pgdata-2026-11-30.tar.gz was made by Docker 27.1.0 on API 1.47, newer than this engine and its checks, so its manifest cannot be trusted here. Restore it on the engine that made it.`;
    const split = splitLongMessage(text);
    assert.match(split.summary, /^pgdata-2026-11-30\.tar\.gz was made by Docker 27\.1\.0 on API 1\.47/);
    assert.equal(split.details, text);
  });

  it('keeps a first sentence whole when it is a little over the notification length', () => {
    const first = `The Docker daemon reported an error: Image 127.0.0.1:1/lab/an-image-no-registry-serves:1 is not on this Docker host and cannot be pulled (server error).`;
    assert.ok(first.length > NOTIFICATION_CHARS && first.length <= SUMMARY_CHARS);
    const split = splitLongMessage(`${first} Pick a local image, or check the network.`);
    assert.equal(split.summary, first);
  });

  it('cuts a first sentence that is itself too long at a word, and says it goes on', () => {
    const text = `${'word '.repeat(60)}end. Then advice.`;
    const split = splitLongMessage(text);
    assert.ok(split.summary.length <= NOTIFICATION_CHARS, split.summary);
    assert.match(split.summary, /word…$/);
    assert.equal(split.details, text);
  });

  it('treats a line break as the end of a sentence', () => {
    const text = `The backup folder cannot be written.\n${'Details of the failure that go on and on. '.repeat(4)}`;
    assert.equal(splitLongMessage(text).summary, 'The backup folder cannot be written.');
  });
});
