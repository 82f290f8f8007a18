// Property tests: generated and mutated compose files and Dockerfiles never make the analysis throw.
// 10,000 inputs in all (2,500 per property), seeded so that a failure can be replayed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { analyzeCompose } from '../../src/core/compose';
import { parseDotEnv, substitute } from '../../src/core/composeInterpolation';
import { MAX_ANALYSED_BYTES, MAX_VOLUME_ENTRIES } from '../../src/core/composeLimits';
import { hostPathWarnings } from '../../src/core/mounts';
import { completionSpot } from '../../src/core/composeCompletion';
import { freshVolumeKey, mountNamedVolumeEdits } from '../../src/core/composeEdits';
import { bindSources, convertSyntax, definitionAt, referencesAt, renameVolume } from '../../src/core/composeNavigation';
import { analyzeDockerfile } from '../../src/core/dockerfile';
import { composeProblems, entryAsMountFlag, entryHint, topLevelStateText } from '../../src/core/hints';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TarRouter } from '../../src/docker/tarRouter';
import { blockPadded, rawHeader } from '../support/tarPack';
import { maskSecretsInText, redactValues, SHOWN_TEXT_CHARS } from '../../src/core/networkVolumes';

const english = {
  t: (m: string, ...a: (string | number | boolean)[]) =>
    m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])),
};
const corpusDir = path.resolve(__dirname, '../../../test/fixtures/compose');
const corpus = fs
  .readdirSync(corpusDir)
  .filter((f) => fs.statSync(path.join(corpusDir, f)).isDirectory())
  .map((folder) => {
    const file = fs.readdirSync(path.join(corpusDir, folder)).find((f) => /^compose\.ya?ml$/.test(f))!;
    return fs.readFileSync(path.join(corpusDir, folder, file), 'utf8');
  });
const RUNS = 2500;
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

/** Everything the editor does with one compose text: analysis, hints, problems, CLI forms, daemon states. */
function exerciseCompose(text: string): ReturnType<typeof analyzeCompose> {
  const analysis = analyzeCompose(text, { folderName: 'Fuzz Project', vars: { HOME: '/home/u', DATA: './data' } });
  for (const e of analysis.entries) {
    assert.equal(typeof entryHint(e, analysis.projectName, english), 'string');
    entryAsMountFlag(e, analysis.projectName);
  }
  for (const v of analysis.topLevel) {
    topLevelStateText(v, undefined, english);
    topLevelStateText(v, { exists: true, size: 1024, users: ['a'] }, english);
  }
  composeProblems(
    analysis,
    {
      resolveHostPath: (s) => path.posix.resolve('/proj', s),
      exists: (p) => p.length % 2 === 0,
      home: '/home/u',
      daemonVolumes: new Set(['x']),
      hostIsWindows: text.length % 2 === 0,
      imageVolumes: (image) => (image.length % 2 ? ['/data'] : undefined),
    },
    english,
  );
  exerciseLanguageFeatures(text, analysis);
  return analysis;
}

/** The pure parts of completion, definition, references, rename, links, syntax conversion and the stateful fix. */
function exerciseLanguageFeatures(text: string, analysis: ReturnType<typeof analyzeCompose>): void {
  for (let i = 0; i <= 8; i++) {
    const spot = completionSpot(text, Math.floor((text.length * i) / 8));
    if (spot) assert.ok(spot.start >= 0 && spot.start <= text.length, `completion start ${spot.start}`);
  }
  const offsets = [
    ...analysis.entries.map((e) => e.sourceRange?.[0] ?? e.range[0]),
    ...analysis.topLevel.map((v) => v.range[0]),
  ].slice(0, 20);
  for (const offset of offsets) {
    definitionAt(analysis, offset);
    for (const [start, end] of referencesAt(analysis, offset, true)) assert.ok(start <= end && end <= text.length);
    renameVolume(analysis, offset, 'renamed');
  }
  for (const b of bindSources(analysis)) assert.ok(b.range[1] <= text.length);
  for (const e of analysis.entries.slice(0, 10)) {
    const edit = convertSyntax(text, e);
    if (edit)
      analyzeCompose(text.slice(0, edit.range[0]) + edit.newText + text.slice(edit.range[1]), { folderName: 'fuzz' });
  }
  const service = analysis.services[0];
  if (service) mountNamedVolumeEdits(text, analysis, service.name, '/data', freshVolumeKey(analysis, service.name));
}

/** Character-level mutations: delete, insert or replace a span (indentation, colons, quotes, brackets...). */
const mutation = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.integer({ min: 0, max: 8 }),
  insert: fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.constantFrom(
      ':',
      '- ',
      '  ',
      '\n',
      '"',
      "'",
      '{',
      '}',
      '[',
      ']',
      '&a',
      '*a',
      '<<: *a',
      '${',
      '${X:-',
      '#',
      '\t',
      '~',
      '\\',
      ' !!binary ',
      '? ',
      '|',
      '>',
    ),
  ),
});
function mutate(text: string, edits: { at: number; remove: number; insert: string }[]): string {
  let out = text;
  for (const e of edits) {
    const i = Math.floor(e.at * out.length);
    out = out.slice(0, i) + e.insert + out.slice(i + e.remove);
  }
  return out;
}

const source = fc.oneof(
  fc.constantFrom(
    './src',
    '../data',
    '/var/lib/x',
    '~/cache',
    'C:\\data',
    '\\\\server\\share',
    'named',
    'db-data',
    '${DATA}',
    '${MISSING:-./fallback}',
    '${UNSET}',
    '/var/run/docker.sock',
    '/',
    '.',
    '',
    'a:b',
  ),
  fc.string({ maxLength: 12 }),
);
const target = fc.oneof(
  fc.constantFrom('/app', '/data', '/var/lib/postgresql/data', 'relative', '', '/'),
  fc.string({ maxLength: 10 }),
);
const mode = fc.constantFrom('', ':ro', ':rw', ':z', ':Z', ':nocopy', ':ro,z', ':cached', ':delegated', ':bogus');
const shortEntry = fc.tuple(source, target, mode).map(([s, t, m]) => (s ? `${s}:${t}${m}` : t));
const longEntry = fc.record(
  {
    type: fc.constantFrom('volume', 'bind', 'tmpfs', 'npipe', 'cluster', 3),
    source,
    target,
    read_only: fc.oneof(fc.boolean(), fc.constant('yes')),
    bind: fc.record({ create_host_path: fc.boolean(), propagation: fc.constantFrom('rprivate', 'shared') }),
    volume: fc.record({ nocopy: fc.boolean(), subpath: fc.string({ maxLength: 5 }) }),
    tmpfs: fc.record({
      size: fc.oneof(fc.integer(), fc.constantFrom('100m', '1g', 'x')),
      mode: fc.integer({ min: 0, max: 0o7777 }),
    }),
  },
  { requiredKeys: [] },
);
const anything = fc.anything({ maxDepth: 2 });
const composeObject = fc.record(
  {
    name: fc.oneof(fc.constantFrom('My App', 'shop', ''), fc.string({ maxLength: 8 }), anything),
    services: fc.oneof(
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 6 }),
        fc.record(
          {
            image: fc.constantFrom('postgres:16', 'busybox', 'nginx'),
            volumes: fc.oneof(fc.array(fc.oneof(shortEntry, longEntry, anything), { maxLength: 5 }), anything),
            volumes_from: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
            tmpfs: fc.oneof(fc.string({ maxLength: 8 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 })),
          },
          { requiredKeys: [] },
        ),
        { maxKeys: 4 },
      ),
      anything,
    ),
    volumes: fc.oneof(
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 6 }),
        fc.oneof(
          fc.constant(null),
          fc.record(
            {
              name: fc.string({ maxLength: 8 }),
              external: fc.oneof(fc.boolean(), fc.record({ name: fc.string({ maxLength: 5 }) })),
              driver: fc.constantFrom('local', 'nfs', 'x'),
              driver_opts: fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 6 })),
              labels: fc.oneof(
                fc.array(fc.string({ maxLength: 6 })),
                fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 })),
              ),
            },
            { requiredKeys: [] },
          ),
          anything,
        ),
        { maxKeys: 4 },
      ),
      anything,
    ),
    'x-common': anything,
  },
  { requiredKeys: [] },
);

const keyword = fc.constantFrom(
  'FROM',
  'VOLUME',
  'RUN',
  'WORKDIR',
  'COPY',
  'ADD',
  'ENV',
  'ARG',
  'CMD',
  'USER',
  'ONBUILD',
  'HEALTHCHECK',
  'SHELL',
  'EXPOSE',
  'volume',
  'from',
  '#',
  '',
);
const dfArgument = fc.oneof(
  fc.constantFrom(
    'postgres:16',
    'mysql',
    'busybox AS b',
    '--platform=$X alpine',
    '/data',
    '["/a", "/b"]',
    '[',
    '"/x y"',
    '. .',
    '--chown=1:1 . /app',
    'mkdir -p /data/x',
    'echo hi > /data/f && ls',
    'cache',
    '../up',
    '$HOME/x',
    '\\',
    '<<EOF\nhello\nEOF',
    '${A:-/d}',
  ),
  fc.string({ maxLength: 20 }),
);
const dockerfileText = fc
  .array(fc.tuple(keyword, fc.array(dfArgument, { maxLength: 3 })), { maxLength: 25 })
  .map((lines) => lines.map(([k, args]) => `${k} ${args.join(' ')}`).join('\n'));

/**
 * The harness's budget for one hostile input, in CPU time of this process (so that other work on a shared machine
 * does not count): far below the seconds-to-minutes the unbounded analysis took (six levels of `<<: [*a × 10]`: 28 s).
 */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 1500);
function cpuMsSince(started: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}
function withinBudget<T>(what: string, work: () => T): T {
  const started = process.cpuUsage();
  const result = work();
  const ms = cpuMsSince(started);
  assert.ok(ms < BUDGET_MS, `${what} took ${ms.toFixed(0)} ms of CPU (budget ${BUDGET_MS} ms)`);
  return result;
}

/** A merge-key bomb: each level merges the previous one `width` times, where the naive walk multiplies. */
function mergeBomb(levels: number, width: number, key: string, tail: string): string {
  let text = `x0: &a0 {k: v}\n`;
  for (let i = 1; i <= levels; i++)
    text += `x${i}: &a${i}\n  <<: [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]\n`;
  return `${text}services:\n  web:\n    <<: *a${levels}\n    ${key}: ${tail}\n`;
}

describe('fuzz (fast-check): the analysis never throws', function () {
  this.timeout(120_000);

  it(`on ${RUNS} generated compose files`, () => {
    fc.assert(
      fc.property(composeObject, fc.boolean(), (doc, asFlow) => {
        exerciseCompose(stringify(doc, asFlow ? { collectionStyle: 'flow' } : {}));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it(`on ${RUNS} mutations of the real compose corpus`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: corpus.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (index, edits) => {
          exerciseCompose(mutate(corpus[index]!, edits));
        },
      ),
      { numRuns: RUNS, seed: SEED + 1 },
    );
  });

  it(`on ${RUNS} generated Dockerfiles`, () => {
    fc.assert(
      fc.property(dockerfileText, (text) => {
        const a = analyzeDockerfile(text);
        for (const v of a.volumes) assert.ok(v.path.startsWith('/'), v.path);
      }),
      { numRuns: RUNS, seed: SEED + 2 },
    );
  });

  it(`on ${RUNS} mutated Dockerfiles`, () => {
    const base = fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/workspace/api/Dockerfile'), 'utf8');
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (edits) => {
        analyzeDockerfile(mutate(base, edits));
      }),
      { numRuns: RUNS, seed: SEED + 3 },
    );
  });

  it('on merge-key bombs and huge files, within the time budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom('image', 'volumes', 'tmpfs'),
        fc.constantFrom('nginx', '[./a:/b]', '/run'),
        (levels, width, key, tail) => {
          const text = mergeBomb(levels, width, key, tail);
          withinBudget(`${levels} levels × ${width}`, () => exerciseCompose(text));
        },
      ),
      { numRuns: 60, seed: SEED + 4 },
    );
    // Alias fan-out: one list of `items` entries named by `services` services (16 KB listed 180,000 entries).
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 2000 }), (items, services) => {
        const text = `x-v: &v\n${'  - ./a:/b\n'.repeat(items)}services:\n${Array.from({ length: services }, (_, i) => `  s${i}: {volumes: *v}\n`).join('')}`;
        // What opening the file runs: the analysis, each entry's lens text, the diagnostics.
        const analysis = withinBudget(`${items} entries × ${services} services`, () => {
          const a = analyzeCompose(text, { folderName: 'p' });
          for (const e of a.entries) entryHint(e, a.projectName, english);
          composeProblems(
            a,
            { resolveHostPath: (s) => path.posix.resolve('/proj', s), exists: () => true, home: '/home/u' },
            english,
          );
          return a;
        });
        if (items * services > MAX_VOLUME_ENTRIES)
          assert.match(analysis.errors[0]?.message ?? '', /not analysed: more than \d+ volume entries/);
      }),
      { numRuns: 40, seed: SEED + 7 },
    );
    const huge = `services:\n${'  s: {image: x, volumes: [./a:/b]}\n'.repeat(MAX_ANALYSED_BYTES / 16)}`;
    const analysis = withinBudget('a file past the size limit', () => analyzeCompose(huge, { folderName: 'p' }));
    assert.equal(analysis.entries.length, 0);
    assert.match(analysis.errors[0]?.message ?? '', /not analysed/);
  });

  it('on Dockerfiles whose ARG lines name the previous one many times, within the time budget', () => {
    // `ARG B=${A}${A}…` ten times a line, eight lines: each line multiplies the value (376 bytes made 100 M chars).
    const names = 'ABCDEFGHIJKLMNOP';
    const fanOut = (levels: number, width: number, uses: number) =>
      `FROM alpine\nARG A=0123456789\n${Array.from({ length: levels }, (_, i) => `ARG ${names[i + 1]}=${`\${${names[i]}}`.repeat(width)}\n`).join('')}${`VOLUME /data/\${${names[levels]}}\nRUN echo x > /data/f\n`.repeat(uses)}`;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 300 }),
        (levels, width, uses) => {
          const analysis = withinBudget(`${levels} ARG levels × ${width}, ${uses} uses`, () =>
            analyzeDockerfile(fanOut(levels, width, uses)),
          );
          for (const v of analysis.volumes) assert.ok(v.path.length <= 4096 + 64, `${v.path.length} chars`);
        },
      ),
      { numRuns: 80, seed: SEED + 8 },
    );
    // Thousands of ARG lines, each VOLUME naming a hundred of them: every lookup reads every instruction.
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 6000 }), fc.integer({ min: 1, max: 200 }), (args, volumes) => {
        const names = Array.from({ length: Math.min(args, 100) }, (_, i) => `$a${(i * 37) % args}`).join('');
        const text = `FROM alpine\n${Array.from({ length: args }, (_, i) => `ARG a${i}=x\n`).join('')}${`VOLUME /d/${names}\n`.repeat(volumes)}`;
        withinBudget(`${args} ARG lines × ${volumes} VOLUME lines`, () => analyzeDockerfile(text));
      }),
      { numRuns: 20, seed: SEED + 9 },
    );
    // Long VOLUME paths, many stages, WORKDIRs and RUNs, up to the size limit: no throw, within the budget.
    const dfPiece = fc.constantFrom(
      'VOLUME /a',
      '/a',
      'a.',
      'RUN touch /a',
      '\nWORKDIR /w\nCOPY . .',
      '\nFROM x',
      '\n',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(dfPiece, fc.integer({ min: 1, max: 30_000 })), { maxLength: 6 }), (runs) => {
        const text = `FROM postgres\n${runs.map(([p, n]) => p.repeat(n)).join('')}`;
        withinBudget(`a Dockerfile of ${text.length} chars`, () => analyzeDockerfile(text));
      }),
      { numRuns: 40, seed: SEED + 11 },
    );
    // A small fan-out still expands; a past-the-bounds one stays as written.
    assert.equal(analyzeDockerfile(fanOut(2, 2, 1)).volumes[0]?.path, `/data/${'0123456789'.repeat(4)}`);
    assert.equal(analyzeDockerfile(fanOut(8, 10, 1)).volumes[0]?.path, '/data/${I}');
    const huge = `FROM alpine\n${'RUN echo a-long-enough-line-of-shell > /dev/null\n'.repeat(6000)}`;
    assert.equal(withinBudget('a Dockerfile past the size limit', () => analyzeDockerfile(huge)).tooLarge, true);
  });

  it('on values with long runs of unclosed variables and slashes, within the time budget', () => {
    const piece = fc.constantFrom('${A:-', '${A-', '${', '$', '$$', '}', 'A', '/', '\\', ':');
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, fc.integer({ min: 1, max: 20_000 })), { maxLength: 6 }), (runs) => {
        const value = runs.map(([p, n]) => p.repeat(n)).join('');
        withinBudget(`a value of ${value.length} chars`, () => substitute(value, { A: 'a' }));
        withinBudget(`a bind source of ${value.length} chars`, () => hostPathWarnings(value));
      }),
      { numRuns: 100, seed: SEED + 6 },
    );
    const unclosed = '${A:-'.repeat(40_000);
    assert.equal(withinBudget('40,000 unclosed ${A:-', () => substitute(unclosed, {})).value, unclosed);
    assert.deepEqual(substitute('${A:-x}/${B-y}/${C}/$D/$$/${E:-${F}}', { C: 'c', D: 'd', F: 'f' }), {
      value: 'x/y/c/d/$/${F}',
      unresolved: [],
    });
  });

  it('masks secrets in long runs of names, quotes, assignments and URLs within the time budget', () => {
    // Compose lens titles, hovers, notifications and every log line are masked on the main thread: `a.` × 15,000
    // took 7.9 s when a name's prefix was an unbounded run tried from every word boundary.
    const piece = fc.constantFrom(
      'a.',
      'password',
      'PASSWORD_',
      "'",
      '"',
      '":',
      '=',
      ':',
      ' ',
      ',',
      ',,',
      'a://u:',
      '@',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, fc.integer({ min: 1, max: 15_000 })), { maxLength: 6 }), (runs) => {
        const text = runs.map(([p, n]) => p.repeat(n)).join('');
        withinBudget(`masking ${text.length} chars`, () => maskSecretsInText(text));
        const shown = withinBudget(`a lens text of ${text.length} chars`, () => redactValues(text, ['hunter2']));
        assert.ok(shown.length <= SHOWN_TEXT_CHARS, `${shown.length} chars shown`);
      }),
      { numRuns: 60, seed: SEED + 10 },
    );
    // What a lens shows for the bind source `./a.a.a.…` of a 30 KB compose file: cut short, with an ellipsis.
    const text = `services:\n  app:\n    image: x\n    volumes:\n      - ./${'a.'.repeat(15_000)}:/data\n`;
    const analysis = analyzeCompose(text, { folderName: 'x', vars: {} });
    const hint = entryHint(analysis.entries[0]!, analysis.projectName, english);
    const title = withinBudget('the lens title of a 30 KB bind source', () => redactValues(hint, []));
    assert.ok(title.length <= SHOWN_TEXT_CHARS && title.endsWith('…'), title.slice(-40));
  });

  it('on .env files with long runs of spaces, quotes and comments, within the time budget', () => {
    const piece = fc.constantFrom(' ', '\t', '=', '#', '"', "'", 'A', 'export ', '\r', '\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, fc.integer({ min: 1, max: 20_000 })), { maxLength: 8 }), (runs) => {
        const text = runs.map(([p, n]) => p.repeat(n)).join('');
        withinBudget(`a .env of ${text.length} chars`, () => parseDotEnv(text));
      }),
      { numRuns: 200, seed: SEED + 5 },
    );
    assert.deepEqual(parseDotEnv(`A=a${' '.repeat(40_000)}x\nexport B = "b c" \nC=d # note\n  D='e'\nbad line\n`), {
      A: `a${' '.repeat(40_000)}x`,
      B: 'b c',
      C: 'd',
      D: 'e',
    });
  });
});

describe('fuzz (fast-check): tar archives are read as the daemon reads them', function () {
  this.timeout(120_000);
  /** Each run streams a whole archive: fewer runs than the pure parsers get. */
  const TAR_RUNS = RUNS / 5;

  it(`on ${TAR_RUNS} archives whose link, folder and device headers claim the bytes of the entries after them`, async () => {
    const entry = fc.record({
      flag: fc.constantFrom('0', '1', '2', '3', '4', '5', '6'),
      size: fc.nat({ max: 3000 }),
      covers: fc.nat({ max: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 3 }),
        async (list, outputs) => {
          // Every entry's bytes first: a header-only entry's size field then claims the next `covers` entries whole.
          const data = list.map((e) => (e.flag === '0' ? blockPadded(Buffer.alloc(e.size, 0x61)) : Buffer.alloc(0)));
          const blocks = list.map((e, i) => {
            const claimed =
              e.flag === '0' ? e.size : data.slice(i + 1, i + 1 + e.covers).reduce((n, d) => n + 512 + d.length, 0);
            return Buffer.concat([rawHeader(`./e${i}`, e.flag, claimed, e.flag === '1' ? './e0' : ''), data[i]!]);
          });
          const router = new TarRouter(outputs);
          for (const output of router.outputs) output.resume();
          const started = process.cpuUsage();
          await pipeline(Readable.from([Buffer.concat([...blocks, Buffer.alloc(1024)])]), router);
          const ms = cpuMsSince(started);
          assert.ok(ms < BUDGET_MS, `${list.length} entries took ${ms.toFixed(0)} ms of CPU (budget ${BUDGET_MS} ms)`);
          assert.equal(router.progress.files, list.length, 'every header is an entry, none hidden in a stated size');
          const content = list.reduce((n, e) => n + (e.flag === '0' ? e.size : 0), 0);
          assert.equal(router.contentBytes, content, 'the regular files count, nothing else');
        },
      ),
      { numRuns: TAR_RUNS, seed: SEED + 6 },
    );
  });
});
