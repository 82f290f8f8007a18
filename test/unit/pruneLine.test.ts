import * as assert from 'node:assert/strict';
import { pruneCliArgs } from '../../src/core/pruneLine';

describe('the prune line shown', () => {
  it('is plain prune only where the engine prunes anonymous volumes only (API 1.42+)', () => {
    assert.deepEqual(pruneCliArgs('anonymous', '1.43', undefined, ['a1']), ['volume', 'prune']);
    assert.deepEqual(pruneCliArgs('anonymous', '1.52', 'app=x', ['a1']), ['volume', 'prune', '--filter', 'label=app=x']);
  });

  it('before API 1.42 (plain prune takes named volumes too), anonymous only is the rm of exactly what is removed', () => {
    assert.deepEqual(pruneCliArgs('anonymous', '1.41', undefined, ['a1', 'b2']), ['volume', 'rm', 'a1', 'b2']);
    assert.deepEqual(pruneCliArgs('anonymous', '1.41', 'app=x', ['a1']), ['volume', 'rm', 'a1']);
    assert.deepEqual(pruneCliArgs('anonymous', undefined, undefined, ['a1']), ['volume', 'rm', 'a1'], 'unknown engine: the exact line');
  });

  it('all unused volumes: prune --all where it exists, plain prune before', () => {
    assert.deepEqual(pruneCliArgs('all', '1.42', undefined, ['a']), ['volume', 'prune', '--all']);
    assert.deepEqual(pruneCliArgs('all', '1.41', 'k', ['a']), ['volume', 'prune', '--filter', 'label=k']);
  });
});
