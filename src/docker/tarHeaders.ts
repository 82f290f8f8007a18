/**
 * Reading tar header blocks as the daemon (Go's archive/tar) reads them: numeric fields in octal or GNU
 * base-256, NUL-ended text fields, both checksum conventions, and pax records kept as raw bytes.
 */

export const BLOCK = 512;

export type TarEntryType =
  'file' | 'link' | 'symlink' | 'directory' | 'character-device' | 'block-device' | 'fifo' | 'other';

export interface TarEntry {
  /** The path as written (UTF-8 decoded, for messages and checks). */
  name: string;
  linkname: string;
  type: TarEntryType;
  /** Bytes of data stored for this entry. */
  size: number;
}

export const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'link',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
};

/**
 * Whether data blocks follow a header of this type. Go's archive/tar (`isHeaderOnlyType`) reads none after a link,
 * folder, device or FIFO header, whatever its size field says: a reader that skipped that size would miss the entries
 * hidden in it, which the daemon extracts.
 */
export function carriesData(type: TarEntryType): boolean {
  return !['link', 'symlink', 'character-device', 'block-device', 'directory', 'fifo'].includes(type);
}

/** A numeric header field: octal text, or base-256 when the first byte has its high bit set (GNU). */
export function numberField(block: Buffer, offset: number, length: number): number {
  if (block[offset]! & 0x80) {
    let value = block[offset]! & 0x7f;
    for (let i = offset + 1; i < offset + length; i++) value = value * 256 + block[i]!;
    return value;
  }
  const text = block
    .toString('latin1', offset, offset + length)
    .replace(/[\0 ]+$/, '')
    .trim();
  if (text && !/^[0-7]+$/.test(text)) throw new Error(`invalid tar header: bad number "${text}"`);
  return text ? parseInt(text, 8) : 0;
}

export function textField(block: Buffer, offset: number, length: number): Buffer {
  const end = block.indexOf(0, offset);
  return block.subarray(offset, end === -1 || end > offset + length ? offset + length : end);
}

export function checksumMatches(block: Buffer): boolean {
  const stored = numberField(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** `path`, `linkpath` and `size` from pax records ("<len> key=value\n"), values as raw bytes. */
export function paxRecords(data: Buffer): Map<string, Buffer> {
  const records = new Map<string, Buffer>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const length = parseInt(data.toString('latin1', at, space), 10);
    if (!(length > 0) || at + length > data.length) break;
    const record = data.subarray(space + 1, at + length - 1);
    const equals = record.indexOf(0x3d);
    if (equals > 0) records.set(record.toString('latin1', 0, equals), record.subarray(equals + 1));
    at += length;
  }
  return records;
}

/**
 * The name prefix of a header, by its format as Go's archive/tar tells them apart: ustar (`ustar\0`) keeps 155 bytes
 * at 345; star (`ustar\0` and `tar\0` at 508) only 131, then its access and change times, which Go parses (a header
 * whose times are not numbers is damaged); GNU and v7 headers have none.
 */
export function namePrefix(block: Buffer): Buffer {
  if (block.toString('latin1', 257, 263) !== 'ustar\0') return Buffer.alloc(0);
  if (block.toString('latin1', 508, 512) !== 'tar\0') return textField(block, 345, 155);
  numberField(block, 476, 12);
  numberField(block, 488, 12);
  return textField(block, 345, 131);
}
