import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { confinedRealPath, isInside, realPathOf, realPlacement, workspaceOrigin } from '../../src/core/pathConfinement';

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
    assert.equal(
      confinedRealPath(path.join(workspace, 'rootlink'), [workspace], fs.realpathSync),
      undefined,
      'flask -> / is refused',
    );
    assert.equal(confinedRealPath(path.join(workspace, 'nginx', '.'), [workspace], fs.realpathSync), undefined);
    assert.equal(
      confinedRealPath(path.join(workspace, 'flask', '..', '..', 'secrets'), [workspace], fs.realpathSync),
      undefined,
    );
    assert.equal(confinedRealPath(path.join(workspace, 'missing'), [workspace], fs.realpathSync), undefined);
  });

  it('accepts folders inside, as their real path, and a root the user chose', () => {
    assert.equal(
      confinedRealPath(path.join(workspace, 'flask', 'site'), [workspace], fs.realpathSync),
      fs.realpathSync(path.join(workspace, 'flask', 'site')),
    );
    assert.equal(
      confinedRealPath(path.join(workspace, 'alias'), [workspace], fs.realpathSync),
      fs.realpathSync(path.join(workspace, 'flask')),
    );
    assert.equal(
      confinedRealPath(path.join(workspace, 'nginx'), [workspace, outside], fs.realpathSync),
      fs.realpathSync(outside),
    );
  });

  it('does not take a sibling with a common prefix for a child', () => {
    assert.equal(isInside('/srv/repo-evil', '/srv/repo'), false);
    assert.equal(isInside('/srv/repo/a', '/srv/repo'), true);
    assert.equal(isInside('/srv/repo', '/srv/repo'), true);
  });
});

describe('what comes from the workspace, judged by real paths', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-origin-')));
  const realParent = path.join(root, 'data');
  const workspaceReal = path.join(realParent, 'repo');
  const linkedParent = path.join(root, 'home-link');
  const workspaceViaLink = path.join(linkedParent, 'repo');
  const elsewhere = path.join(root, 'tmp');
  before(() => {
    fs.mkdirSync(workspaceReal, { recursive: true });
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, 'db_20261125_090507.tar.gz'), 'x');
    fs.symlinkSync(realParent, linkedParent);
    fs.symlinkSync(elsewhere, path.join(workspaceReal, 'backups'));
    fs.mkdirSync(path.join(workspaceReal, 'notes'));
    fs.symlinkSync(path.join(workspaceReal, 'notes'), path.join(elsewhere, 'into-repo'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("counts a committed backups -> elsewhere symlink, and every file reached through it, as the workspace's", () => {
    const folder = workspaceOrigin(path.join(workspaceReal, 'backups'), [workspaceReal], fs.realpathSync);
    assert.deepEqual(folder, { inside: true, judged: elsewhere }, "the real path judged is the link's target");
    const archive = workspaceOrigin(
      path.join(workspaceReal, 'backups', 'db_20261125_090507.tar.gz'),
      [workspaceReal],
      fs.realpathSync,
    );
    assert.equal(archive.inside, true);
    assert.equal(archive.judged, path.join(elsewhere, 'db_20261125_090507.tar.gz'));
    assert.equal(
      workspaceOrigin(path.join(workspaceReal, 'backups', 'db.tar.gz.json'), [workspaceReal], fs.realpathSync).inside,
      true,
      'a manifest not there yet too',
    );
  });

  it('judges a folder not created yet by the real path of what exists, under a workspace opened through a symlink', () => {
    assert.equal(
      realPathOf(path.join(workspaceViaLink, 'later', 'deeper'), fs.realpathSync),
      path.join(workspaceReal, 'later', 'deeper'),
    );
    assert.equal(workspaceOrigin(path.join(workspaceViaLink, 'later'), [workspaceReal], fs.realpathSync).inside, true);
    assert.equal(workspaceOrigin(path.join(workspaceReal, 'later'), [workspaceViaLink], fs.realpathSync).inside, true);
    assert.equal(
      workspaceOrigin(path.join(elsewhere, 'into-repo', 'x'), [workspaceViaLink], fs.realpathSync).inside,
      true,
      'a link from outside into the workspace leads inside',
    );
  });

  it('leaves a folder really outside outside, in both forms', () => {
    assert.deepEqual(workspaceOrigin(elsewhere, [workspaceReal], fs.realpathSync), {
      inside: false,
      judged: elsewhere,
    });
    assert.equal(
      workspaceOrigin(path.join(root, 'data', 'repo-other'), [workspaceViaLink], fs.realpathSync).inside,
      false,
    );
  });
});

describe('where a missing bind folder would really be created', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-placement-'));
  const workspace = path.join(root, 'repo');
  const outside = path.join(root, 'elsewhere');
  before(() => {
    fs.mkdirSync(path.join(workspace, 'app'), { recursive: true });
    fs.mkdirSync(outside);
    // As a repository commits it: a relative link that climbs out of the workspace.
    fs.symlinkSync('../elsewhere', path.join(workspace, 'data'));
    fs.symlinkSync('app', path.join(workspace, 'inner'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('places a folder under a committed link that leads outside by where it leads', () => {
    const placed = realPlacement(path.join(workspace, 'data', 'new', 'deeper'), [workspace], fs.realpathSync);
    assert.deepEqual(placed, { real: path.join(fs.realpathSync(outside), 'new', 'deeper'), inside: false });
  });

  it('keeps inside a folder under a link that stays inside, and a plain missing folder', () => {
    assert.equal(realPlacement(path.join(workspace, 'inner', 'new'), [workspace], fs.realpathSync).inside, true);
    assert.equal(realPlacement(path.join(workspace, 'fresh', 'a'), [workspace], fs.realpathSync).inside, true);
    assert.equal(realPlacement(path.join(workspace, '..', 'sibling'), [workspace], fs.realpathSync).inside, false);
  });

  it('places a path under a dangling link where the link leads, never inside by its written form', () => {
    // A committed link whose target does not exist yet: creating through it writes where it points.
    fs.symlinkSync(path.join(outside, 'not-yet'), path.join(workspace, 'dangling'));
    fs.symlinkSync('missing-inside', path.join(workspace, 'dangling-inside'));
    fs.symlinkSync('loop-b', path.join(workspace, 'loop-a'));
    fs.symlinkSync('loop-a', path.join(workspace, 'loop-b'));
    assert.deepEqual(realPlacement(path.join(workspace, 'dangling', 'x'), [workspace], fs.realpathSync), {
      real: path.join(fs.realpathSync(outside), 'not-yet', 'x'),
      inside: false,
    });
    assert.equal(realPlacement(path.join(workspace, 'dangling'), [workspace], fs.realpathSync).inside, false);
    assert.equal(
      realPlacement(path.join(workspace, 'dangling-inside', 'x'), [workspace], fs.realpathSync).inside,
      true,
    );
    assert.equal(realPlacement(path.join(workspace, 'loop-a', 'x'), [workspace], fs.realpathSync).inside, false);
    assert.equal(
      workspaceOrigin(path.join(workspace, 'dangling'), [workspace], fs.realpathSync).judged,
      path.join(fs.realpathSync(outside), 'not-yet'),
    );
  });

  it("reads a dangling link's relative target from the link's real folder, as the kernel does", () => {
    // `a/b/sub` leads back to the workspace, where `link -> ../../x` climbs out: read from `a/b/sub` it would seem
    // to stay inside at `a/x`.
    fs.mkdirSync(path.join(workspace, 'a', 'b'), { recursive: true });
    fs.symlinkSync('../..', path.join(workspace, 'a', 'b', 'sub'));
    fs.symlinkSync('../../x', path.join(workspace, 'link'));
    const placed = realPlacement(path.join(workspace, 'a', 'b', 'sub', 'link', 'new'), [workspace], fs.realpathSync);
    assert.deepEqual(placed, { real: path.join(fs.realpathSync(workspace), '..', '..', 'x', 'new'), inside: false });
  });

  it('judges the roots by their real paths too (a workspace opened through a link)', () => {
    const linkedWorkspace = path.join(root, 'repo-link');
    fs.symlinkSync(workspace, linkedWorkspace);
    assert.equal(realPlacement(path.join(workspace, 'new'), [linkedWorkspace], fs.realpathSync).inside, true);
    assert.equal(
      realPlacement(path.join(linkedWorkspace, 'data', 'x'), [linkedWorkspace], fs.realpathSync).inside,
      false,
    );
  });
});
