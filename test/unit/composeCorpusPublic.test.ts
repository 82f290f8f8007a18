import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeCompose, type ComposeAnalysis, type VolumeEntry } from '../../src/core/compose';
import { parseDotEnv } from '../../src/core/composeInterpolation';
import type { Translator } from '../../src/core/errorText';
import { composeProblems, entryAsMountFlag, entryHint, type ComposeProblem } from '../../src/core/hints';
import { EXPECTED, type ExpectedEntry, type ExpectedFile } from './composeCorpusPublic.expected';
import { KNOWN_GAPS, type GapAspect, type KnownGap } from './composeCorpusPublic.gaps';

export { KNOWN_GAPS };

const corpus = path.resolve(__dirname, '../../../test/fixtures/compose-public');
const english: Translator = { t: (m, ...a) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])) };
const HOME = '/home/learner';

interface Read {
  text: string;
  analysis: ComposeAnalysis;
  problems: ComposeProblem[];
}

function read(expected: ExpectedFile): Read {
  const text = fs.readFileSync(path.join(corpus, expected.file), 'utf8');
  const dotEnv = expected.dotEnv ? parseDotEnv(fs.readFileSync(path.join(corpus, expected.dotEnv), 'utf8')) : {};
  const analysis = analyzeCompose(text, { folderName: expected.folder, vars: { ...dotEnv, ...expected.vars } });
  // The project folder as a user would have it (deep enough for ../..); every bind source exists, no daemon.
  const dir = path.posix.join(HOME, 'src', 'lab', expected.folder);
  const problems = composeProblems(
    analysis,
    {
      resolveHostPath: (source) =>
        source.startsWith('~') ? path.posix.join(HOME, source.slice(1)) : path.posix.resolve(dir, source),
      exists: () => true,
      home: HOME,
    },
    english,
  );
  return { text, analysis, problems };
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

function gapFor(file: string, aspect: GapAspect, service: string, target?: string): KnownGap | undefined {
  return KNOWN_GAPS.find((g) => g.file === file && g.aspect === aspect && g.service === service && g.target === target);
}

/** One comparable line per entry; the kind is left out where a known gap says the code gets it wrong. */
function entryKey(file: string, e: ExpectedEntry | VolumeEntry): string {
  const kind = gapFor(file, 'kind', e.service, e.target) ? '(known gap)' : e.kind;
  return [
    e.service,
    kind,
    e.source ?? '-',
    e.target,
    e.readOnly ? 'ro' : 'rw',
    e.tmpfsSize ?? '-',
    (e.unresolved ?? []).join(','),
  ].join(' | ');
}

function entryFor(r: Read, service: string, target: string): VolumeEntry {
  const found = r.analysis.entries.filter((e) => e.service === service && e.target === target);
  assert.equal(found.length, 1, `${service} → ${target}: ${found.length} entries`);
  return found[0]!;
}

/** The daemon volume an entry mounts, as the `--mount` line of the hover names it. */
function entryDaemonName(r: Read, entry: VolumeEntry): string | undefined {
  return /(?:^|[ ,])src=([^,]+)/.exec(entryAsMountFlag(entry, r.analysis.projectName) ?? '')?.[1];
}

/** The size a tmpfs lens shows; `N MiB` when it shows the size as people write it (`N MiB`, `Nm`, `NM`). */
function tmpfsSizeText(r: Read, e: VolumeEntry): string {
  const shown = /^tmpfs (.+) at /.exec(entryHint(e, r.analysis.projectName, english))?.[1] ?? '(none)';
  const mib = (e.tmpfsSize ?? 0) / (1024 * 1024);
  return [`${mib} MiB`, `${mib}m`, `${mib}M`].includes(shown) ? `${mib} MiB` : shown;
}

/** Whether a bind's lens calls it a code-reload bind. */
const socketHint = (r: Read, e: VolumeEntry) =>
  entryHint(e, r.analysis.projectName, english).includes('code reload')
    ? 'called a code-reload bind'
    : 'not called a code-reload bind';
const DOCKER_SOCKET = /(^|\/)docker\.sock$|pipe[\\/]docker_engine$/;

/** `code@line` for each problem, the line where its range starts. */
function problemKeys(r: Read): string[] {
  return r.problems.map((p) => `${p.code}@${lineOf(r.text, p.range[0])}`);
}

function problemsOnLine(r: Read, line: number): ComposeProblem[] {
  return r.problems.filter((p) => lineOf(r.text, p.range[0]) === line);
}

describe('public compose corpus: expected analyses', () => {
  it('holds at least 20 files, each with its expectation, source and licence', () => {
    const files = fs
      .readdirSync(corpus, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.split(path.sep).join('/'))
      .sort();
    assert.ok(files.length >= 20, `${files.length} files`);
    assert.deepEqual(files, EXPECTED.map((e) => e.file).sort());
    const sources = fs.readFileSync(path.join(corpus, 'SOURCES.md'), 'utf8');
    for (const file of files) {
      assert.match(sources, new RegExp(`\`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``), `${file} in SOURCES.md`);
      assert.ok(fs.existsSync(path.join(corpus, path.dirname(file), 'LICENSE')), `LICENSE beside ${file}`);
    }
  });

  for (const expected of EXPECTED) {
    describe(expected.file, () => {
      const r = read(expected);

      it('parses without errors and names the project as Compose does', () => {
        assert.deepEqual(r.analysis.errors, []);
        assert.equal(r.analysis.projectName, expected.project);
      });

      it('gives each top-level volume its daemon name', () => {
        assert.deepEqual(Object.fromEntries(r.analysis.topLevel.map((v) => [v.key, v.daemonName])), expected.volumes);
        assert.deepEqual(
          r.analysis.topLevel.filter((v) => v.external).map((v) => v.key),
          expected.external ?? [],
        );
        for (const v of r.analysis.topLevel)
          assert.equal(r.text.slice(v.range[0], v.range[1]), v.key, `range of ${v.key}`);
      });

      it('reads every service entry: kind, source, target, read-only, tmpfs size', () => {
        const actual = r.analysis.entries.map((e) => entryKey(expected.file, e)).sort();
        assert.deepEqual(actual, expected.entries.map((e) => entryKey(expected.file, e)).sort());
      });

      it('mounts, for each named entry, the daemon volume of its declaration', () => {
        for (const e of expected.entries.filter(
          (x) => x.kind === 'named' && !gapFor(expected.file, 'entryDaemonName', x.service, x.target),
        )) {
          assert.equal(
            entryDaemonName(r, entryFor(r, e.service, e.target)),
            expected.volumes[e.source!],
            `${e.service} → ${e.target}`,
          );
        }
      });

      it('reports exactly the expected problems, each on its line', () => {
        const statefulLines = new Set((expected.stateful ?? []).map((s) => s.imageLine));
        const gaps = new Set(
          KNOWN_GAPS.filter((g) => g.file === expected.file && g.aspect === 'problem').map((g) => g.expected),
        );
        const actual = problemKeys(r)
          .filter((p) => !statefulLines.has(Number(p.split('@')[1])) && !gaps.has(p))
          .sort();
        assert.deepEqual(
          actual,
          expected.problems
            .map((p) => `${p.code}@${p.line}`)
            .filter((p) => !gaps.has(p))
            .sort(),
        );
      });

      it('shows each tmpfs size the way it is written (MiB, not decimal MB)', () => {
        for (const e of expected.entries.filter(
          (x) => x.tmpfsSize && !gapFor(expected.file, 'tmpfsSizeText', x.service, x.target),
        )) {
          assert.equal(
            tmpfsSizeText(r, entryFor(r, e.service, e.target)),
            `${e.tmpfsSize! / (1024 * 1024)} MiB`,
            `${e.service} → ${e.target}`,
          );
        }
      });

      it('never calls a bind of the Docker socket a code-reload bind', () => {
        for (const e of expected.entries.filter(
          (x) =>
            x.kind === 'bind' &&
            DOCKER_SOCKET.test(x.source ?? '') &&
            !gapFor(expected.file, 'socketHint', x.service, x.target),
        )) {
          assert.equal(
            socketHint(r, entryFor(r, e.service, e.target)),
            'not called a code-reload bind',
            `${e.service} → ${e.target}`,
          );
        }
      });

      it('warns on the image: line of each stateful service that mounts nothing at its data path', () => {
        for (const s of (expected.stateful ?? []).filter((x) => !gapFor(expected.file, 'statefulWarning', x.service))) {
          assert.deepEqual(
            problemsOnLine(r, s.imageLine).map((p) => p.code),
            ['statefulWithoutVolume'],
            `${s.service}, line ${s.imageLine}`,
          );
        }
      });
    });
  }
});

describe('public compose corpus: known gaps (the code still disagrees with the specification)', () => {
  for (const gap of KNOWN_GAPS) {
    it(`${gap.file} · ${gap.service}${gap.target ? ` → ${gap.target}` : ''} · ${gap.aspect}: expected ${gap.expected}`, () => {
      const expected = EXPECTED.find((e) => e.file === gap.file);
      assert.ok(expected, `no expectation for ${gap.file}`);
      const r = read(expected);
      let actual: string;
      switch (gap.aspect) {
        case 'kind':
          actual = entryFor(r, gap.service, gap.target!).kind;
          break;
        case 'entryDaemonName':
          actual = entryDaemonName(r, entryFor(r, gap.service, gap.target!)) ?? '(none)';
          break;
        case 'tmpfsSizeText':
          actual = tmpfsSizeText(r, entryFor(r, gap.service, gap.target!));
          break;
        case 'socketHint':
          actual = socketHint(r, entryFor(r, gap.service, gap.target!));
          break;
        case 'problem':
          actual = problemKeys(r).includes(gap.expected) ? gap.expected : `no ${gap.expected}`;
          break;
        case 'statefulWarning': {
          const line = expected.stateful?.find((s) => s.service === gap.service)?.imageLine;
          assert.ok(line, `no stateful expectation for ${gap.service}`);
          actual = problemsOnLine(r, line).some((p) => p.code === 'statefulWithoutVolume')
            ? `a problem on line ${line}`
            : 'no problem';
          break;
        }
      }
      assert.notEqual(actual, gap.expected, `fixed (${gap.why}): move this case out of KNOWN_GAPS`);
    });
  }
});
