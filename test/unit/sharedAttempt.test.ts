import * as assert from 'node:assert/strict';
import { SharedAttempt } from '../../src/docker/sharedAttempt';

/** A start function that counts its calls and whose attempts the test settles by hand. */
function controlledStart() {
  const settle: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  const start = () =>
    new Promise<number>((resolve, reject) => {
      settle.push({ resolve, reject });
    });
  return { start, settle };
}

describe('SharedAttempt', () => {
  it('starts once for callers that come while it runs, and keeps a success', async () => {
    const shared = new SharedAttempt<number>();
    const { start, settle } = controlledStart();
    const first = shared.get(start);
    const second = shared.get(start);
    assert.equal(settle.length, 1, 'the second caller waits on the first attempt');
    settle[0]!.resolve(7);
    assert.deepEqual(await Promise.all([first, second]), [7, 7]);
    assert.equal(await shared.get(start), 7);
    assert.equal(settle.length, 1, 'a success is kept');
  });

  it('forgets a failure: the next caller starts again', async () => {
    const shared = new SharedAttempt<number>();
    const { start, settle } = controlledStart();
    const failing = shared.get(start);
    settle[0]!.reject(new Error('daemon down'));
    await assert.rejects(failing, /daemon down/);
    const retry = shared.get(start);
    assert.equal(settle.length, 2, 'a new attempt after the failure');
    settle[1]!.resolve(3);
    assert.equal(await retry, 3);
  });

  it('after forget(), a late failure of the old attempt leaves the new one in place', async () => {
    const shared = new SharedAttempt<number>();
    const { start, settle } = controlledStart();
    const old = shared.get(start);
    shared.forget();
    const fresh = shared.get(start);
    settle[0]!.reject(new Error('old connection failed'));
    await assert.rejects(old, /old connection failed/);
    settle[1]!.resolve(5);
    assert.equal(await fresh, 5);
    assert.equal(await shared.get(start), 5);
    assert.equal(settle.length, 2, 'the newer attempt was not forgotten by the old one failing');
  });
});
