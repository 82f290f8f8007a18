import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { listDirectoryFromArchive, readFileFromArchive } from '../../src/docker/volumeFiles';

function archive(
  entries: { name: string; type?: 'file' | 'directory' | 'symlink'; body?: string; linkname?: string }[],
): Readable {
  const pack = tar.pack();
  for (const e of entries) {
    const header = {
      name: e.name,
      type: e.type ?? 'file',
      mtime: new Date('2026-05-01T00:00:00Z'),
      ...(e.linkname ? { linkname: e.linkname } : {}),
    } as const;
    if (e.type === 'directory' || e.type === 'symlink') pack.entry(header);
    else pack.entry(header, e.body ?? '');
  }
  pack.finalize();
  return pack as unknown as Readable;
}

describe('archive listing', () => {
  it('keeps the direct children of the listed folder, from headers', async () => {
    const entries = await listDirectoryFromArchive(
      archive([
        { name: './', type: 'directory' },
        { name: './b.txt', body: 'bee' },
        { name: './a/', type: 'directory' },
        { name: './a/deep.txt', body: 'x' },
        { name: './link', type: 'symlink', linkname: 'b.txt' },
        { name: './orphan/inner.txt', body: 'y' },
      ]),
    );
    assert.deepEqual(
      entries.map((e) => [e.name, e.kind, e.size]),
      [
        ['a', 'directory', 0],
        ['b.txt', 'file', 3],
        ['link', 'symlink', 0],
        ['orphan', 'directory', 0],
      ],
    );
    assert.equal(entries.find((e) => e.name === 'link')?.linkTarget, 'b.txt');
    assert.equal(entries.find((e) => e.name === 'b.txt')?.mtime, Date.parse('2026-05-01T00:00:00Z'));
  });

  it('reads one file and refuses one over the limit', async () => {
    assert.equal(
      (await readFileFromArchive(archive([{ name: 'note.txt', body: 'hello' }]), 100, 'note.txt')).toString(),
      'hello',
    );
    await assert.rejects(
      readFileFromArchive(archive([{ name: 'big.bin', body: 'x'.repeat(200) }]), 100, 'big.bin'),
      /over the 100-byte limit/,
    );
    await assert.rejects(
      readFileFromArchive(archive([{ name: 'dir/', type: 'directory' }]), 100, 'dir'),
      /not a regular file/,
    );
  });

  it('stops reading at the entry or byte limit and says the listing is partial', async () => {
    let pulled = 0;
    const huge = archive(
      Array.from({ length: 400 }, (_, i) => ({
        name: `./f${String(i).padStart(3, '0')}.bin`,
        body: 'z'.repeat(64 * 1024),
      })),
    );
    huge.on('data', (c: Buffer) => {
      pulled += c.length;
    });
    const byBytes = await listDirectoryFromArchive(huge, { maxBytes: 1024 * 1024 });
    assert.equal(byBytes.truncated, true);
    assert.ok(byBytes.length > 0 && byBytes.length < 400, `${byBytes.length} entries`);
    assert.ok(pulled < 4 * 1024 * 1024, `stopped reading early: ${pulled} bytes of ${400 * 64 * 1024}`);
    const byCount = await listDirectoryFromArchive(
      archive(Array.from({ length: 50 }, (_, i) => ({ name: `./n${i}`, body: '' }))),
      { maxEntries: 10 },
    );
    assert.deepEqual([byCount.length, byCount.truncated], [10, true]);
    const whole = await listDirectoryFromArchive(archive([{ name: './a', body: 'a' }]));
    assert.equal(whole.truncated, false);
  });

  it('rejects a corrupt archive', async () => {
    await assert.rejects(
      listDirectoryFromArchive(Readable.from([Buffer.from('this is not a tar archive'.repeat(40))])),
    );
  });
});
