import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every French string uses the words of docs/glossary-fr.md, never the forms its Avoid column lists. */
const root = path.resolve(__dirname, '../../..');

function avoidedForms(): string[] {
  const table = fs
    .readFileSync(path.join(root, 'docs/glossary-fr.md'), 'utf8')
    .split('\n')
    .filter((l) => /^\|/.test(l))
    .slice(2);
  return table.flatMap((row) =>
    (row.split('|')[3] ?? '')
      .split('·')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/** The French texts a user reads, code spans, code blocks, comments and link targets removed. */
function frenchTexts(): { where: string; text: string }[] {
  const texts: { where: string; text: string }[] = [];
  const strip = (t: string) =>
    t
      .replace(/```[\s\S]*?```/g, '')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/`[^`\n]*`/g, ' ')
      .replace(/\]\([^)]*\)/g, ']');
  for (const [k, v] of Object.entries(
    JSON.parse(fs.readFileSync(path.join(root, 'package.nls.fr.json'), 'utf8')) as Record<string, string>,
  ))
    texts.push({ where: `package.nls.fr.json ${k}`, text: strip(v) });
  for (const v of Object.values(
    JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.fr.json'), 'utf8')) as Record<string, string>,
  ))
    texts.push({ where: 'l10n/bundle.l10n.fr.json', text: strip(v) });
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of walk(path.join(root, 'walkthroughs')).filter((f) => f.endsWith('.nls.fr.md')))
    texts.push({ where: path.relative(root, file), text: strip(fs.readFileSync(file, 'utf8')) });
  return texts;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wholeWords = (form: string) => new RegExp(`(?<![\\p{L}\\p{N}_/.-])${escape(form)}(?![\\p{L}\\p{N}_/-])`, 'iu');

describe('French glossary', () => {
  it('lists forms to avoid, and no French string uses one', () => {
    const forms = avoidedForms();
    assert.ok(forms.length > 15, `only ${forms.length} forms read from the glossary`);
    const found: string[] = [];
    for (const { where, text } of frenchTexts()) {
      for (const form of forms)
        if (wholeWords(form).test(text))
          found.push(
            `${where}: "${form}" in «${text.slice(Math.max(0, text.search(wholeWords(form)) - 30), text.search(wholeWords(form)) + 40).replace(/\n/g, ' ')}»`,
          );
    }
    assert.deepEqual(found, [], found.join('\n'));
  });

  it('matches whole words only, outside code', () => {
    assert.ok(wholeWords('les logs').test('Suivre les logs.'));
    assert.ok(!wholeWords('les logs').test('Suivre les logsx'));
    assert.ok(!wholeWords('Prune…').test('Nettoyer…'));
  });
});
