import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { DockerError } from '../../src/docker/errors';
import { TarCounter } from '../../src/docker/tarCounting';
import { MAX_EXTENSION_BYTES } from '../../src/docker/tarRouter';
import { verifyArchive } from '../../src/docker/verify';
import { coverArchive, pack, paxHeader, rawHeader } from '../support/tarPack';

/** Streams `archive` through a counter in small chunks; returns the counter and the bytes that came out. */
async function count(archive: Buffer, counter = new TarCounter()): Promise<{ counter: TarCounter; out: Buffer }> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < archive.length; i += 700) pieces.push(archive.subarray(i, i + 700));
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  await pipeline(Readable.from(pieces), counter, sink);
  return { counter, out: Buffer.concat(chunks) };
}

describe('tar counting', () => {
  it('counts entries and regular-file bytes (a hard link counts nothing) and passes every byte on unchanged', async () => {
    const archive = await pack([
      { name: './', type: 'directory' },
      { name: './a.txt', body: 'hello' },
      { name: `./${'long-folder-name/'.repeat(10)}b.txt`, body: 'twelve bytes' },
      { name: './hard', type: 'link', linkname: './a.txt' },
      { name: './soft', type: 'symlink', linkname: 'a.txt' },
      { name: './x', body: 'pax', pax: { comment: 'a record' } },
    ]);
    const seen: number[] = [];
    const { counter, out } = await count(archive, new TarCounter({ onProgress: (p) => seen.push(p.bytes) }));
    assert.deepEqual(out, archive);
    assert.equal(counter.progress.files, 6);
    assert.equal(counter.contentBytes, 5 + 12 + 3);
    assert.equal(counter.progress.bytes, archive.length);
    assert.equal(seen.at(-1), archive.length, 'progress reports every byte read');
  });

  it('fails the stream with the reason a check gives for an entry', async () => {
    const archive = await pack([{ name: './ok' }, { name: './bad', body: 'x' }]);
    const counter = new TarCounter({ check: (e) => (e.name === './bad' ? new Error('refused ./bad') : undefined) });
    await assert.rejects(count(archive, counter), /refused \.\/bad/);
  });

  it('verify sees the entries a link, folder or device header would hide behind its size field, and files named `x/`', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-cover-'));
    try {
      const file = path.join(dir, 'cover.tar.gz');
      const body = Buffer.alloc(512, 0x61);
      const hidden = Buffer.concat([rawHeader('a.bin', '0', 512), body, rawHeader('dev-null', '3', 0)]);
      for (const flag of ['1', '2', '3', '4', '5', '6']) {
        const counted = await count(coverArchive(flag, hidden.subarray(0, 1024)));
        assert.equal(counted.counter.progress.files, 2, `flag ${flag}: the hidden file is an entry`);
        assert.equal(counted.counter.contentBytes, 512, `flag ${flag}: its bytes count`);
        if (flag === '3' || flag === '4' || flag === '6') continue; // the cover itself is a device: refused anyway
        fs.writeFileSync(file, zlib.gzipSync(coverArchive(flag, hidden)));
        await assert.rejects(verifyArchive(file), /device file: dev-null/, `flag ${flag}`);
      }
      // A flag `0` entry named `big/` is a file the daemon writes with all its bytes, not a folder.
      const slashFile = Buffer.concat([rawHeader('big/', '0', 512), body, Buffer.alloc(1024)]);
      assert.equal((await count(slashFile)).counter.contentBytes, 512);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verify checks the header name and link under an empty pax path or linkpath, as the daemon keeps them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-emptypax-'));
    try {
      const file = path.join(dir, 'empty-pax.tar.gz');
      const end = Buffer.alloc(1024);
      fs.writeFileSync(
        file,
        zlib.gzipSync(Buffer.concat([paxHeader([['path', '']]), rawHeader('../../x', '0', 0), end])),
      );
      await assert.rejects(verifyArchive(file), /entry outside its folder: \.\.\/\.\.\/x/);
      const link = Buffer.concat([paxHeader([['linkpath', '']]), rawHeader('evil', '2', 0, '../../../etc'), end]);
      fs.writeFileSync(file, zlib.gzipSync(link));
      await assert.rejects(verifyArchive(file), /link outside its folder: evil -> \.\.\/\.\.\/\.\.\/etc/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a .tar.gz whose pax record is over the limit: verify fails with a clear reason instead of buffering it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-pax-'));
    try {
      const file = path.join(dir, 'huge-pax.tar.gz');
      const huge = 'x'.repeat(MAX_EXTENSION_BYTES + 1024);
      fs.writeFileSync(file, zlib.gzipSync(await pack([{ name: './a.txt', body: 'a', pax: { comment: huge } }])));
      await assert.rejects(verifyArchive(file), (err: unknown) => {
        assert.ok(err instanceof DockerError, String(err));
        assert.equal(err.kind, 'invalid');
        assert.equal(err.reason?.id, 'archiveDamaged');
        assert.match(
          err.message,
          new RegExp(`extension record of \\d+ bytes \\(the limit is ${MAX_EXTENSION_BYTES}\\)`),
        );
        return true;
      });
      // Just under the limit, the same archive is fine.
      fs.writeFileSync(
        file,
        zlib.gzipSync(
          await pack([{ name: './a.txt', body: 'a', pax: { comment: 'x'.repeat(MAX_EXTENSION_BYTES - 4096) } }]),
        ),
      );
      assert.equal((await verifyArchive(file)).files, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
