import * as assert from 'node:assert/strict';
import { displayVolumeName, isAnonymousVolumeName } from '../../src/core/naming';

describe('volume names', () => {
  const anonymous = 'a'.repeat(32) + '0123456789abcdef0123456789abcdef';
  it('recognises anonymous names', () => {
    assert.equal(isAnonymousVolumeName(anonymous), true);
    assert.equal(isAnonymousVolumeName('pgdata'), false);
    assert.equal(isAnonymousVolumeName(anonymous.toUpperCase()), false);
    assert.equal(isAnonymousVolumeName(anonymous.slice(1)), false);
  });
  it('shortens anonymous names only', () => {
    assert.equal(displayVolumeName(anonymous), 'aaaaaaaaaaaa…');
    assert.equal(displayVolumeName('pgdata'), 'pgdata');
  });
});
