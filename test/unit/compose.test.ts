import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeCompose, normalizeProjectName, undeclaredVolumes, unusedVolumes } from '../../src/core/compose';
import { parseDotEnv, substitute } from '../../src/core/composeInterpolation';

const corpus = path.resolve(__dirname, '../../../test/fixtures/compose');

describe('compose analysis', () => {
  it('reads every volume entry of the 30 real compose files, each with a kind and a target', () => {
    let entries = 0;
    const folders = fs.readdirSync(corpus).filter((f) => fs.statSync(path.join(corpus, f)).isDirectory());
    assert.equal(folders.length, 30);
    for (const folder of folders) {
      const file = fs.readdirSync(path.join(corpus, folder)).find((f) => /^compose\.ya?ml$/.test(f))!;
      const text = fs.readFileSync(path.join(corpus, folder, file), 'utf8');
      const analysis = analyzeCompose(text, { folderName: folder });
      assert.deepEqual(analysis.errors, [], folder);
      assert.equal(analysis.projectName, normalizeProjectName(folder));
      for (const e of analysis.entries) {
        entries++;
        assert.notEqual(e.kind, 'unknown', `${folder}: ${text.slice(e.range[0], e.range[1])}`);
        assert.ok(
          e.target.startsWith('/') || /^[A-Za-z]:/.test(e.target) || e.unresolved.length > 0,
          `${folder}: target of ${text.slice(e.range[0], e.range[1])}`,
        );
        assert.ok(e.range[1] > e.range[0]);
      }
      for (const v of analysis.topLevel)
        assert.equal(text.slice(v.range[0], v.range[1]), v.key, `${folder}: range of ${v.key}`);
    }
    assert.ok(entries >= 40, `entries found: ${entries}`);
  });

  it('maps top-level keys to daemon names: <project>_<key>, name:, external', () => {
    const a = analyzeCompose(
      [
        'name: My Shop!',
        'services:',
        '  db:',
        '    image: postgres',
        '    volumes:',
        '      - pgdata:/var/lib/postgresql/data',
        '      - shared:/shared:ro',
        '      - legacy:/legacy',
        'volumes:',
        '  pgdata:',
        '  shared:',
        '    external: true',
        '  legacy:',
        '    name: old-${ENV:-prod}-data',
        '  spare:',
      ].join('\n'),
      { folderName: 'ignored' },
    );
    assert.equal(a.projectName, 'myshop');
    assert.deepEqual(
      a.topLevel.map((v) => [v.key, v.daemonName, v.external]),
      [
        ['pgdata', 'myshop_pgdata', false],
        ['shared', 'shared', true],
        ['legacy', 'old-prod-data', false],
        ['spare', 'myshop_spare', false],
      ],
    );
    assert.deepEqual(
      unusedVolumes(a).map((v) => v.key),
      ['spare'],
    );
    assert.deepEqual(undeclaredVolumes(a), []);
  });

  it('takes the project from COMPOSE_PROJECT_NAME, else the folder name normalised', () => {
    assert.equal(analyzeCompose('services: {}', { folderName: 'My_App.v2' }).projectName, 'my_appv2');
    assert.equal(
      analyzeCompose('services: {}', { folderName: 'x', vars: { COMPOSE_PROJECT_NAME: 'Lab' } }).projectName,
      'lab',
    );
  });

  it('lets COMPOSE_PROJECT_NAME (environment or .env) win over the top-level name:, as Compose does', () => {
    const a = analyzeCompose('name: shop\nservices:\n  db:\n    volumes: [data:/d]\nvolumes:\n  data:\n', {
      folderName: 'x',
      vars: { COMPOSE_PROJECT_NAME: 'ci42' },
    });
    assert.equal(a.projectName, 'ci42');
    assert.deepEqual(
      a.entries.map((e) => e.daemonName),
      ['ci42_data'],
    );
  });

  it('classifies every short-syntax form', () => {
    const a = analyzeCompose(
      [
        'services:',
        '  app:',
        '    volumes:',
        '      - ./src:/app',
        '      - ../shared:/shared:ro',
        '      - /var/run/docker.sock:/var/run/docker.sock',
        '      - ~/.ssh:/root/.ssh:ro',
        '      - C:\\data:/data',
        '      - data:/data2:nocopy',
        '      - /cache',
        '      - /srv/site:/usr/share/nginx/html:ro,Z',
        '      - logs:/logs:rw,cached',
        '    tmpfs:',
        '      - /run:size=64m',
      ].join('\n'),
      { folderName: 'p' },
    );
    assert.deepEqual(
      a.entries.map((e) => [e.kind, e.source ?? '', e.target, e.readOnly, e.options.join(',')]),
      [
        ['bind', './src', '/app', false, ''],
        ['bind', '../shared', '/shared', true, ''],
        ['bind', '/var/run/docker.sock', '/var/run/docker.sock', false, ''],
        ['bind', '~/.ssh', '/root/.ssh', true, ''],
        ['bind', 'C:\\data', '/data', false, ''],
        ['named', 'data', '/data2', false, 'nocopy'],
        ['anonymous', '', '/cache', false, ''],
        ['bind', '/srv/site', '/usr/share/nginx/html', true, 'Z'],
        ['named', 'logs', '/logs', false, 'cached'],
        ['tmpfs', '', '/run', false, 'size=64m'],
      ],
    );
    assert.equal(a.entries.at(-1)!.tmpfsSize, 64 * 1024 * 1024);
    assert.deepEqual(
      undeclaredVolumes(a).map((e) => e.source),
      ['data', 'logs'],
      'Compose would refuse these',
    );
  });

  it('reads the long syntax', () => {
    const a = analyzeCompose(
      [
        'services:',
        '  app:',
        '    volumes:',
        '      - type: volume',
        '        source: db',
        '        target: /data',
        '        read_only: true',
        '        volume: { nocopy: true, subpath: sub }',
        '      - type: bind',
        '        source: ./code',
        '        target: /code',
        '        bind: { create_host_path: true }',
        '      - type: tmpfs',
        '        target: /tmp',
        '        tmpfs: { size: 100m }',
        '      - type: npipe',
        '        source: \\\\.\\pipe\\docker_engine',
        '        target: \\\\.\\pipe\\docker_engine',
        'volumes: { db: {} }',
      ].join('\n'),
      { folderName: 'p' },
    );
    assert.deepEqual(
      a.entries.map((e) => [e.kind, e.syntax, e.source ?? '', e.readOnly, e.options.join(',')]),
      [
        ['named', 'long', 'db', true, 'nocopy,subpath=sub'],
        ['bind', 'long', './code', false, 'create_host_path=true'],
        ['tmpfs', 'long', '', false, ''],
        ['npipe', 'long', '\\\\.\\pipe\\docker_engine', false, ''],
      ],
    );
    assert.equal(a.entries[2]!.tmpfsSize, 100 * 1024 * 1024);
  });

  it('resolves variables from .env and the environment, and reports the ones it cannot', () => {
    const env = parseDotEnv('# comment\nDATA_DIR=./data\nexport TAG="1.2"\nEMPTY=\n');
    assert.deepEqual(env, { DATA_DIR: './data', TAG: '1.2', EMPTY: '' });
    assert.deepEqual(substitute('${DATA_DIR}/pg:${MISSING}:${EMPTY:-/x}:$$HOME:${NONE-dflt}', env), {
      value: './data/pg:${MISSING}:/x:$HOME:dflt',
      unresolved: ['MISSING'],
    });
    const a = analyzeCompose(
      'services:\n  db:\n    volumes:\n      - ${DATA_DIR}/pg:/var/lib/pg\n      - ${UNKNOWN}:/x\n',
      { folderName: 'p', vars: env },
    );
    assert.equal(a.entries[0]!.source, './data/pg');
    assert.deepEqual(a.entries[1]!.unresolved, ['UNKNOWN']);
  });

  it('follows anchors and merge keys, and survives broken YAML and empty files', () => {
    const a = analyzeCompose(
      [
        'x-common: &common',
        '  volumes:',
        '    - shared:/shared',
        'services:',
        '  a:',
        '    <<: *common',
        '  b:',
        '    <<: *common',
        'volumes: { shared: {} }',
      ].join('\n'),
      { folderName: 'p' },
    );
    assert.deepEqual(
      a.entries.map((e) => [e.service, e.source]),
      [
        ['a', 'shared'],
        ['b', 'shared'],
      ],
    );
    const broken = analyzeCompose('services:\n  a:\n    volumes: [unclosed\n', { folderName: 'p' });
    assert.ok(broken.errors.length > 0);
    assert.deepEqual(analyzeCompose('', { folderName: 'p' }).entries, []);
  });

  it('handles a 10,000-line file', function () {
    // A correctness check on a big input; its speed is the bench's (compose-analysis-5000-lines), not mocha's 2 s.
    this.timeout(30_000);
    const lines = ['services:'];
    for (let i = 0; i < 2000; i++)
      lines.push(`  s${i}:`, '    image: busybox', '    volumes:', `      - v${i}:/data`, `      - ./d${i}:/d`);
    lines.push('volumes:');
    for (let i = 0; i < 2000; i++) lines.push(`  v${i}: {}`);
    const a = analyzeCompose(lines.join('\n'), { folderName: 'big' });
    assert.equal(a.entries.length, 4000);
    assert.equal(a.topLevel.length, 2000);
    assert.deepEqual(undeclaredVolumes(a), []);
  });
});
