/**
 * How far a restore lets an archive expand before it stops or asks. The manifest beside an archive is a
 * claim (often a file in a repository): it may lower the limit, never lift it past what gzip can produce
 * from the archive's size, nor past the free space on the daemon's disk.
 */

/** deflate's best case is about 1032:1; no real archive expands further. */
export const GZIP_MAX_RATIO = 1032;
/** gzip can expand ~1000:1; real backups rarely pass 100:1 (logs, databases). */
export const EXPANSION_RATIO = 100;
export const EXPANSION_FLOOR = 512 * 1024 * 1024;

/** The content limit: the manifest's figure clamped to what the archive can hold, else a ratio of its size. */
export function contentLimit(archiveBytes: number, manifestBytes: number | undefined): number {
  const ceiling = Math.max(64 * 1024, archiveBytes * GZIP_MAX_RATIO);
  if (manifestBytes !== undefined && Number.isFinite(manifestBytes) && manifestBytes >= 0)
    return Math.min(manifestBytes, ceiling);
  return Math.min(ceiling, Math.max(EXPANSION_FLOOR, archiveBytes * EXPANSION_RATIO));
}

export type SpaceDecision =
  /** Free space unknown, or the expected content fits: restore, stopping at `limit`. */
  | { kind: 'fits'; limit: number }
  /** The expected content is larger than the free space: say both figures and ask before going on. */
  | { kind: 'ask'; expected: number; free: number; limit: number };

/**
 * Compares what the archive is expected to expand to (the manifest's figure, else its compressed size: the
 * least it can hold) with the daemon's free space. When it fits, the limit is lowered to the free space too,
 * so that an archive lying about its size stops before it fills the disk. The same rule holds for entries
 * against free inodes: a million empty files fill an inode table long before the disk.
 */
export function spaceDecision(expected: number, limit: number, free: number | undefined): SpaceDecision {
  if (free === undefined) return { kind: 'fits', limit };
  if (expected > free) return { kind: 'ask', expected, free, limit };
  return { kind: 'fits', limit: Math.min(limit, free) };
}

/** Entries without a manifest before a restore asks: a million files is a big real volume already. */
export const ENTRY_LIMIT = 1_000_000;

/**
 * The entry limit: the manifest's count, else ENTRY_LIMIT; either way no more than the archive can hold
 * (a 512-byte header per entry, expanded at most GZIP_MAX_RATIO times).
 */
export function entryLimit(archiveBytes: number, manifestFiles: number | undefined): number {
  const ceiling = Math.max(1024, Math.ceil((archiveBytes * GZIP_MAX_RATIO) / 512));
  if (manifestFiles !== undefined && Number.isFinite(manifestFiles) && manifestFiles >= 0)
    return Math.min(Math.ceil(manifestFiles), ceiling);
  return Math.min(ENTRY_LIMIT, ceiling);
}
