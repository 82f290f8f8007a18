import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { ParallelGzip } from '../../src/docker/streams';

const BLOCK = 64 * 1024;

/** Runs `input` through a ParallelGzip of BLOCK-byte blocks, cut into `pieces` of the given sizes (cycled). */
async function compress(input: Buffer, pieces: number[], maxInFlight = 2): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < input.length; i++) {
    const size = pieces[i % pieces.length]!;
    chunks.push(input.subarray(at, at + size));
    at += size;
  }
  const out: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => out.push(c));
  await pipeline(Readable.from(chunks), new ParallelGzip(1, BLOCK, maxInFlight), sink);
  return Buffer.concat(out);
}

/** What the stream must write: one level-1 gzip member per block, in order, the last one possibly short. */
function members(input: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < input.length; at += BLOCK)
    parts.push(zlib.gzipSync(input.subarray(at, at + BLOCK), { level: 1 }));
  return Buffer.concat(parts);
}

/** Text whose every block differs, so that a block reused before its compression ended would show. */
function distinctBlocks(bytes: number): Buffer {
  const text = Buffer.alloc(bytes);
  for (let at = 0, i = 0; at < bytes; i++) at += text.write(`line ${i} of block ${Math.floor(at / BLOCK)}\n`, at);
  return text;
}

describe('parallel gzip', () => {
  it('writes one gzip member per block, in order, whatever the chunk sizes (a chunk may span several blocks)', async () => {
    const input = distinctBlocks(9 * BLOCK + 1234);
    for (const pieces of [[700], [BLOCK], [3 * BLOCK + 5, 17, BLOCK - 1], [1]]) {
      const out = await compress(input, pieces);
      assert.deepEqual(out, members(input), `pieces ${pieces.join(',')}`);
      assert.deepEqual(zlib.gunzipSync(out), input);
    }
  });

  it('ends a stream that ends on a block boundary without an empty member, and an empty stream with nothing', async () => {
    const input = distinctBlocks(4 * BLOCK);
    const out = await compress(input, [BLOCK / 2]);
    assert.deepEqual(out, members(input), 'four members, no empty fifth');
    assert.equal((await compress(Buffer.alloc(0), [1])).length, 0);
  });

  it('stores blocks that do not compress (the archive grows by little) and GNU gzip reads the members', async () => {
    const input = Buffer.concat([randomBytes(2 * BLOCK + 99), distinctBlocks(BLOCK)]);
    const out = await compress(input, [4096], 3);
    assert.ok(out.length < input.length * 1.01, `${out.length} bytes for ${input.length}`);
    assert.deepEqual(execFileSync('gzip', ['-dc'], { input: out, maxBuffer: 1 << 24 }), input);
  });
});
