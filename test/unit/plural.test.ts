import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byCount, numberText } from '../../src/core/plural';

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

describe('French counts through the shipped bundle', () => {
  const bundle = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../../../l10n/bundle.l10n.fr.json'), 'utf8'),
  ) as Record<string, string>;
  // The sentence pairs countText picks from: "{0} volume" / "{0} volumes", "Remove {0} Volume" / "… Volumes"…
  const pairs = Object.keys(bundle)
    .filter((one) => one.includes('{0}') && bundle[`${one}s`] !== undefined)
    .map((one) => ({ one: bundle[one]!, other: bundle[`${one}s`]! }));

  it('finds the pairs, and each French pair has two different sentences', () => {
    assert.ok(pairs.length >= 7, `only ${pairs.length} singular/plural pairs found in the French bundle`);
    for (const p of pairs) assert.notEqual(p.one, p.other, `French singular and plural are the same: ${p.one}`);
  });

  it('0 and 1 take the French singular, 2 the plural', () => {
    for (const p of pairs) {
      const say = (n: number) => byCount(n, 'fr', p.one.replace('{0}', String(n)), p.other.replace('{0}', String(n)));
      assert.equal(say(0), p.one.replace('{0}', '0'));
      assert.equal(say(1), p.one.replace('{0}', '1'));
      assert.equal(say(2), p.other.replace('{0}', '2'));
    }
  });

  it('numbers are written the French way', () => {
    assert.equal(numberText(0.5, 'fr'), '0,5');
    assert.equal(numberText(0.5, 'en'), '0.5');
    assert.equal(numberText(2, 'not a locale!'), '2');
  });
});
