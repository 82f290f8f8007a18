import * as assert from 'node:assert/strict';
import { withoutTestOnlyOptions } from '../../src/core/testOnlyOptions';

describe('options that skip questions are honoured in test mode only', () => {
  const options = { target: 'data', mode: 'replace', acceptManifestDriver: true, maxEntries: 10 } as const;
  const testOnly = ['mode', 'acceptManifestDriver', 'maxEntries'] as const;

  it('drops them outside test mode, keeping what says what to act on', () => {
    assert.deepEqual(withoutTestOnlyOptions(options, testOnly, false), { target: 'data' });
  });

  it('keeps them when the extension runs its own tests', () => {
    assert.deepEqual(withoutTestOnlyOptions(options, testOnly, true), options);
  });

  it('never changes the caller object', () => {
    const given = { ...options };
    withoutTestOnlyOptions(given, testOnly, false);
    assert.deepEqual(given, options);
  });
});
