import * as assert from 'node:assert/strict';
import { shortEngineVersion } from '../../src/core/engineLabel';

describe('shortEngineVersion', () => {
  it('keeps major.minor of the versions engines report, and any other text as it is', () => {
    assert.equal(shortEngineVersion('20.10.24+dfsg1'), '20.10');
    assert.equal(shortEngineVersion('27.3.1'), '27.3');
    assert.equal(shortEngineVersion('v28.0.0-rc.1'), '28.0');
    assert.equal(shortEngineVersion('4.9.3'), '4.9');
    assert.equal(shortEngineVersion(' dev '), 'dev');
  });
});
