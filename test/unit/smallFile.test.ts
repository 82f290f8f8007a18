import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSmallTextFile, statIfPresent } from '../../src/docker/smallFile';

describe('reading a small file a repository ships', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-small-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a small regular file, through a link too', () => {
    fs.writeFileSync(path.join(dir, '.env'), 'A=1\n');
    fs.symlinkSync(path.join(dir, '.env'), path.join(dir, 'link'));
    assert.equal(readSmallTextFile(path.join(dir, '.env'), 100), 'A=1\n');
    assert.equal(readSmallTextFile(path.join(dir, 'link'), 100), 'A=1\n');
  });

  it('refuses devices, FIFOs, folders, missing and oversized files instead of reading them whole', () => {
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero'));
    assert.equal(readSmallTextFile(path.join(dir, 'zero'), 100), undefined, 'a link to /dev/zero would never end');
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    assert.equal(readSmallTextFile(path.join(dir, 'fifo'), 100), undefined, 'a FIFO would block the extension host');
    assert.equal(readSmallTextFile(dir, 100), undefined);
    assert.equal(readSmallTextFile(path.join(dir, 'missing'), 100), undefined);
    fs.writeFileSync(path.join(dir, 'big'), 'x'.repeat(101));
    assert.equal(readSmallTextFile(path.join(dir, 'big'), 100), undefined);
  });

  it('looks at a path through its links, and finds nothing where a path is missing or its link dangles', () => {
    fs.mkdirSync(path.join(dir, 'folder'));
    fs.symlinkSync(path.join(dir, 'folder'), path.join(dir, 'folderLink'));
    fs.symlinkSync(path.join(dir, 'gone'), path.join(dir, 'dangling'));
    assert.equal(statIfPresent(path.join(dir, 'folderLink'))?.isDirectory(), true);
    assert.equal(statIfPresent(path.join(dir, 'dangling')), undefined);
    assert.equal(statIfPresent(path.join(dir, 'missing')), undefined);
    assert.equal(statIfPresent(path.join(dir, 'folder', 'missing', 'deeper')), undefined);
  });
});
