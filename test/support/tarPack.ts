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
