import * as assert from 'node:assert/strict';
import { analyzeCompose } from '../../src/core/compose';
import type { Translator } from '../../src/core/errorText';
import { composeProblems } from '../../src/core/hints';
import { mountWarnings } from '../../src/core/mounts';
import { isNetworkPath } from '../../src/core/networkPath';

const english: Translator = { t: (m, ...a) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])) };

describe('network paths are never looked at on disk', () => {
  it('knows UNC and device paths in every slash direction, and no local path', () => {
    for (const p of [
      '\\\\server\\share\\x',
      '//server/share/x',
      '\\\\?\\UNC\\server\\share\\x',
      '\\\\.\\pipe\\docker_engine',
      '\\\\?\\C:\\data',
      '/\\server\\share',
      '\\/server/share',
      '  //server/share',
    ])
      assert.equal(isNetworkPath(p), true, p);
    for (const p of ['/srv/data', './data', '../x', '~/data', 'C:\\data', 'C:/data', 'data', '/', '\\data', ''])
      assert.equal(isNetworkPath(p), false, p);
  });

  it('says a network bind source was not checked, without asking the file system about it', () => {
    const text = [
      'services:',
      '  app:',
      '    image: nginx',
      '    volumes:',
      '      - //server/share/x:/a',
      '      - \\\\server\\share\\y:/b',
      '      - \\\\?\\UNC\\server\\share\\z:/c',
      '      - ./local:/d',
      '',
    ].join('\n');
    const looked: string[] = [];
    // On Windows a bind source resolves as written; each lookup of a UNC path there is an SMB connection.
    const problems = composeProblems(
      analyzeCompose(text, { folderName: 'app' }),
      {
        resolveHostPath: (s) => (isNetworkPath(s) ? s : `C:\\work\\app\\${s}`),
        exists: (p) => {
          looked.push(p);
          return false;
        },
        hostIsWindows: true,
      },
      english,
    );
    assert.deepEqual(looked, ['C:\\work\\app\\./local'], 'only the local source is looked at');
    const network = problems.filter((p) => p.code === 'networkBindSource');
    assert.equal(network.length, 3);
    assert.match(network[0]!.message, /^\/\/server\/share\/x is a network path: it was not checked/);
    assert.deepEqual(
      problems.filter((p) => p.code === 'missingBindSource').map((p) => p.message),
      ['./local does not exist on this machine.'],
    );
  });

  it('does not look at a source that only resolves to a network path (a compose file with // in its folder)', () => {
    const looked: string[] = [];
    composeProblems(
      analyzeCompose('services:\n  app:\n    image: nginx\n    volumes:\n      - ./x:/a\n', { folderName: 'app' }),
      { resolveHostPath: (s) => `\\\\server\\share\\${s}`, exists: (p) => (looked.push(p), true), hostIsWindows: true },
      english,
    );
    assert.deepEqual(looked, []);
  });
});

describe('container mounts with a network source', () => {
  it('are not looked up when the mounts tree checks which host folders exist', () => {
    const looked: string[] = [];
    const warnings = mountWarnings(
      [
        { type: 'bind', source: '\\\\server\\share\\x' },
        { type: 'bind', source: '/srv/gone' },
      ],
      { exists: (p) => (looked.push(p), false) },
    );
    assert.deepEqual(looked, ['/srv/gone']);
    assert.deepEqual(
      warnings.filter((w) => w.kind === 'missingHostPath').map((w) => w.subject),
      ['/srv/gone'],
    );
  });
});
