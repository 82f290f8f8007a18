import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stepLines } from '../support/labCliCases';

/**
 * A learner who types what a step shows must complete the step: so every step with a predicate shows, in
 * English and in French, each line its buttons stand for, as `labCliLines` builds it with the default
 * settings (lab image alpine, postgres:13, no `-H`, no network mode). The course's own form may stand
 * beside it. Whitespace is normalised (the text wraps). A bind source under a lab folder (`${lab:x}`) is
 * the learner's own path (the text writes it `"$(pwd)"/flask`): it is matched as any text without spaces up to
 * what follows the lab's folder name.
 */
const root = path.resolve(__dirname, '../../..');
const LAB_FOLDER = '/LAB-FOLDER/';
const inputs = {
  labImage: 'alpine',
  postgresImage: 'postgres:13',
  labFolder: (lab: string) => `${LAB_FOLDER}${lab}`,
  now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
};

/** Steps whose buttons' lines the text does not show verbatim, and why. */
const STEP_EXCEPTIONS: Record<string, string> = {
  'volumesBasics.flaskPostgres':
    'the button line masks the password (`****`): typed as shown it sets that password; the text shows the lines with a real one',
  'dataManagement.postgresPersistence':
    'the button line masks the password (`****`); the text shows the lines with a real one',
  'dataManagement.backup':
    "an image step; the archive goes to the learner's backup folder under a timestamped name: its description gives the course's form",
  'dataManagement.restore':
    "the archive is the learner's own backup (folder setting and timestamped name); not yet shown in the button's form",
  'dataManagement.writableLayer':
    "an image step: its description gives the course's `-it … ubuntu bash` form, not the button's",
  'volumesBasics.wrapUp':
    'Reset Module names every object the module may have made; typed after a run that did not make them all, it fails with "No such"; the step teaches prune',
  'dataManagement.wrapUp': 'Reset Module names every object the module may have made (see volumesBasics.wrapUp)',
  'volumesRecap.wrapUp': 'Reset Module names every object the module may have made (see volumesBasics.wrapUp)',
  'sidecarLab.cleanUp': 'Reset Module names every object the module may have made (see volumesBasics.wrapUp)',
};

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: {
    walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown?: string } }[] }[];
  };
};
const nls = {
  en: JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>,
  fr: JSON.parse(fs.readFileSync(path.join(root, 'package.nls.fr.json'), 'utf8')) as Record<string, string>,
};

const normalise = (text: string) => text.replace(/\s+/g, ' ');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a step shows in a language: its Markdown, or its description when its media is an image. */
function stepText(walkthrough: string, stepId: string, lang: 'en' | 'fr'): { where: string; text: string } {
  const step = manifest.contributes.walkthroughs.find((w) => w.id === walkthrough)?.steps.find((s) => s.id === stepId);
  assert.ok(step, `${walkthrough}.${stepId} is not in package.json`);
  const markdown = step.media.markdown;
  if (markdown) {
    const file = lang === 'en' ? markdown : markdown.replace(/\.md$/, '.nls.fr.md');
    return { where: file, text: fs.readFileSync(path.join(root, file), 'utf8') };
  }
  const key = step.description.replace(/^%|%$/g, '');
  return { where: `package.nls${lang === 'fr' ? '.fr' : ''}.json ${key}`, text: nls[lang][key] ?? '' };
}

/** A line as a pattern: the lab folder stands for any path. */
function linePattern(line: string): RegExp {
  const parts = normalise(line).split(LAB_FOLDER).map(escape);
  return new RegExp(parts.map((p, i) => (i === 0 ? p : `\\S*?${p.replace(/^[a-z-]+/, '')}`)).join(''));
}

describe('walkthrough steps show the lines their buttons run', () => {
  const steps = stepLines(inputs).filter((s) => s.step.done && s.actions.some((a) => a.lines.length));

  it('finds the steps with a predicate and lines', () => {
    assert.ok(steps.length >= 25, `only ${steps.length} steps`);
  });

  it('lists exceptions only for steps that have a predicate and lines', () => {
    const ids = new Set(steps.map((s) => s.id));
    for (const id of Object.keys(STEP_EXCEPTIONS))
      assert.ok(ids.has(id), `${id} is an exception but has no predicate or no lines`);
  });

  for (const s of steps) {
    if (STEP_EXCEPTIONS[s.id]) continue;
    for (const lang of ['en', 'fr'] as const) {
      it(`${s.id} (${lang}) shows each button line`, () => {
        const { where, text } = stepText(s.module.id, s.step.id, lang);
        const shown = normalise(text);
        const missing = s.actions.flatMap((a) => a.lines).filter((line) => !linePattern(line).test(shown));
        assert.deepEqual(missing, [], `${where} does not show these lines`);
      });
    }
  }
});
