// BENCH compose-analysis: everything the editor computes for a compose file version (analysis, hints,
// problems) against `yaml.parseDocument` alone, on the 30 corpus files and on a generated 5,000-line file.
// Goal: analysis ≤ 1.5× the parse alone (ratio ≥ 0.67).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { analyzeCompose } from '../src/core/compose';
import { composeProblems, entryHint } from '../src/core/hints';
import { benchLine, msSince } from './stats';

const english = {
  t: (m: string, ...a: (string | number | boolean)[]) =>
    m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])),
};

function corpusTexts(): string[] {
  const dir = path.resolve(__dirname, '../../test/fixtures/compose');
  return fs
    .readdirSync(dir)
    .filter((f) => fs.statSync(path.join(dir, f)).isDirectory())
    .map((folder) => {
      const file = fs.readdirSync(path.join(dir, folder)).find((f) => /^compose\.ya?ml$/.test(f))!;
      return fs.readFileSync(path.join(dir, folder, file), 'utf8');
    });
}

/** A large, realistic compose file: 250 services with volumes in both syntaxes, anchors and variables. */
export function generatedCompose(lines = 5000): string {
  const out = [
    'name: big-project',
    'x-logging: &logging',
    '  driver: json-file',
    '  options:',
    '    max-size: 10m',
    'services:',
  ];
  for (let i = 0; out.length < lines - 60; i++) {
    out.push(
      `  svc${i}:`,
      `    image: registry.example.com/team/app${i % 7}:\${TAG:-latest}`,
      '    logging: *logging',
      '    environment:',
      `      - SERVICE_ID=${i}`,
      '    volumes:',
      `      - ./src/svc${i}:/app:ro`,
      `      - data${i % 40}:/var/lib/app`,
      '      - /tmp/cache',
      '      - type: tmpfs',
      '        target: /run',
      '        tmpfs:',
      '          size: 64m',
      '      - type: bind',
      `        source: \${CONFIG_DIR:-./config}/svc${i}`,
      '        target: /etc/app',
      '        read_only: true',
    );
  }
  out.push('volumes:');
  for (let i = 0; i < 40 && out.length < lines; i++) out.push(`  data${i}:`, `    name: big_data_${i}`);
  while (out.length < lines) out.push('# padding');
  return `${out.join('\n')}\n`;
}

function analyzeAll(text: string): number {
  const analysis = analyzeCompose(text, { folderName: 'bench', vars: { TAG: '1.0' } });
  let n = analysis.entries.length;
  for (const e of analysis.entries) n += entryHint(e, analysis.projectName, english).length > 0 ? 1 : 0;
  n += composeProblems(
    analysis,
    {
      resolveHostPath: (s) => path.posix.resolve('/proj', s),
      exists: () => true,
      home: '/home/u',
      daemonVolumes: new Set(),
    },
    english,
  ).length;
  return n;
}

function timeIt(texts: string[], iterations: number, run: (text: string) => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) for (const t of texts) run(t);
  return msSince(start) / iterations;
}

export async function benchComposeAnalysis(): Promise<string> {
  const corpus = corpusTexts();
  const big = generatedCompose();
  const lines: string[] = [];
  const cases: { name: string; texts: string[]; iterations: number }[] = [
    { name: 'corpus', texts: corpus, iterations: 40 },
    { name: '5000-lines', texts: [big], iterations: 8 },
  ];
  for (const { name, texts, iterations } of cases) {
    const ours: number[] = [];
    const baseline: number[] = [];
    // Warm both paths, then alternate so that neither gets a quieter machine.
    timeIt(texts, 3, (t) => parseDocument(t));
    timeIt(texts, 3, analyzeAll);
    for (let r = 0; r < 7; r++) {
      baseline.push(timeIt(texts, iterations, (t) => parseDocument(t)));
      ours.push(timeIt(texts, iterations, analyzeAll));
    }
    lines.push(
      benchLine(`compose-analysis-${name}`, 'ms', ours, baseline) +
        ` [${texts.length} file(s), ${texts.reduce((n, t) => n + t.split('\n').length, 0)} lines, goal ratio ≥ 0.67]`,
    );
  }
  await Promise.resolve();
  return lines.join('\n');
}
