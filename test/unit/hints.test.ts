import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeCompose } from '../../src/core/compose';
import type { Translator } from '../../src/core/errorText';
import { composeProblems, entryAsMountFlag, entryHint, topLevelStateText } from '../../src/core/hints';
import { daemonVolumeState, type VolumeRow, type VolumeUse } from '../../src/core/volumeModel';

const english: Translator = { t: (m, ...a) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])) };
const corpus = path.resolve(__dirname, '../../../test/fixtures/compose');

describe('editor hints', () => {
  it('gives every volume entry of the corpus a hint', () => {
    let count = 0;
    for (const folder of fs.readdirSync(corpus).filter((f) => fs.statSync(path.join(corpus, f)).isDirectory())) {
      const file = fs.readdirSync(path.join(corpus, folder)).find((f) => /^compose\.ya?ml$/.test(f))!;
      const a = analyzeCompose(fs.readFileSync(path.join(corpus, folder, file), 'utf8'), { folderName: folder });
      for (const e of a.entries) {
        const hint = entryHint(e, a.projectName, english);
        assert.ok(hint.includes(e.target) && !hint.startsWith('mount at'), `${folder}: ${hint}`);
        count++;
      }
    }
    assert.ok(count >= 40);
  });

  it('describes the live state of a top-level volume', () => {
    const v = { key: 'db', daemonName: 'shop_db', external: false, range: [0, 2] as [number, number] };
    assert.equal(topLevelStateText(v, undefined, english), 'shop_db: not created yet (docker compose up creates it)');
    assert.equal(
      topLevelStateText({ ...v, external: true, daemonName: 'db' }, undefined, english),
      'external — db is missing on the daemon',
    );
    assert.equal(
      topLevelStateText(v, { exists: true, size: 123_000_000, users: ['db', 'web'] }, english),
      'shop_db exists · 123 MB · used by db, web',
    );
    assert.equal(topLevelStateText(v, { exists: true, users: [] }, english), 'shop_db exists · unused');
  });

  it('states a listed volume by its size once measured and by the names of the containers using it', () => {
    const v = { key: 'db', daemonName: 'shop_db', external: false, range: [0, 2] as [number, number] };
    const use = (containerName: string): VolumeUse => ({
      containerId: `id-${containerName}`,
      containerName,
      image: 'postgres:16',
      state: 'running',
      running: true,
      destination: '/var/lib/postgresql/data',
      readOnly: false,
    });
    const row: VolumeRow = {
      volume: {
        name: 'shop_db',
        driver: 'local',
        scope: 'local',
        mountpoint: '/v/shop_db',
        labels: {},
        options: {},
        anonymous: false,
      },
      users: [use('db'), use('web')],
      size: 123_000_000,
    };
    assert.equal(topLevelStateText(v, daemonVolumeState(row), english), 'shop_db exists · 123 MB · used by db, web');
    assert.deepEqual(daemonVolumeState({ ...row, users: [], size: undefined }), { exists: true, users: [] });
    assert.equal(
      topLevelStateText(v, daemonVolumeState({ ...row, users: [], size: undefined }), english),
      'shop_db exists · unused',
      'no size before it is measured',
    );
  });

  it('finds what Compose or the host would object to', () => {
    const a = analyzeCompose(
      [
        'services:',
        '  app:',
        '    volumes:',
        '      - data:/data',
        '      - ./here:/here',
        '      - ./gone:/gone',
        '      - ./made:/made',
        '      - /etc:/host-etc:ro',
        '      - /var/run/docker.sock:/var/run/docker.sock',
        '      - /anon',
        '      - type: bind',
        '        source: ./auto',
        '        target: /auto',
        '        bind: { create_host_path: true }',
        'volumes:',
        '  spare: {}',
        '  ext: { external: true }',
      ].join('\n'),
      { folderName: 'p' },
    );
    const problems = composeProblems(
      a,
      {
        resolveHostPath: (s) => path.posix.resolve('/proj', s),
        exists: (p) => ['/proj/here', '/proj/made', '/etc', '/var/run/docker.sock'].includes(p),
        daemonVolumes: new Set(['p_spare']),
      },
      english,
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity]),
      [
        ['undeclaredVolume', 'error'],
        ['unusedVolume', 'hint'],
        ['unusedVolume', 'hint'],
        ['missingBindSource', 'warning'],
        ['sensitiveBind', 'warning'],
        ['dockerSocketBind', 'warning'],
        ['anonymousVolume', 'information'],
        ['missingExternalVolume', 'warning'],
      ],
    );
    assert.match(problems[0]!.message, /Compose refuses to start/);
  });
});

describe('entryAsMountFlag', () => {
  it('writes each entry as the --mount flag docker run takes', () => {
    const a = analyzeCompose(
      'services:\n  a:\n    volumes:\n      - ./src:/app:ro\n      - db:/data\n      - /anon\n    tmpfs:\n      - /run:size=1m\n',
      { folderName: 'shop' },
    );
    assert.deepEqual(
      a.entries.map((e) => entryAsMountFlag(e, a.projectName)),
      [
        '--mount type=bind,src=./src,dst=/app,readonly',
        '--mount type=volume,src=shop_db,dst=/data',
        '--mount type=volume,dst=/anon',
        '--mount type=tmpfs,dst=/run,tmpfs-size=1048576',
      ],
    );
  });
});
