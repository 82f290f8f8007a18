import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { confinedRealPath, isInside } from '../../src/core/pathConfinement';

describe('bind sources confined to the workspace', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-confine-'));
  const workspace = path.join(root, 'repo');
  const outside = path.join(root, 'secrets');
  before(() => {
    fs.mkdirSync(path.join(workspace, 'flask', 'site'), { recursive: true });
    fs.mkdirSync(outside);
    fs.symlinkSync('/', path.join(workspace, 'rootlink'));
    fs.symlinkSync(outside, path.join(workspace, 'nginx'));
    fs.symlinkSync(path.join(workspace, 'flask'), path.join(workspace, 'alias'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('follows symbolic links and refuses a folder that leads outside', () => {
    assert.equal(confinedRealPath(path.join(workspace, 'rootlink'), [workspace], fs.realpathSync), undefined, 'flask -> / is refused');
    assert.equal(confinedRealPath(path.join(workspace, 'nginx', '.'), [workspace], fs.realpathSync), undefined);
    assert.equal(confinedRealPath(path.join(workspace, 'flask', '..', '..', 'secrets'), [workspace], fs.realpathSync), undefined);
    assert.equal(confinedRealPath(path.join(workspace, 'missing'), [workspace], fs.realpathSync), undefined);
  });

  it('accepts folders inside, as their real path, and a root the user chose', () => {
    assert.equal(confinedRealPath(path.join(workspace, 'flask', 'site'), [workspace], fs.realpathSync), fs.realpathSync(path.join(workspace, 'flask', 'site')));
    assert.equal(confinedRealPath(path.join(workspace, 'alias'), [workspace], fs.realpathSync), fs.realpathSync(path.join(workspace, 'flask')));
    assert.equal(confinedRealPath(path.join(workspace, 'nginx'), [workspace, outside], fs.realpathSync), fs.realpathSync(outside));
  });

  it('does not take a sibling with a common prefix for a child', () => {
    assert.equal(isInside('/srv/repo-evil', '/srv/repo'), false);
    assert.equal(isInside('/srv/repo/a', '/srv/repo'), true);
    assert.equal(isInside('/srv/repo', '/srv/repo'), true);
  });
});
