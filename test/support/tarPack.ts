import * as tar from 'tar-stream';

/** A tar entry as tests write it: a header (pax records included) and an optional body. */
export type PackEntry = Partial<tar.Header> & { name: string; body?: string | Buffer; pax?: Record<string, string> };

/** The uncompressed tar of `entries`, written by tar-stream. */
export async function pack(entries: PackEntry[]): Promise<Buffer> {
  const p = tar.pack();
  for (const { body, ...header } of entries) p.entry(header, body ?? '');
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * One ustar header block written by hand, checksum included: for what tar-stream will not write (GNU `L`/`K` records,
 * a size field on a link, folder or device header, the old `\0` flag).
 */
export function rawHeader(name: string, flag: string, size: number, linkname = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 'latin1');
  block.write('0000644\0', 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write('00000000000\0', 136, 'latin1');
  block.write(flag, 156, 'latin1');
  block.write(linkname, 157, 'latin1');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

/** `data` followed by zeros up to the next 512-byte block. */
export function blockPadded(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/**
 * A tar whose first entry is a header-only one (link, folder, device: `flag` 1–6) whose size field claims the bytes of
 * `hidden`, which are themselves whole tar entries. The daemon (Go's archive/tar) reads no data after such a header,
 * so it extracts what `hidden` holds; a reader that skips the stated size never sees it.
 */
export function coverArchive(flag: string, hidden: Buffer): Buffer {
  const linkname = flag === '1' || flag === '2' ? 'target' : '';
  return Buffer.concat([rawHeader('cover', flag, hidden.length, linkname), hidden, Buffer.alloc(1024)]);
}

/** A pax extended header (`x`) with `records` in order, values as given (empty ones included), padded to blocks. */
export function paxHeader(records: [string, string][]): Buffer {
  const text = records
    .map(([key, value]) => {
      const line = (n: number) => `${n} ${key}=${value}\n`;
      let n = line(0).length;
      while (Buffer.byteLength(line(n)) !== n) n = Buffer.byteLength(line(n));
      return line(n);
    })
    .join('');
  const data = Buffer.from(text);
  return Buffer.concat([rawHeader('./PaxHeaders/entry', 'x', data.length), blockPadded(data)]);
}
