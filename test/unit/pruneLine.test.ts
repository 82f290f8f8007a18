import * as assert from 'node:assert/strict';
import { apiAtLeast } from '../../src/core/apiVersion';
import { pruneLines } from '../../src/core/cliActions';

describe('the prune line shown', () => {
  it('compares API versions numerically (1.9 < 1.41 < 1.42), an unknown one as new', () => {
    assert.equal(apiAtLeast('1.41', '1.42'), false);
    assert.equal(apiAtLeast('1.42', '1.42'), true);
    assert.equal(apiAtLeast('1.52', '1.42'), true);
    assert.equal(apiAtLeast('1.9', '1.42'), false);
    assert.equal(apiAtLeast(undefined, '1.42'), true);
  });

  it('is plain prune only where the engine prunes anonymous volumes only (API 1.42+)', () => {
    assert.equal(pruneLines('anonymous', true, undefined, ['a1'], {}).prune, 'docker volume prune');
    assert.equal(pruneLines('anonymous', true, 'app=x', ['a1'], {}).prune, 'docker volume prune --filter label=app=x');
  });

  it('before API 1.42 (plain prune takes named volumes too), anonymous only is the rm of exactly what is removed', () => {
    const lines = pruneLines('anonymous', false, undefined, ['a1', 'b2'], {});
    assert.equal(lines.prune, undefined);
    assert.equal(lines.exact, 'docker volume rm a1 b2');
  });
});
