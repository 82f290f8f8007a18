import * as assert from 'node:assert/strict';
import { dockerErrorText } from '../../src/core/errorText';
import { isLocalFileError, localFileError } from '../../src/docker/errors';
import { english } from '../support/english';
const fsFailure = (code: string) => Object.assign(new Error(`${code}: failed, open '/backups/x.tar.gz'`), { code });

describe('local file errors', () => {
  const cases: [string, RegExp][] = [
    ['EROFS', /read-only/],
    ['EACCES', /permission denied/],
    ['ENOSPC', /No space left/],
    ['ENOENT', /does not exist/],
    ['ENOTDIR', /is not a folder/],
    ['EIO', /EIO/],
  ];
  for (const [code, words] of cases) {
    it(`${code}: its own kind, never the daemon's, with a sentence that names the path and the setting`, () => {
      const err = localFileError(fsFailure(code), '/backups/x.tar.gz', 'write backup');
      assert.equal(err.kind, 'localFile');
      assert.ok(isLocalFileError(err));
      const text = dockerErrorText(err, 'unix:///var/run/docker.sock', english);
      assert.match(text, words);
      assert.match(text, /\/backups\/x\.tar\.gz/);
      assert.match(text, /volumesLab\.backup\.folder/);
      assert.doesNotMatch(text, /Docker socket|docker group/);
    });
  }

  it('a read-only file system is not called a permission problem', () => {
    const text = dockerErrorText(localFileError(fsFailure('EROFS'), '/ro/b.tar.gz', 'write backup'), '', english);
    assert.doesNotMatch(text, /permission/i);
  });
});
