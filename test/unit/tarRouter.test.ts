import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { verifyArchive } from '../../src/docker/verify';
import type { TarEntry } from '../../src/docker/tarHeaders';
import { ArchiveTooLargeError } from '../../src/docker/tarHeldFolders';
import { TarRouter } from '../../src/docker/tarRouter';
import { blockPadded, coverArchive, pack, paxHeader, rawHeader, type PackEntry as Entry } from '../support/tarPack';

interface Listed {
  name: string;
  type: string;
  body: string;
  linkname?: string;
  pax?: Record<string, string>;
}

async function list(archive: Buffer): Promise<Listed[]> {
  const extract = tar.extract();
  const out: Listed[] = [];
  extract.on('entry', (header, body, next) => {
    const chunks: Buffer[] = [];
    body.on('data', (c: unknown) => chunks.push(c as Buffer));
    body.on('end', () => {
      out.push({
        name: header.name,
        type: header.type ?? '',
        body: Buffer.concat(chunks).toString('latin1'),
        ...(header.linkname ? { linkname: header.linkname } : {}),
        ...(header.pax ? { pax: header.pax as Record<string, string> } : {}),
      });
      next();
    });
  });
  await pipeline(Readable.from([archive]), extract);
  return out;
}

/** Routes `archive` (fed in chunks of `chunkSize`) and returns each output whole. */
async function route(
  archive: Buffer,
  outputs: number,
  options: {
    chunkSize?: number;
    check?: (e: TarEntry) => Error | undefined;
    maxHeldBytes?: number;
    maxContentBytes?: number;
    maxEntries?: number;
    maxSpillBytes?: number;
    maxExtensionBytes?: number;
  } = {},
): Promise<{ parts: Buffer[]; router: TarRouter }> {
  const done: Promise<Buffer>[] = [];
  const router = new TarRouter(outputs, {
    ...(options.check ? { check: options.check } : {}),
    ...(options.maxHeldBytes !== undefined ? { maxHeldBytes: options.maxHeldBytes } : {}),
    ...(options.maxContentBytes !== undefined ? { maxContentBytes: options.maxContentBytes } : {}),
    ...(options.maxEntries !== undefined ? { maxEntries: options.maxEntries } : {}),
    ...(options.maxSpillBytes !== undefined ? { maxSpillBytes: options.maxSpillBytes } : {}),
    ...(options.maxExtensionBytes !== undefined ? { maxExtensionBytes: options.maxExtensionBytes } : {}),
    beforeLast: () => Promise.all(done.slice(1)),
    highWaterMark: 4096,
  });
  for (const output of router.outputs) {
    done.push(
      (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of output as AsyncIterable<Buffer>) chunks.push(chunk);
        return Buffer.concat(chunks);
      })(),
    );
  }
  const size = options.chunkSize ?? 700;
  const pieces: Buffer[] = [];
  for (let i = 0; i < archive.length; i += size) pieces.push(archive.subarray(i, i + size));
  await pipeline(Readable.from(pieces), router);
  return { parts: await Promise.all(done), router };
}

/** Changes the header block of entry `name` (what tar-stream cannot write), checksum recomputed. */
function patchHeader(archive: Buffer, name: string, patch: (block: Buffer) => void, occurrence = 0): Buffer {
  const copy = Buffer.from(archive);
  let at = copy.indexOf(Buffer.from(name));
  for (let i = 0; i < occurrence; i++) at = copy.indexOf(Buffer.from(name), at + 1);
  assert.ok(at >= 0 && at % 512 === 0, 'the name starts a header block');
  patch(copy.subarray(at, at + 512));
  copy.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = at; i < at + 512; i++) sum += copy[i]!;
  copy.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'latin1');
  return copy;
}

const tree: Entry[] = [
  { name: './', type: 'directory', mode: 0o755 },
  { name: './etc/', type: 'directory', mode: 0o700, uid: 1000, gid: 1000 },
  { name: './etc/app.conf', body: 'port=80\n', mode: 0o600, uid: 1000 },
  { name: './etc/empty', body: '', mode: 0 },
  ...Array.from({ length: 40 }, (_, i): Entry => ({
    name: `./data/part${String(i).padStart(2, '0')}.bin`,
    body: `payload ${i} `.repeat(100),
  })),
  { name: './data/', type: 'directory', mode: 0o750 },
  { name: './data/link-to-first', type: 'link', linkname: './data/part00.bin' },
  { name: './data/latest', type: 'symlink', linkname: 'part39.bin' },
  { name: `./deep/${'very-long-folder-name/'.repeat(8)}file.txt`, body: 'long path' },
  { name: './etc/app.conf', body: 'port=8080\n', mode: 0o600 },
];

describe('TarRouter', () => {
  it('with one output passes the archive through byte for byte', async () => {
    const archive = await pack(tree);
    const { parts, router } = await route(archive, 1);
    assert.equal(Buffer.compare(parts[0]!, archive), 0);
    assert.equal(router.progress.files, tree.length);
    assert.equal(router.progress.bytes, archive.length);
  });

  it('splits entries over outputs without losing or changing any, in an order one extraction would agree with', async () => {
    const archive = await pack(tree);
    const { parts, router } = await route(archive, 3);
    const outputs = await Promise.all(parts.map(list));
    assert.ok(
      outputs.every((o) => o.length > 0),
      `every output is used: ${outputs.map((o) => o.length).join(', ')}`,
    );
    for (const part of parts)
      assert.equal(Buffer.compare(part.subarray(-1024), Buffer.alloc(1024)), 0, 'each output ends like an archive');
    const all = outputs.flat();
    const key = (e: Listed) => `${e.type} ${e.name} ${e.linkname ?? ''} ${e.body}`;
    assert.deepEqual(all.map(key).sort(), (await list(archive)).map(key).sort(), 'same entries, same bodies');
    assert.equal(
      router.contentBytes,
      tree.filter((e) => !e.type || e.type === 'file').reduce((n, e) => n + Buffer.byteLength(e.body ?? ''), 0),
    );

    // Folders come last, in the first output; the others hold none.
    const first = outputs[0]!;
    const firstFolder = first.findIndex((e) => e.type === 'directory');
    assert.ok(first.slice(firstFolder).every((e) => e.type === 'directory'));
    assert.deepEqual(
      first.filter((e) => e.type === 'directory').map((e) => e.name),
      ['./', './etc/', './data/'],
      'archive order kept among folders',
    );
    for (const other of outputs.slice(1)) assert.ok(other.every((e) => e.type !== 'directory'));

    // The hard link follows its target; both writes of one path keep their order in one output.
    const holder = (name: string) => outputs.findIndex((o) => o.some((e) => e.name === name));
    const linkOutput = outputs[holder('./data/link-to-first')]!;
    assert.ok(
      linkOutput.findIndex((e) => e.name === './data/part00.bin') <
        linkOutput.findIndex((e) => e.name === './data/link-to-first'),
    );
    const confs = outputs[holder('./etc/app.conf')]!.filter((e) => e.name === './etc/app.conf').map((e) => e.body);
    assert.deepEqual(confs, ['port=80\n', 'port=8080\n']);
  });

  it('keeps raw header bytes: a non-UTF-8 name, a mode of 0, pax records', async () => {
    const latin1Name = Buffer.from('./etc/caf\xe9.txt', 'latin1');
    let archive = await pack([
      ...tree,
      { name: './etc/cafX.txt', body: 'latin-1 name' },
      { name: './xattr', body: 'x', pax: { 'SCHILY.xattr.user.note': 'kept' } },
    ]);
    archive = patchHeader(archive, './etc/cafX.txt', (block) => latin1Name.copy(block, 0));
    archive = patchHeader(archive, './etc/empty', (block) => block.write('000000 \0', 100, 'latin1'));
    const { parts } = await route(archive, 2, { chunkSize: 333 });
    const all = Buffer.concat(parts);
    assert.ok(all.includes(latin1Name), 'the Latin-1 name arrives as its original bytes');
    const listed = (await Promise.all(parts.map(list))).flat();
    assert.equal(listed.find((e) => e.name === './xattr')?.pax?.['SCHILY.xattr.user.note'], 'kept');
    // tar-stream would re-encode mode 0 as 0644: the original header block must arrive unchanged.
    const emptyHeader = archive.subarray(
      archive.indexOf(Buffer.from('./etc/empty')),
      archive.indexOf(Buffer.from('./etc/empty')) + 512,
    );
    assert.ok(all.includes(emptyHeader));
  });

  it('follows GNU long names and pax sizes to find where entries end', async () => {
    const longName = `./gnu/${'x'.repeat(150)}.txt`;
    const packed = await pack([
      { name: '././@LongLink', body: `${longName}\0` },
      { name: longName.slice(0, 99), body: 'gnu long name body' },
      { name: './after.txt', body: 'after' },
    ]);
    const gnu = patchHeader(packed, '././@LongLink', (block) => {
      block[156] = 'L'.charCodeAt(0);
    });
    const { parts, router } = await route(gnu, 2);
    const listed = (await Promise.all(parts.map(list)))
      .flat()
      .map((e) => `${e.name}=${e.body}`)
      .sort();
    assert.deepEqual(listed, [`${longName}=gnu long name body`, './after.txt=after'].sort());
    assert.equal(router.progress.files, 2, 'the long-name record is not an entry');

    // A pax "size" record overrides the header's size field (files over 8 GiB): here the field says 0.
    let paxSized = await pack([
      { name: './sized.txt', body: 'twelve bytes', pax: { size: '12' } },
      { name: './after.txt', body: 'after' },
    ]);
    paxSized = patchHeader(paxSized, 'PaxHeader', (block) => block.write('00000000000\0', 124, 'latin1'), 1);
    const sized = await route(paxSized, 2);
    const sizedList = (await Promise.all(sized.parts.map(list)))
      .flat()
      .map((e) => `${e.name}=${e.body}`)
      .sort();
    assert.deepEqual(sizedList, ['./after.txt=after', './sized.txt=twelve bytes']);
  });

  it('drops a held-back folder that a later entry replaces, as one extraction would', async () => {
    const archive = await pack([
      { name: './x/', type: 'directory' },
      { name: './x', body: 'now a file' },
      { name: './y', body: 'a file first' },
      { name: './y/', type: 'directory' },
    ]);
    const { parts } = await route(archive, 2);
    const listed = (await Promise.all(parts.map(list))).flat().map((e) => `${e.type} ${e.name}`);
    assert.ok(!listed.includes('directory ./x/'), listed.join(', '));
    assert.ok(listed.includes('directory ./y/'), 'a folder written after the file still replaces it, last');
  });

  it('refuses an entry before sending any of its bytes', async () => {
    // The entry before it is large enough to be written at once rather than gathered with later pieces.
    const archive = await pack([
      { name: './ok.txt', body: 'fine'.repeat(40_000) },
      { name: '../../etc/evil', body: 'EVIL-BYTES' },
    ]);
    const done: Buffer[][] = [];
    const router = new TarRouter(2, {
      check: (e) => (e.name.split('/').includes('..') ? new Error(`outside: ${e.name}`) : undefined),
    });
    router.outputs.forEach((o, i) => {
      done[i] = [];
      o.on('data', (c: Buffer) => done[i]!.push(c));
      o.on('error', () => undefined);
    });
    await assert.rejects(pipeline(Readable.from([archive]), router), /outside: \.\.\/\.\.\/etc\/evil/);
    const sent = Buffer.concat(done.flat());
    assert.ok(sent.includes(Buffer.from('fine')), 'the entry before it went through');
    assert.ok(
      !sent.includes(Buffer.from('evil')) && !sent.includes(Buffer.from('EVIL-BYTES')),
      'nothing of the refused entry went out',
    );
  });

  it('fails on a truncated archive and on a damaged header', async () => {
    const archive = await pack(tree);
    await assert.rejects(route(archive.subarray(0, 2000), 2), /Unexpected end of data/);
    const damaged = Buffer.from(archive);
    damaged[1024 + 5] = damaged[1024 + 5]! ^ 0xff; // in the header of ./etc/app.conf
    await assert.rejects(route(damaged, 2), /invalid tar header/);
  });

  it('refuses a pax or GNU long-name record larger than the limit before buffering it', async () => {
    // The header claims 4 GiB of record: nothing that large may be gathered in memory.
    const pax = patchHeader(await pack([{ name: './a.txt', body: 'a', pax: { comment: 'x' } }]), 'PaxHeader', (block) =>
      block.write('40000000000\0', 124, 'latin1'),
    );
    await assert.rejects(route(pax, 2), /extension record of 4294967296 bytes/);
    const gnu = patchHeader(
      await pack([{ name: '././@LongLink', body: 'x'.repeat(2000) }]),
      '././@LongLink',
      (block) => {
        block[156] = 'L'.charCodeAt(0);
        block.write('40000000000\0', 124, 'latin1');
      },
    );
    await assert.rejects(route(gnu, 1), /extension record/);
  });

  it('refuses extension records piled up before one entry (each under the limit, hundreds in a row)', async () => {
    const longName = (n: number) =>
      Buffer.concat([
        rawHeader('././@LongLink', 'L', 1000),
        Buffer.from(`./long-${n}`.padEnd(1000, 'x')),
        Buffer.alloc(24),
      ]);
    const file = await pack([{ name: './a.txt', body: 'a' }]);
    const one = Buffer.concat([longName(0), file]);
    assert.equal((await route(one, 1, { maxExtensionBytes: 1024 })).router.progress.files, 1);
    const piled = Buffer.concat([longName(1), longName(2), longName(3), longName(4), file]);
    await assert.rejects(
      route(piled, 1, { maxExtensionBytes: 1024 }),
      /more than 3072 bytes of extension records before one entry/,
    );
  });

  it('refuses a pax size that is not a number, and counts a sparse file at the size the daemon writes', async () => {
    await assert.rejects(
      route(await pack([{ name: './a.txt', body: 'a', pax: { size: '1e9' } }]), 2, { maxContentBytes: 1000 }),
      /pax size of "1e9"/,
    );
    const sparse = await pack([
      { name: './s.img', body: 'a'.repeat(512), pax: { 'GNU.sparse.realsize': String(2 ** 40) } },
    ]);
    await assert.rejects(
      route(sparse, 2, { maxContentBytes: 1_000_000 }),
      (err: unknown) => err instanceof ArchiveTooLargeError,
    );
    const plain = await pack([{ name: './s.img', body: 'a'.repeat(512) }]);
    await route(plain, 2, { maxContentBytes: 1_000_000 });
  });

  it('checks the name the daemon extracts: GNU.sparse.name only for a pax sparse file, and over a GNU long name', async () => {
    // Go's archive/tar: pax path, then a GNU long name over it, then (sparse pax files only) GNU.sparse.name.
    const check = (e: TarEntry) => (e.name.split('/').includes('..') ? new Error(`outside: ${e.name}`) : undefined);
    const notSparse = await pack([
      { name: './innocent', body: 'a', pax: { path: '../../evil', 'GNU.sparse.name': './ok' } },
    ]);
    await assert.rejects(route(notSparse, 2, { check }), /outside: \.\.\/\.\.\/evil/);
    const sparse = { 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': '../../x' };
    await assert.rejects(
      route(await pack([{ name: './innocent', body: 'a', pax: sparse }]), 2, { check }),
      /outside: \.\.\/\.\.\/x/,
    );
    const longOk = Buffer.concat([rawHeader('././@LongLink', 'L', 5), Buffer.from('./ok\0'), Buffer.alloc(507)]);
    const overLong = Buffer.concat([longOk, await pack([{ name: './innocent', body: 'a', pax: sparse }])]);
    await assert.rejects(route(overLong, 2, { check }), /outside: \.\.\/\.\.\/x/);
    // An old GNU `S` header reads its own sparse map: pax sparse records do not rename it, the pax path does.
    const records = [
      ['GNU.sparse.major', '1'],
      ['GNU.sparse.minor', '0'],
      ['GNU.sparse.name', './fine'],
      ['path', '../../go-name'],
    ]
      .map(([key, value]) => {
        const line = (n: number) => `${n} ${key}=${value}\n`;
        let n = line(0).length;
        while (line(n).length !== n) n = line(n).length;
        return line(n);
      })
      .join('');
    const paxData = Buffer.from(records);
    const oldSparse = Buffer.concat([
      rawHeader('./PaxHeaders/s', 'x', paxData.length),
      paxData,
      Buffer.alloc((512 - (paxData.length % 512)) % 512),
      rawHeader('./innocent', 'S', 0),
      Buffer.alloc(1024),
    ]);
    await assert.rejects(route(oldSparse, 2, { check }), /outside: \.\.\/\.\.\/go-name/);
    // An unknown sparse version is not a sparse file: its name record is ignored, like Go's reader does.
    const unknown = await pack([
      { name: './innocent', body: 'a', pax: { 'GNU.sparse.major': '9', 'GNU.sparse.name': '../../x' } },
    ]);
    await route(unknown, 2, { check });
  });

  it('streams held-back folders through a temporary file past the memory limit, same result', async () => {
    const folders: Entry[] = Array.from({ length: 300 }, (_, i) => ({
      name: `./f${i}/`,
      type: 'directory',
      mode: 0o700 + (i % 8),
    }));
    const archive = await pack([...folders, ...tree]);
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('vlab-tar-')).length;
    const inMemory = await route(archive, 3);
    const spilled = await route(archive, 3, { maxHeldBytes: 4096 });
    assert.equal(inMemory.router.spilledBytes, 0);
    assert.ok(
      spilled.router.spilledBytes > 290 * 512,
      `held folders went to the file: ${spilled.router.spilledBytes} bytes`,
    );
    assert.deepEqual(
      spilled.parts.map((p) => p.toString('latin1')),
      inMemory.parts.map((p) => p.toString('latin1')),
      'byte for byte the same outputs',
    );
    assert.equal(
      fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('vlab-tar-')).length,
      before,
      'the temporary file is gone',
    );
  });

  it('stops when the content passes the limit it was given', async () => {
    const archive = await pack(tree);
    await assert.rejects(
      route(archive, 2, { maxContentBytes: 1000 }),
      (err: unknown) => err instanceof ArchiveTooLargeError && err.limit === 1000,
    );
    await route(archive, 2, { maxContentBytes: 1_000_000 });
  });

  it('stops at the entry count it was given: millions of empty files use up inodes, not bytes', async () => {
    const empties: Entry[] = Array.from({ length: 50 }, (_, i) => ({ name: `./e${i}`, body: '' }));
    const archive = await pack(empties);
    await assert.rejects(
      route(archive, 2, { maxEntries: 20 }),
      (err: unknown) => err instanceof ArchiveTooLargeError && err.what === 'entries' && err.limit === 20,
    );
    assert.equal((await route(archive, 2, { maxEntries: 50 })).router.progress.files, 50);
  });

  it('bounds the temporary file of held-back folders, and removes it when it stops', async () => {
    const folders: Entry[] = Array.from({ length: 300 }, (_, i) => ({ name: `./f${i}/`, type: 'directory' }));
    const archive = await pack(folders);
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('vlab-tar-')).length;
    await assert.rejects(
      route(archive, 3, { maxHeldBytes: 4096, maxSpillBytes: 64 * 1024 }),
      (err: unknown) => err instanceof ArchiveTooLargeError && err.what === 'folders',
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(
      fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('vlab-tar-')).length,
      before,
      'the temporary file is gone',
    );
    assert.ok((await route(archive, 3, { maxHeldBytes: 4096, maxSpillBytes: 1024 * 1024 })).router.spilledBytes > 0);
  });

  it('reads a GNU long name followed by a pax path the way the daemon does: the GNU name wins', async () => {
    const gnuName = './inside/safe.txt';
    const packed = await pack([
      { name: '././@LongLink', body: `${gnuName}\0` },
      { name: './placeholder', body: 'body', pax: { path: '../../escape.txt' } },
    ]);
    const archive = patchHeader(packed, '././@LongLink', (block) => {
      block[156] = 'L'.charCodeAt(0);
    });
    const seen: string[] = [];
    await route(archive, 1, {
      check: (e) => {
        seen.push(e.name);
        return undefined;
      },
    });
    assert.deepEqual(seen, [gnuName]);
  });

  it('reads the prefix of a star header as the daemon does: 131 bytes, then access and change times', async () => {
    const prefix = 'p'.repeat(131);
    const star = (atime: string) =>
      patchHeader(packedStar, './file.txt', (block) => {
        block.fill(0, 345, 512);
        block.write(prefix, 345, 'latin1'); // no NUL: a 155-byte reading runs on into the times
        block.write(atime, 476, 'latin1');
        block.write('00000000000\0', 488, 'latin1');
        block.write('tar\0', 508, 'latin1');
      });
    const packedStar = await pack([{ name: './file.txt', body: 'star' }]);
    const seen: string[] = [];
    await route(star('00000000017\0'), 1, {
      check: (e) => {
        seen.push(e.name);
        return undefined;
      },
    });
    assert.deepEqual(seen, [`${prefix}/./file.txt`]);
    // Go's reader parses both times and fails the header when one is not a number: so must ours.
    await assert.rejects(route(star('/../../etc\0'), 1), /invalid tar header/);
  });

  it('refuses links whose target leads out of the folder, as the daemon does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-links-'));
    try {
      for (const [entry, ok] of [
        [{ name: './a/up', type: 'symlink', linkname: '../../etc/passwd' }, false],
        [{ name: './hard', type: 'link', linkname: '../outside' }, false],
        [{ name: './hard-abs', type: 'link', linkname: '/etc/shadow' }, false],
        [{ name: './a/sibling', type: 'symlink', linkname: '../b/file' }, true],
        [{ name: './abs', type: 'symlink', linkname: '/usr/lib' }, true],
      ] as [Entry, boolean][]) {
        const file = path.join(dir, 'x.tar.gz');
        fs.writeFileSync(
          file,
          zlib.gzipSync(await pack([{ name: './a/', type: 'directory' }, { name: './b/file', body: 'f' }, entry])),
        );
        if (ok) await verifyArchive(file);
        else await assert.rejects(verifyArchive(file), /link outside its folder/, entry.name);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads no data after a link, folder, device or FIFO header, whatever its size field says, as the daemon does', async () => {
    // Go's archive/tar (isHeaderOnlyType) reads no data after flags 1–6: entries hidden in a stated size are extracted.
    const N = 64 * 1024;
    const hidden = Buffer.concat([rawHeader('../../escape', '0', 0), rawHeader('big.bin', '0', N), Buffer.alloc(N)]);
    for (const flag of ['1', '2', '3', '4', '5', '6']) {
      const archive = coverArchive(flag, hidden);
      const seen: TarEntry[] = [];
      const { router } = await route(archive, 2, {
        check: (e) => {
          seen.push(e);
          return undefined;
        },
      });
      assert.deepEqual(
        seen.map((e) => `${e.name}:${e.size}`),
        ['cover:0', '../../escape:0', 'big.bin:' + N],
        `flag ${flag}: every hidden entry is checked`,
      );
      assert.equal(router.contentBytes, N, `flag ${flag}: the hidden file counts`);
      await assert.rejects(
        route(archive, 2, { maxContentBytes: N / 2 }),
        (err: unknown) => err instanceof ArchiveTooLargeError && err.limit === N / 2,
        `flag ${flag}: the content cap holds`,
      );
      await assert.rejects(
        route(archive, 1, { maxEntries: 2 }),
        (err: unknown) => err instanceof ArchiveTooLargeError && err.what === 'entries',
        `flag ${flag}: the entry cap holds`,
      );
    }
  });

  it('reads a trailing slash as a folder only on an old-style (flag NUL) file, as the daemon does', async () => {
    // Go's archive/tar turns `name/` into a folder for TypeRegA (`\0`) only: a flag `0` entry `big/` is a regular file,
    // which the daemon writes as `big` with all its bytes.
    const N = 64 * 1024;
    const seen: TarEntry[] = [];
    const check = (e: TarEntry) => {
      seen.push(e);
      return undefined;
    };
    const slashFile = Buffer.concat([rawHeader('big/', '0', N), Buffer.alloc(N), Buffer.alloc(1024)]);
    const { router } = await route(slashFile, 2, { check });
    assert.deepEqual(
      seen.map((e) => `${e.name}:${e.type}:${e.size}`),
      [`big/:file:${N}`],
    );
    assert.equal(router.contentBytes, N);
    await assert.rejects(
      route(slashFile, 2, { maxContentBytes: N / 2 }),
      (err: unknown) => err instanceof ArchiveTooLargeError,
    );
    // The old flag with a slash is a folder, and a folder has no data: what its size field claims are entries.
    seen.length = 0;
    const hidden = Buffer.concat([rawHeader('inside.bin', '0', N), Buffer.alloc(N)]);
    const oldFolder = Buffer.concat([rawHeader('old/', '\0', hidden.length), hidden, Buffer.alloc(1024)]);
    const folder = await route(oldFolder, 2, { check });
    assert.deepEqual(
      seen.map((e) => `${e.name}:${e.type}:${e.size}`),
      ['old/:directory:0', `inside.bin:file:${N}`],
    );
    assert.equal(folder.router.contentBytes, N);
  });

  it('reads an empty pax path, linkpath or size, or an empty GNU long link, as absent: the header keeps its value', async () => {
    // Go's mergePAX skips empty values ("keep the original USTAR value"); an empty GNU `K` record renames nothing.
    const seen: TarEntry[] = [];
    const check = (e: TarEntry) => {
      seen.push(e);
      return undefined;
    };
    const end = Buffer.alloc(1024);
    const emptyK = Buffer.concat([rawHeader('././@LongLink', 'K', 1), blockPadded(Buffer.from('\0'))]);
    const archive = Buffer.concat([
      paxHeader([['path', '']]),
      rawHeader('../../escape', '0', 0),
      paxHeader([['linkpath', '']]),
      rawHeader('evil', '2', 0, '../../../../etc'),
      emptyK,
      rawHeader('evil-too', '2', 0, '../../../root'),
      paxHeader([['size', '']]),
      rawHeader('sized', '0', 5),
      blockPadded(Buffer.from('12345')),
      end,
    ]);
    const { router } = await route(archive, 2, { check });
    assert.deepEqual(
      seen.map((e) => `${e.name}>${e.linkname}:${e.size}`),
      ['../../escape>:0', 'evil>../../../../etc:0', 'evil-too>../../../root:0', 'sized>:5'],
    );
    assert.equal(router.contentBytes, 5);
  });

  it('counts a pax sparse file at GNU.sparse.size before GNU.sparse.realsize, as the daemon sizes it', async () => {
    const sparse = (records: [string, string][]) =>
      Buffer.concat([
        paxHeader([['GNU.sparse.major', '1'], ['GNU.sparse.minor', '0'], ...records]),
        rawHeader('s.img', '0', 512),
        Buffer.alloc(512 + 1024),
      ]);
    const tooLarge = (err: unknown) => err instanceof ArchiveTooLargeError;
    await assert.rejects(
      route(
        sparse([
          ['GNU.sparse.size', String(2 ** 40)],
          ['GNU.sparse.realsize', '1'],
        ]),
        2,
        { maxContentBytes: 1e6 },
      ),
      tooLarge,
    );
    await assert.rejects(
      route(
        sparse([
          ['GNU.sparse.size', ''],
          ['GNU.sparse.realsize', String(2 ** 40)],
        ]),
        2,
        { maxContentBytes: 1e6 },
      ),
      tooLarge,
    );
    await route(
      sparse([
        ['GNU.sparse.size', '4096'],
        ['GNU.sparse.realsize', String(2 ** 40)],
      ]),
      2,
      {
        maxContentBytes: 1e6,
      },
    );
  });

  it('on generated archives with oversized and piled-up extension records: refused in bounded time, never buffered', async function () {
    // 300 generated archives: each has its own time budget below; the whole run needs more than mocha's default.
    this.timeout(120_000);
    const LIMIT = 4096;
    const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 1500);
    const paxPath = (size: number) => {
      const value = `./p${'x'.repeat(Math.max(0, size - 16))}`;
      const line = (n: number) => `${n} path=${value}\n`;
      let n = line(0).length;
      while (line(n).length !== n) n = line(n).length;
      return Buffer.from(line(n));
    };
    const record = fc.record({
      kind: fc.constantFrom('L', 'K', 'x', 'file', 'dir'),
      // Up to 64× the limit: a huge stated size must be refused from the header, before its data is read.
      size: fc.oneof(fc.integer({ min: 1, max: 2 * LIMIT }), fc.integer({ min: LIMIT, max: 64 * LIMIT })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 40 }), fc.nat(), async (records, cut) => {
        const blocks: Buffer[] = [];
        let oversized = false;
        let held = 0;
        let piled = false;
        records.forEach((r, i) => {
          if (r.kind === 'file' || r.kind === 'dir') {
            const size = r.kind === 'file' ? r.size % 2048 : 0;
            blocks.push(rawHeader(`./e${i}${r.kind === 'dir' ? '/' : ''}`, r.kind === 'file' ? '0' : '5', size));
            blocks.push(blockPadded(Buffer.alloc(size, 0x61)));
            held = 0;
            return;
          }
          if (r.size > LIMIT) oversized ||= !piled;
          const data = r.kind === 'x' ? paxPath(Math.min(r.size, 2 * LIMIT)) : Buffer.alloc(r.size, 0x62);
          blocks.push(rawHeader('././@LongLink', r.kind, data.length), blockPadded(data));
          held += 512 + blockPadded(data).length;
          if (held > 3 * LIMIT && !oversized) piled = true;
        });
        const whole = Buffer.concat([...blocks, Buffer.alloc(1024)]);
        const archive = cut % 3 === 0 ? whole.subarray(0, cut % whole.length) : whole;
        // CPU time of this process: other work on a shared machine does not count against the budget.
        const started = process.cpuUsage();
        const outcome = await route(archive, 2, { maxExtensionBytes: LIMIT }).then(
          () => undefined,
          (err: Error) => err,
        );
        const used = process.cpuUsage(started);
        const ms = (used.user + used.system) / 1000;
        assert.ok(ms < BUDGET_MS, `${records.length} records took ${ms.toFixed(0)} ms of CPU (budget ${BUDGET_MS} ms)`);
        if (outcome)
          assert.match(
            outcome.message,
            /extension record of \d+ bytes|bytes of extension records before one entry|truncated|invalid tar header/,
          );
        // A record over the limit (reached whole, before a pile-up stopped the reading) is always refused.
        if (oversized && archive === whole) assert.ok(outcome, 'an oversized extension record was accepted');
      }),
      { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? 20261130) },
    );
  });
});
