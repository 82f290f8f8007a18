import * as assert from 'node:assert/strict';
import { raceAbort, withTimeout } from '../../src/docker/abort';

describe('raceAbort and withTimeout', () => {
  it('rejects when the signal aborts even if the work never settles, and hands the late result to abandon', async () => {
    const guard = withTimeout(20);
    let finish: (value: { destroyed: boolean }) => void = () => undefined;
    const work = new Promise<{ destroyed: boolean }>((resolve) => {
      finish = resolve;
    });
    const abandoned: { destroyed: boolean }[] = [];
    await assert.rejects(
      raceAbort(work, guard.signal, (late) => {
        late.destroyed = true;
        abandoned.push(late);
      }),
      { name: 'AbortError' },
    );
    assert.ok(guard.timedOut());
    const late = { destroyed: false };
    finish(late);
    await work;
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(abandoned, [{ destroyed: true }], 'what arrives after the timeout is handed over once');
    guard.dispose();
  });

  it('settles with the work when it wins, and does not abandon it', async () => {
    const guard = withTimeout(1_000);
    let abandoned = 0;
    assert.equal(await raceAbort(Promise.resolve(7), guard.signal, () => abandoned++), 7);
    guard.dispose();
    assert.equal(abandoned, 0);
  });

  it('does not time out while paused, and does after restart', async () => {
    const guard = withTimeout(30);
    guard.pause();
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(guard.signal.aborted, false);
    guard.restart();
    await new Promise((r) => setTimeout(r, 60));
    assert.ok(guard.timedOut());
    guard.dispose();
  });
});
