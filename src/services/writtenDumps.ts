import type * as vscode from 'vscode';
import type { DumpSource } from '../core/backupTrust';

/** How many checksums are kept: years of nightly dumps of a few databases, a few hundred KB of state at most. */
const KEPT = 5000;
const KEY = 'volumesLab.writtenDumps';

/** One dump written here: its checksum, and the container and image it came from (absent in older records). */
interface Written {
  sha256: string;
  source?: DumpSource;
}

const isSource = (v: unknown): v is DumpSource => {
  const s = v as Partial<DumpSource> | undefined;
  return (
    !!s &&
    typeof s.container === 'string' &&
    typeof s.image === 'string' &&
    typeof s.imageId === 'string' &&
    Array.isArray(s.composeFiles) &&
    s.composeFiles.every((f) => typeof f === 'string')
  );
};

/**
 * The SHA-256 of every dump this extension wrote on this machine, with the container and image it came from, in the
 * extension's own global state, where no repository can write. A manifest beside a `.sql.gz` is a file anyone can
 * write (checksum included), so only this record tells a dump we made from one planted in a folder: the SQL of the
 * other kind runs as the database superuser, and is replayed only after a warning that says so.
 */
export class WrittenDumps {
  constructor(private readonly state: vscode.Memento) {}

  private list(): Written[] {
    const value = this.state.get<unknown>(KEY);
    if (!Array.isArray(value)) return [];
    // Records of older versions are bare checksums.
    return value.flatMap((v): Written[] => {
      if (typeof v === 'string') return [{ sha256: v }];
      const w = v as { sha256?: unknown; source?: unknown };
      if (!w || typeof w.sha256 !== 'string') return [];
      return [isSource(w.source) ? { sha256: w.sha256, source: w.source } : { sha256: w.sha256 }];
    });
  }

  remember(sha256: string, source?: DumpSource): void {
    const kept = [source ? { sha256, source } : { sha256 }, ...this.list().filter((w) => w.sha256 !== sha256)].slice(
      0,
      KEPT,
    );
    // Global state is written in the background; a failure only means a later warning on replay of this dump.
    void this.state.update(KEY, kept);
  }

  knows(sha256: string): boolean {
    return this.list().some((w) => w.sha256 === sha256);
  }

  /** Where the dump with this checksum came from, when this machine recorded it. */
  sourceOf(sha256: string): DumpSource | undefined {
    return this.list().find((w) => w.sha256 === sha256)?.source;
  }
}
