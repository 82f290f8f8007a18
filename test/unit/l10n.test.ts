import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const readJson = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every string given to `l10n.t(...)` in src/, unescaped as JavaScript would. */
function localizedStrings(): { strings: Set<string>; nonLiteral: string[] } {
  const strings = new Set<string>();
  const nonLiteral: string[] = [];
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const call of text.matchAll(/l10n\.t\(\s*/g)) {
      const rest = text.slice(call.index + call[0].length);
      const literal = /^(['"])((?:\\.|(?!\1)[^\\])*)\1/.exec(rest);
      if (!literal) {
        nonLiteral.push(`${path.relative(root, file)}: ${rest.slice(0, 40)}`);
        continue;
      }
      strings.add(JSON.parse(`"${literal[2]!.replace(/\\'/g, "'").replace(/(?<!\\)"/g, '\\"')}"`) as string);
    }
  }
  return { strings, nonLiteral };
}

const placeholders = (s: string) =>
  [...s.matchAll(/\{\d+\}/g)]
    .map((m) => m[0])
    .sort()
    .join(',');

describe('localization', () => {
  it('gives every l10n.t string a French translation, with the same placeholders, and keeps no stale ones', () => {
    const { strings, nonLiteral } = localizedStrings();
    assert.deepEqual(nonLiteral, [], 'l10n.t takes a string literal, so it can be extracted');
    assert.ok(strings.size > 10);
    const fr = readJson('l10n/bundle.l10n.fr.json') as Record<string, string>;
    assert.deepEqual(
      [...strings].filter((s) => !(s in fr)),
      [],
      'missing in l10n/bundle.l10n.fr.json',
    );
    assert.deepEqual(
      Object.keys(fr).filter((k) => !strings.has(k)),
      [],
      'stale in l10n/bundle.l10n.fr.json',
    );
    for (const [en, translated] of Object.entries(fr)) {
      assert.equal(placeholders(translated), placeholders(en), `placeholders of ${JSON.stringify(en)}`);
      assert.ok(translated.trim(), `empty translation of ${JSON.stringify(en)}`);
    }
  });

  it('has every manifest %key% in English and French, and nothing else', () => {
    const manifest = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    const keys = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!));
    const en = readJson('package.nls.json');
    const fr = readJson('package.nls.fr.json');
    assert.deepEqual(
      [...keys].filter((k) => !(k in en)),
      [],
      'missing in package.nls.json',
    );
    assert.deepEqual(
      Object.keys(en).filter((k) => !keys.has(k)),
      [],
      'unused in package.nls.json',
    );
    assert.deepEqual(Object.keys(en).sort(), Object.keys(fr).sort(), 'package.nls.fr.json has the same keys');
    for (const key of Object.keys(en)) {
      const links = (s: unknown) => [...String(s).matchAll(/\(command:[^)]+\)/g)].map((m) => m[0]).join(' ');
      assert.equal(links(fr[key]), links(en[key]), `command links of ${key}`);
    }
  });
});
