import * as assert from 'node:assert/strict';
import {
  contentLimit,
  ENTRY_LIMIT,
  entryLimit,
  EXPANSION_FLOOR,
  GZIP_MAX_RATIO,
  spaceDecision,
} from '../../src/core/restoreLimits';
import { parseDfAvailable, parseStatfs } from '../../src/docker/freeSpace';

describe('restore limits', () => {
  it('never lets a manifest lift the limit past what gzip can expand the archive to', () => {
    const archive = 4 * 1024 * 1024;
    assert.equal(contentLimit(archive, 1e15), archive * GZIP_MAX_RATIO, 'a 4 MB archive claiming a petabyte');
    assert.equal(contentLimit(archive, Number.MAX_VALUE), archive * GZIP_MAX_RATIO);
    assert.equal(contentLimit(archive, 10_000), 10_000, 'a manifest may lower it');
    assert.equal(contentLimit(archive, -1), EXPANSION_FLOOR, 'a negative figure is no figure');
    assert.equal(contentLimit(archive, Number.NaN), EXPANSION_FLOOR);
    assert.equal(contentLimit(100 * 1024 * 1024, undefined), 100 * 1024 * 1024 * 100, 'without a manifest: 100:1');
    assert.equal(contentLimit(1024, undefined), 1024 * GZIP_MAX_RATIO, 'a tiny archive cannot expand to the floor');
  });

  it("bounds the entries: the manifest's count within what the archive can hold, else a million", () => {
    const archive = 1024 * 1024;
    assert.equal(
      entryLimit(archive, 1e15),
      Math.ceil((archive * GZIP_MAX_RATIO) / 512),
      'a manifest cannot lift it past one header per 512 expanded bytes',
    );
    assert.equal(entryLimit(archive, 42), 42);
    assert.equal(entryLimit(1024 * 1024 * 1024, undefined), ENTRY_LIMIT);
    assert.equal(entryLimit(archive, Number.NaN), ENTRY_LIMIT);
  });

  it("asks when the backup is larger than the daemon's free space, and stops at the free space otherwise", () => {
    assert.deepEqual(
      spaceDecision(10, 100, undefined),
      { kind: 'fits', limit: 100 },
      'unknown free space: the limit alone',
    );
    assert.deepEqual(
      spaceDecision(10, 100, 50),
      { kind: 'fits', limit: 50 },
      'a lying manifest stops at the free space',
    );
    assert.deepEqual(spaceDecision(10, 100, 500), { kind: 'fits', limit: 100 });
    assert.deepEqual(spaceDecision(80, 100, 50), { kind: 'ask', expected: 80, free: 50, limit: 100 });
  });

  it('reads stat -f output: available blocks times block size, and free inodes when the file system counts them', () => {
    assert.deepEqual(parseStatfs('18106946 4096 3055120 3276800\n'), { bytes: 18106946 * 4096, inodes: 3055120 });
    assert.deepEqual(parseStatfs('18106946 4096 0 0\n'), { bytes: 18106946 * 4096 }, 'no inode table: unknown');
    assert.equal(parseStatfs("stat: can't read file system information for '%a %S %d %c'"), undefined);
    assert.equal(parseStatfs('18106946 4096\n'), undefined);
    assert.equal(parseStatfs(''), undefined);
  });

  it('asks when the manifest counts more entries than free inodes, and stops at the free inodes otherwise', () => {
    assert.deepEqual(spaceDecision(1, 1_000_000, 400), { kind: 'fits', limit: 400 });
    assert.deepEqual(spaceDecision(5000, 5000, 400), { kind: 'ask', expected: 5000, free: 400, limit: 5000 });
  });

  it('reads the Available column of df -P -k, from the end', () => {
    const busybox =
      'Filesystem           1024-blocks    Used Available Capacity Mounted on\n/dev/sda1             10255636   512 9743124  5% /data\n';
    assert.equal(parseDfAvailable(busybox), 9743124 * 1024);
    assert.equal(
      parseDfAvailable('Filesystem 1024-blocks Used Available Capacity Mounted on\nmy disk 100 10 90 10% /data'),
      90 * 1024,
    );
    assert.equal(parseDfAvailable('df: /data: No such file or directory'), undefined);
    assert.equal(parseDfAvailable(''), undefined);
    assert.equal(
      parseDfAvailable('Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/x 1 2 lots 3% /data'),
      undefined,
    );
  });
});
