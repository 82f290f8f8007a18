#!/usr/bin/env node
// Course coverage: every distinct `docker …` command of the course (../shared/seeds or COURSE_DIR) and the
// walkthrough step that shows or runs it. A command counts as covered when a step's English Markdown, or
// its description in package.nls.json, contains it (spaces normalised, `\` line continuations joined).
// Usage: node scripts/course-coverage.mjs [--json] [--min <percent>]   exit 1 below --min.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const defaultCourseDir = () => path.resolve(process.env.COURSE_DIR ?? path.join(root, '../shared/seeds'));

export const normalize = (text) => {
  const flat = text
    .replace(/\\\r?\n\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s+#.*$/, '')
    .trim();
  // A stray closing parenthesis (a typo in the course text) is not part of the command.
  const opens = (flat.match(/\(/g) ?? []).length;
  const closes = (flat.match(/\)/g) ?? []).length;
  return closes > opens && flat.endsWith(')') ? flat.slice(0, -1) : flat;
};

/** Distinct `docker …` commands in the course's code blocks and inline code, in order of appearance. */
export function courseCommands(dir) {
  const seen = new Map();
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt') || f.endsWith('.md'))
    .sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const snippets = [];
    for (const block of text.matchAll(/```[^\n]*\n([\s\S]*?)```/g))
      snippets.push(...block[1].replace(/\\\r?\n/g, ' ').split('\n'));
    for (const inline of text.replace(/```[\s\S]*?```/g, '').matchAll(/`(docker [^`]+)`/g)) snippets.push(inline[1]);
    for (const line of snippets) {
      const command = normalize(line.replace(/^\s*\$\s*/, ''));
      if (!/^docker\s+\S/.test(command) || /^docker\s*$/.test(command)) continue;
      if (!seen.has(command)) seen.set(command, file);
    }
  }
  return [...seen].map(([command, file]) => ({ command, file }));
}

/** Each walkthrough step's English text: media Markdown plus title and description from package.nls.json. */
export function stepTexts() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
  const resolve = (s) => (typeof s === 'string' ? s.replace(/^%(.+)%$/, (_, k) => nls[k] ?? s) : '');
  const steps = [];
  for (const w of pkg.contributes.walkthroughs ?? []) {
    for (const step of w.steps) {
      let text = `${resolve(step.title)}\n${resolve(step.description)}`;
      if (step.media?.markdown) text += `\n${fs.readFileSync(path.join(root, step.media.markdown), 'utf8')}`;
      steps.push({
        id: `${w.id}/${step.id}`,
        text: normalize(
          text
            .replace(/```[^\n]*\n/g, '\n')
            .replace(/```/g, '\n')
            .split('\n')
            .map(normalize)
            .join('\n'),
        ),
        lines: text
          .replace(/\\\r?\n\s*/g, ' ')
          .split('\n')
          .map(normalize),
      });
    }
  }
  return steps;
}

export function coverage(dir = defaultCourseDir()) {
  const commands = courseCommands(dir);
  const steps = stepTexts();
  const rows = commands.map(({ command, file }) => {
    const step = steps.find((s) => s.lines.some((l) => l.includes(command)) || s.text.includes(command));
    return { command, file, step: step?.id };
  });
  const covered = rows.filter((r) => r.step).length;
  return { rows, covered, total: rows.length, percent: rows.length ? (100 * covered) / rows.length : 100 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values: opt } = parseArgs({
    options: { json: { type: 'boolean', default: false }, min: { type: 'string' }, course: { type: 'string' } },
  });
  const courseDir = opt.course ? path.resolve(opt.course) : defaultCourseDir();
  if (!fs.existsSync(courseDir)) {
    console.log(`course-coverage: no course text at ${courseDir} (set COURSE_DIR)`);
    process.exit(opt.min ? 1 : 0);
  }
  const result = coverage(courseDir);
  if (opt.json) console.log(JSON.stringify(result, null, 2));
  else {
    for (const r of result.rows)
      console.log(`${r.step ? '✔' : '✖'} ${r.command}${r.step ? `  → ${r.step}` : `  (${r.file})`}`);
    console.log(`course-coverage: ${result.covered}/${result.total} commands (${result.percent.toFixed(1)}%)`);
  }
  if (opt.min && result.percent < Number(opt.min)) {
    console.log(`course-coverage: below the threshold of ${opt.min}%`);
    process.exit(1);
  }
}
