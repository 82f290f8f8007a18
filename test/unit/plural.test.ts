import * as assert from 'node:assert/strict';
import { byCount } from '../../src/core/plural';

describe('plural forms of counts', () => {
  const volumes = (n: number, locale: string) => byCount(n, locale, `${n} volume`, `${n} volumes`);

  it('English: only 1 is singular', () => {
    assert.deepEqual(
      [0, 1, 2, 21].map((n) => volumes(n, 'en')),
      ['0 volumes', '1 volume', '2 volumes', '21 volumes'],
    );
    assert.equal(volumes(1, 'en-GB'), '1 volume');
  });

  it('French: 0 and 1 are singular, and so is 1.5', () => {
    assert.deepEqual(
      [0, 1, 1.5, 2, 21].map((n) => volumes(n, 'fr')),
      ['0 volume', '1 volume', '1.5 volume', '2 volumes', '21 volumes'],
    );
    assert.equal(volumes(0, 'fr-CA'), '0 volume');
  });

  it('a language with more forms, or an unknown tag, still gets one of the two sentences', () => {
    // Polish: 2-4 are "few", 5+ "many": both are the plural sentence here.
    assert.deepEqual(
      [1, 3, 5].map((n) => volumes(n, 'pl')),
      ['1 volume', '3 volumes', '5 volumes'],
    );
    assert.equal(volumes(1, 'not a locale!'), '1 volume');
    assert.equal(volumes(0, 'not a locale!'), '0 volumes');
  });
});
