import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  checkRemoteTypedPath,
  checkTypedPath,
  namesNetworkPath,
  readsAsPath,
  resolveTypedPath,
  type TypedPathInputs,
} from '../../src/core/typedPath';

/** An in-memory tree: folders end with "/", the rest are files; `locked` cannot be read. */
function tree(entries: string[], locked: string[] = []): TypedPathInputs {
  const folders = new Set(entries.filter((e) => e.endsWith('/')).map((e) => e.slice(0, -1)));
  const files = new Set(entries.filter((e) => !e.endsWith('/')));
  return {
    home: '/home/ana',
    base: '/work/project',
    stat: (p) =>
      folders.has(p) || files.has(p) ? { isDirectory: () => folders.has(p), isFile: () => files.has(p) } : undefined,
    readable: (p) => !locked.includes(p),
  };
}

describe('typed paths in the pickers', () => {
  const inputs = tree(
    ['/home/ana/', '/home/ana/site/', '/work/project/', '/work/project/app/', '/work/project/b.tar.gz', '/srv/x/'],
    ['/srv/x'],
  );

  it('expands ~, takes a relative path from the workspace folder, and keeps an absolute one', () => {
    assert.equal(resolveTypedPath('~', inputs), '/home/ana');
    assert.equal(resolveTypedPath('~/site', inputs), path.join('/home/ana', 'site'));
    assert.equal(resolveTypedPath('  app  ', inputs), '/work/project/app');
    assert.equal(resolveTypedPath('../other/./data', inputs), '/work/other/data');
    assert.equal(resolveTypedPath('/srv//x/', inputs), '/srv/x/');
    assert.equal(resolveTypedPath('~ana', inputs), '/work/project/~ana', 'only ~ and ~/ name the home folder');
    assert.equal(resolveTypedPath('app', { ...inputs, base: undefined }), undefined);
    // As pasted from a terminal or a browser: quotes, a file URL, $HOME.
    assert.equal(resolveTypedPath(' "/srv/my site" ', inputs), '/srv/my site');
    assert.equal(resolveTypedPath("'~/site'", inputs), path.join('/home/ana', 'site'));
    assert.equal(resolveTypedPath('file:///srv/my%20site', inputs), '/srv/my site');
    assert.equal(resolveTypedPath('$HOME/site', inputs), path.join('/home/ana', 'site'));
    assert.equal(resolveTypedPath('${HOME}', inputs), '/home/ana');
    assert.deepEqual(checkTypedPath('$DATA/x', 'folder', inputs), { kind: 'variable', typed: '$DATA/x' });
    assert.deepEqual(checkTypedPath('"$HOME/site"', 'folder', inputs), { kind: 'ok', path: '/home/ana/site' });
  });

  it("refuses another user's home and, on a host whose paths start with /, a Windows drive path", () => {
    assert.deepEqual(checkTypedPath('~bob/data', 'folder', inputs), { kind: 'otherHome', typed: '~bob/data' });
    assert.deepEqual(checkTypedPath('~ana', 'folder', inputs), { kind: 'otherHome', typed: '~ana' });
    if (path.sep === '/') {
      assert.deepEqual(checkTypedPath('C:\\data', 'folder', inputs), { kind: 'foreignDrive', typed: 'C:\\data' });
      assert.deepEqual(checkTypedPath('"d:/site"', 'folder', inputs), { kind: 'foreignDrive', typed: '"d:/site"' });
    }
    // A name that only starts like one is still a relative name.
    assert.deepEqual(checkTypedPath('app', 'folder', inputs), { kind: 'ok', path: '/work/project/app' });
  });

  it('says what is wrong with a typed path: empty, relative with no workspace, missing, wrong kind, unreadable', () => {
    assert.deepEqual(checkTypedPath('app', 'folder', inputs), { kind: 'ok', path: '/work/project/app' });
    assert.deepEqual(checkTypedPath('~/site', 'folder', inputs), { kind: 'ok', path: '/home/ana/site' });
    assert.deepEqual(checkTypedPath('b.tar.gz', 'file', inputs), { kind: 'ok', path: '/work/project/b.tar.gz' });
    assert.deepEqual(checkTypedPath('   ', 'folder', inputs), { kind: 'empty' });
    assert.deepEqual(checkTypedPath('app', 'folder', { ...inputs, base: undefined }), { kind: 'noBase', typed: 'app' });
    assert.deepEqual(checkTypedPath('new/data', 'folder', inputs), { kind: 'missing', path: '/work/project/new/data' });
    assert.deepEqual(checkTypedPath('b.tar.gz', 'folder', inputs), {
      kind: 'notFolder',
      path: '/work/project/b.tar.gz',
    });
    assert.deepEqual(checkTypedPath('app', 'file', inputs), { kind: 'notFile', path: '/work/project/app' });
    assert.deepEqual(checkTypedPath('/srv/x', 'folder', inputs), { kind: 'unreadable', path: '/srv/x' });
  });

  it('offers what is typed as a path when it is written like one, and a bare name only when it names an entry', () => {
    for (const typed of ['/', '/srv/new', '~', '~/site', '~bob', './app', '../other', '.', 'new/data', 'a\\b'])
      assert.equal(readsAsPath(typed, inputs), true, typed);
    // Pasted or written in a form the check explains: quotes, a URL, a variable, a Windows drive.
    for (const typed of ['"my site"', "'x'", 'file:///srv/x', '$HOME', '$DATA', 'C:\\data', 'd:'])
      assert.equal(readsAsPath(typed, inputs), true, typed);
    // A bare name that names something in the workspace folder (a folder or a file), whatever the picker wants.
    assert.equal(readsAsPath('app', inputs), true);
    assert.equal(readsAsPath('  b.tar.gz ', inputs), true);
    // Otherwise a bare name (or nothing) only filters the ready choices.
    for (const typed of ['', '   ', 'back', 'This workspace', 'b.tar', 'app2'])
      assert.equal(readsAsPath(typed, inputs), false, JSON.stringify(typed));
    assert.equal(readsAsPath('back', { ...inputs, base: undefined }), true, 'no folder open: offered, to say so');
  });

  it('tells a network path, however pasted, from a local one, so that the picker does not look at it while typed', () => {
    for (const typed of ['\\\\server\\share', '//server/share', ' "\\\\s" ', 'file://server/share/x'])
      assert.equal(namesNetworkPath(typed), typed !== 'file://server/share/x' || path.sep === '\\', typed);
    for (const typed of ['/srv/x', '~/site', 'app', '\\', '"/srv"'])
      assert.equal(namesNetworkPath(typed), false, typed);
  });

  it("for a remote daemon's machine, takes only an absolute path, as typed, and refuses one taken from here", () => {
    // Nothing of this machine is resolved into it: not the workspace folder, not the home, not a variable.
    assert.deepEqual(checkRemoteTypedPath(' /srv//data/./site/ '), { kind: 'ok', path: '/srv/data/site/' });
    assert.deepEqual(checkRemoteTypedPath('"/srv/my site"'), { kind: 'ok', path: '/srv/my site' });
    assert.deepEqual(checkRemoteTypedPath('/work/project/../other'), { kind: 'ok', path: '/work/other' });
    // A Windows daemon's paths, in its own style, whatever this machine's is.
    assert.deepEqual(checkRemoteTypedPath('C:/data/site'), { kind: 'ok', path: 'C:\\data\\site' });
    assert.deepEqual(checkRemoteTypedPath('\\\\nas\\share\\db'), { kind: 'ok', path: '\\\\nas\\share\\db' });
    for (const typed of ['app', './app', '../other', 'data/site', 'C:data'])
      assert.deepEqual(checkRemoteTypedPath(typed), { kind: 'remoteRelative', typed }, typed);
    for (const typed of ['~', '~/site', '$HOME/site', '${HOME}', '~bob/x'])
      assert.deepEqual(checkRemoteTypedPath(typed), { kind: 'remoteHome', typed }, typed);
    assert.deepEqual(checkRemoteTypedPath('$DATA/x'), { kind: 'variable', typed: '$DATA/x' });
    assert.deepEqual(checkRemoteTypedPath('  '), { kind: 'empty' });
  });
});
