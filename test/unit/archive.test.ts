import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { listDirectoryFromArchive, readFileFromArchive } from '../../src/docker/archive';

function archive(entries: { name: string; type?: 'file' | 'directory' | 'symlink'; body?: string; linkname?: string }[]): Readable {
  const pack = tar.pack();
  for (const e of entries) {
    const header = { name: e.name, type: e.type ?? 'file', mtime: new Date('2026-05-01T00:00:00Z'), ...(e.linkname ? { linkname: e.linkname } : {}) } as const;
    if (e.type === 'directory' || e.type === 'symlink') pack.entry(header);
    else pack.entry(header, e.body ?? '');
  }
  pack.finalize();
  return pack as unknown as Readable;
}

describe('archive listing', () => {
  it('keeps the direct children of the listed folder, from headers', async () => {
    const entries = await listDirectoryFromArchive(archive([
      { name: './', type: 'directory' },
      { name: './b.txt', body: 'bee' },
      { name: './a/', type: 'directory' },
      { name: './a/deep.txt', body: 'x' },
      { name: './link', type: 'symlink', linkname: 'b.txt' },
      { name: './orphan/inner.txt', body: 'y' },
    ]));
    assert.deepEqual(entries.map(e => [e.name, e.kind, e.size]), [
      ['a', 'directory', 0], ['b.txt', 'file', 3], ['link', 'symlink', 0], ['orphan', 'directory', 0],
    ]);
    assert.equal(entries.find(e => e.name === 'link')?.linkTarget, 'b.txt');
    assert.equal(entries.find(e => e.name === 'b.txt')?.mtime, Date.parse('2026-05-01T00:00:00Z'));
  });

  it('reads one file and refuses one over the limit', async () => {
    assert.equal((await readFileFromArchive(archive([{ name: 'note.txt', body: 'hello' }]), 100, 'note.txt')).toString(), 'hello');
    await assert.rejects(readFileFromArchive(archive([{ name: 'big.bin', body: 'x'.repeat(200) }]), 100, 'big.bin'), /over the 100-byte limit/);
    await assert.rejects(readFileFromArchive(archive([{ name: 'dir/', type: 'directory' }]), 100, 'dir'), /not a regular file/);
  });

  it('rejects a corrupt archive', async () => {
    await assert.rejects(listDirectoryFromArchive(Readable.from([Buffer.from('this is not a tar archive'.repeat(40))])));
  });
});
