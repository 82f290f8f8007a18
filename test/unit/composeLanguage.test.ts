import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeCompose, type ComposeAnalysis } from '../../src/core/compose';
import { completionSpot, hostPathPrefix } from '../../src/core/composeCompletion';
import type { TextEdit } from '../../src/core/composeEdits';
import { bindSources, convertSyntax, definitionAt, referencesAt, renameVolume } from '../../src/core/composeNavigation';
import { EXPECTED } from './composeCorpusPublic.expected';

const FILE = [
  'services:',
  '  db:',
  '    image: postgres',
  '    volumes:',
  '      - "pgdata:/var/lib/postgresql/data"',
  '      - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro',
  '  app:',
  '    volumes:',
  '      - type: volume',
  '        source: pgdata',
  '        target: /backup',
  '        read_only: true',
  '      - pgdata2:/other',
  '      - ${DATA}:/data',
  'volumes:',
  '  pgdata:',
  '  pgdata2:',
  '    name: kept',
  '',
].join('\n');
const analysis = analyzeCompose(FILE, { folderName: 'shop' });
const at = (needle: string, nth = 0) => {
  let i = -1;
  for (let n = 0; n <= nth; n++) i = FILE.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  return i + 1;
};
const texts = (ranges: [number, number][]) =>
  ranges.map((r) => `${FILE.slice(r[0], r[1])}@${FILE.slice(0, r[0]).split('\n').length}`);
function apply(text: string, edits: TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.range[0] - a.range[0])
    .reduce((t, e) => t.slice(0, e.range[0]) + e.newText + t.slice(e.range[1]), text);
}

describe('compose language features (pure parts)', () => {
  it('goes from a service entry to the top-level declaration, short and long syntax', () => {
    assert.equal(definitionAt(analysis, at('pgdata:/var'))?.key, 'pgdata');
    assert.equal(definitionAt(analysis, at('source: pgdata') + 9)?.key, 'pgdata');
    assert.equal(definitionAt(analysis, at('pgdata2:/other'))?.key, 'pgdata2');
    assert.equal(definitionAt(analysis, at('./init.sql')), undefined, 'a bind has no declaration');
    assert.equal(definitionAt(analysis, at('/var/lib/postgresql') + 3), undefined, 'the target is not the volume');
  });

  it('finds every use of a volume, with or without its declaration', () => {
    assert.deepEqual(texts(referencesAt(analysis, at('  pgdata:\n') + 3, true)), [
      'pgdata@16',
      'pgdata@5',
      'pgdata@10',
    ]);
    assert.deepEqual(texts(referencesAt(analysis, at('pgdata:/var'), false)), ['pgdata@5', 'pgdata@10']);
  });

  it('renames a volume key and its uses, never a bind or a variable, and refuses a bad or taken name', () => {
    const result = renameVolume(analysis, at('pgdata:/var'), 'dbdata');
    assert.ok('edits' in result);
    const renamed = apply(FILE, result.edits);
    const after = analyzeCompose(renamed, { folderName: 'shop' });
    assert.deepEqual(
      after.topLevel.map((v) => v.key),
      ['dbdata', 'pgdata2'],
    );
    assert.deepEqual(
      after.entries.map((e) => e.source),
      ['dbdata', './init.sql', 'dbdata', 'pgdata2', '${DATA}'],
    );
    assert.deepEqual(renameVolume(analysis, at('./init'), 'x'), { error: 'notAVolume' });
    assert.deepEqual(renameVolume(analysis, at('pgdata:/var'), 'has space'), { error: 'invalidName' });
    assert.deepEqual(renameVolume(analysis, at('pgdata:/var'), 'pgdata2'), { error: 'taken' });
  });

  it('links literal bind sources only', () => {
    assert.deepEqual(
      bindSources(analysis).map((b) => `${b.source}=${FILE.slice(b.range[0], b.range[1])}`),
      ['./init.sql=./init.sql'],
    );
  });

  it('converts short to long and back without losing anything', () => {
    for (const e of analysis.entries.filter((x) => x.syntax === 'short' && !x.unresolved.length)) {
      const edit = convertSyntax(FILE, e);
      assert.ok(edit, `${e.service} ${e.target}`);
      const long = apply(FILE, [edit]);
      const a = analyzeCompose(long, { folderName: 'shop' });
      const converted = a.entries.find((x) => x.service === e.service && x.target === e.target)!;
      assert.equal(converted.syntax, 'long', long);
      assert.deepEqual([converted.kind, converted.source, converted.readOnly], [e.kind, e.source, e.readOnly], long);
      const back = convertSyntax(long, converted);
      assert.ok(back, long);
      const again = analyzeCompose(apply(long, [back]), { folderName: 'shop' }).entries.find(
        (x) => x.service === e.service && x.target === e.target,
      )!;
      assert.deepEqual(
        [again.syntax, again.kind, again.source, again.readOnly],
        ['short', e.kind, e.source, e.readOnly],
      );
    }
  });

  it('does not convert a long entry the short form cannot say', () => {
    const text = [
      'services:',
      '  app:',
      '    volumes:',
      '      - type: volume',
      '        source: data',
      '        target: /srv',
      '        volume:',
      '          subpath: site',
      'volumes:',
      '  data:',
    ].join('\n');
    const a = analyzeCompose(text, { folderName: 'x' });
    assert.equal(convertSyntax(text, a.entries[0]!), undefined);
    const bind = [
      'services:',
      '  app:',
      '    volumes:',
      '      - type: bind',
      '        source: ./src',
      '        target: /app',
    ].join('\n');
    assert.equal(
      convertSyntax(bind, analyzeCompose(bind, { folderName: 'x' }).entries[0]!),
      undefined,
      'a long bind does not create a missing folder; the short one does',
    );
  });

  it('knows where the cursor is: short fields, long keys and values, top-level keys', () => {
    const spot = (text: string) => completionSpot(text, text.indexOf('|') >= 0 ? text.indexOf('|') : text.length);
    const svc = 'services:\n  web:\n    volumes:\n';
    assert.deepEqual(spot(`${svc}      - pg`), {
      kind: 'shortField',
      service: 'web',
      field: 0,
      typed: 'pg',
      start: svc.length + 8,
    });
    assert.equal(spot(`${svc}      - ./src:/app:r`)?.kind, 'shortField');
    assert.deepEqual(spot(`${svc}      - ./src:/app:ro,`), {
      kind: 'shortField',
      service: 'web',
      field: 2,
      typed: '',
      start: svc.length + 22,
    });
    assert.deepEqual(spot(`services:\n  web:\n    volumes:\n    - data:/d`), {
      kind: 'shortField',
      service: 'web',
      field: 1,
      typed: '/d',
      start: 41,
    });
    assert.equal(spot(`${svc}      - type: volume\n        so`)?.kind, 'longKey');
    assert.deepEqual(spot(`${svc}      - type: volume\n        source: d`), {
      kind: 'longValue',
      service: 'web',
      key: 'source',
      typed: 'd',
      start: `${svc}      - type: volume\n        source: d`.length - 1,
    });
    assert.deepEqual(spot(`${svc}      - type: b`)?.kind, 'longValue');
    assert.deepEqual(spot(`${svc}      - type: volume\n        volume:\n          no`), {
      kind: 'longKey',
      service: 'web',
      under: 'volume',
      typed: 'no',
      start: `${svc}      - type: volume\n        volume:\n          no`.length - 2,
    });
    assert.deepEqual(spot('volumes:\n  data:\n    dri'), {
      kind: 'topLevelKey',
      volume: 'data',
      typed: 'dri',
      start: 21,
    });
    assert.equal(spot(`${svc}      - data:/x\n    image: pg`), undefined);
    assert.equal(spot('services:\n  web:\n    image: pg'), undefined);
  });

  it('finds the service of an entry however far down a long file it is', () => {
    const services = Array.from(
      { length: 1500 },
      (_, i) => `  svc${i}:\n    image: busybox\n    volumes:\n      - data:/d${i}`,
    ).join('\n');
    const text = `services:\n${services}\n      - da`;
    assert.deepEqual(completionSpot(text, text.length), {
      kind: 'shortField',
      service: 'svc1499',
      field: 0,
      typed: 'da',
      start: text.length - 2,
    });
  });

  it('splits a host path being typed into the folder to list and the prefix', () => {
    assert.deepEqual(hostPathPrefix('./conf/ng'), { folder: './conf/', prefix: 'ng' });
    assert.deepEqual(hostPathPrefix('.'), { folder: './', prefix: '' });
    assert.deepEqual(hostPathPrefix('~'), { folder: '~/', prefix: '' });
    assert.equal(hostPathPrefix('data'), undefined);
  });

  it('over both corpora: every named entry with a literal source leads to its declaration; conversions round-trip', function () {
    this.timeout(60_000);
    const files: { text: string; a: ComposeAnalysis }[] = [];
    const publicDir = path.resolve(__dirname, '../../../test/fixtures/compose-public');
    for (const e of EXPECTED)
      files.push({ text: fs.readFileSync(path.join(publicDir, e.file), 'utf8'), a: undefined! });
    const courseDir = path.resolve(__dirname, '../../../test/fixtures/compose');
    for (const folder of fs.readdirSync(courseDir).filter((f) => fs.statSync(path.join(courseDir, f)).isDirectory())) {
      const file = fs.readdirSync(path.join(courseDir, folder)).find((f) => /^compose\.ya?ml$/.test(f));
      if (file) files.push({ text: fs.readFileSync(path.join(courseDir, folder, file), 'utf8'), a: undefined! });
    }
    let links = 0;
    let conversions = 0;
    for (const f of files) {
      const a = analyzeCompose(f.text, { folderName: 'p' });
      for (const e of a.entries.filter((x) => x.kind === 'named' && x.sourceRange && !x.unresolved.length)) {
        assert.equal(f.text.slice(e.sourceRange![0], e.sourceRange![1]), e.source);
        if (a.topLevel.some((v) => v.key === e.source)) {
          assert.equal(definitionAt(a, e.sourceRange![0])?.key, e.source);
          links++;
        }
      }
      for (const e of a.entries.filter((x) => x.syntax === 'short' && !x.unresolved.length && !x.services)) {
        const edit = convertSyntax(f.text, e);
        if (!edit) continue;
        const converted = analyzeCompose(apply(f.text, [edit]), { folderName: 'p' });
        assert.deepEqual(converted.errors, []);
        const c = converted.entries.find(
          (x) => x.service === e.service && x.target === e.target && x.syntax === 'long',
        );
        assert.ok(c, `${e.service} ${e.target}`);
        assert.deepEqual([c.kind, c.source, c.readOnly], [e.kind, e.source, e.readOnly]);
        conversions++;
      }
    }
    assert.ok(links >= 30, `${links} definitions`);
    assert.ok(conversions >= 50, `${conversions} conversions`);
  });
});
