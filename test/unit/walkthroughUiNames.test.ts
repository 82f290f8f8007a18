import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A walkthrough step that names a part of the UI must name it as the user sees it in that language: views,
 * tree nodes, commands and buttons quoted in bold or italics, and every "the X view" / "la vue X".
 */
const root = path.resolve(__dirname, '../../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, string>;

type Lang = 'en' | 'fr';
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: {
    walkthroughs: { id: string; steps: { id: string; media: { markdown?: string } }[] }[];
    views: Record<string, { id: string; name: string }[]>;
  };
};

/** A label as a step may quote it: whole, without its ellipsis, before a parenthesis or a colon. */
function variants(label: string): string[] {
  const out = new Set<string>();
  for (const line of label.split('\n')) {
    const text = line.trim();
    if (!text) continue;
    const bare = text.replace(/(…|\.\.\.)$/, '').trim();
    out.add(text).add(bare);
    out.add(bare.replace(/\s*\([^)]*\)$/, '').trim());
    const beforeColon = /^([^:]+?)\s*:\s/.exec(text);
    if (beforeColon) out.add(beforeColon[1]!);
  }
  return [...out].filter(Boolean);
}

function labels(lang: Lang): Set<string> {
  const nls = readJson(lang === 'en' ? 'package.nls.json' : 'package.nls.fr.json');
  const bundle = lang === 'fr' ? readJson('l10n/bundle.l10n.fr.json') : {};
  const texts = [
    ...Object.values(nls),
    ...(lang === 'en' ? Object.keys(readJson('l10n/bundle.l10n.fr.json')) : Object.values(bundle)),
  ];
  const set = new Set<string>();
  for (const text of texts) {
    for (const link of text.matchAll(/\[([^\]]+)\]\(command:[^)]*\)/g)) for (const v of variants(link[1]!)) set.add(v);
    for (const v of variants(text.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1'))) set.add(v);
  }
  return set;
}

function viewNames(lang: Lang): Set<string> {
  const nls = readJson(lang === 'en' ? 'package.nls.json' : 'package.nls.fr.json');
  return new Set(
    Object.values(manifest.contributes.views)
      .flat()
      .map((v) => nls[v.name.replace(/^%|%$/g, '')] ?? v.name),
  );
}

function stepFiles(lang: Lang): string[] {
  return manifest.contributes.walkthroughs
    .flatMap((w) => w.steps.map((s) => s.media.markdown))
    .filter((m): m is string => Boolean(m))
    .map((m) => (lang === 'en' ? m : m.replace(/\.md$/, '.nls.fr.md')));
}

/** Prose only: code blocks, inline code and HTML comments removed. */
const prose = (markdown: string) =>
  markdown
    .replace(/```[\s\S]*?```/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/`[^`\n]*`/g, '`…`');

const UI_WORDS: Record<Lang, RegExp> = {
  en: /^\s*(view|button|node|group|output|command|form|menu|walkthrough)\b/i,
  fr: /^\s*(vue|bouton|nœud|groupe|sortie|commande|formulaire|menu|parcours)\b/i,
};
const UI_WORDS_BEFORE: Record<Lang, RegExp> = {
  en: /\b(the|its) (view|button|node|group|command)\s*$/i,
  fr: /\b(la vue|le bouton|le nœud|le groupe|la commande|le parcours)\s*$/i,
};

/** Bold and italic spans that name a UI part: a label in either language, or next to a word like "view". */
export function quotedUiNames(markdown: string, lang: Lang, anyLabel: Set<string>): string[] {
  const text = prose(markdown);
  const names: string[] = [];
  for (const m of text.matchAll(/(\*\*|\*)([^*\n]+?)\1/g)) {
    const name = m[2]!.trim();
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 20);
    const before = text.slice(Math.max(0, m.index - 20), m.index);
    const inUiContext = UI_WORDS[lang].test(after) || (UI_WORDS_BEFORE[lang].test(before) && /^[A-ZÀ-Ý]/.test(name));
    if (anyLabel.has(name) || inUiContext) names.push(name);
  }
  return names;
}

describe('walkthrough UI names', () => {
  const en = labels('en');
  const fr = labels('fr');
  const any = new Set([...en, ...fr]);

  for (const lang of ['en', 'fr'] as const) {
    it(`names in ${lang === 'en' ? 'English' : 'French'} steps only the UI labels the user sees in that language`, () => {
      const own = lang === 'en' ? en : fr;
      const views = viewNames(lang);
      const wrong: string[] = [];
      let checked = 0;
      for (const file of stepFiles(lang)) {
        const markdown = fs.readFileSync(path.join(root, file), 'utf8');
        for (const name of quotedUiNames(markdown, lang, any)) {
          checked++;
          if (!own.has(name)) wrong.push(`${file}: "${name}"`);
        }
        const viewMention = lang === 'en' ? /\b(?:the|its) \**([A-Z][\w]*)\** view\b/g : /\bvue \**([A-Z][\w]*)\**/g;
        for (const m of prose(markdown).matchAll(viewMention)) {
          checked++;
          if (!views.has(m[1]!)) wrong.push(`${file}: view "${m[1]}"`);
        }
      }
      assert.ok(checked > 30, `only ${checked} UI names found: is the collection broken?`);
      assert.deepEqual(wrong, [], `UI names that are not ${lang} labels:\n${wrong.join('\n')}`);
    });
  }

  it('finds a label of the other language, and a name next to a UI word', () => {
    const names = quotedUiNames(
      'Open the **Mounts** view, then *In use*, then **Nouvelle chose** bouton, and **emphasis**.',
      'fr',
      new Set(['Mounts', 'In use']),
    );
    assert.deepEqual(names, ['Mounts', 'In use', 'Nouvelle chose']);
    assert.ok(!labels('fr').has('Mounts') && labels('fr').has('Montages'));
  });
});
