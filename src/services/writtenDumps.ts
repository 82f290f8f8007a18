import type * as vscode from 'vscode';

/** How many checksums are kept: years of nightly dumps of a few databases, a few hundred KB of state at most. */
const KEPT = 5000;
const KEY = 'volumesLab.writtenDumps';

/**
 * The SHA-256 of every dump this extension wrote on this machine, in the extension's own global state, where no
 * repository can write. A manifest beside a `.sql.gz` is a file anyone can write (checksum included), so only this
 * record tells a dump we made from one planted in a folder: the SQL of the other kind runs as the database
 * superuser, and is replayed only after a warning that says so.
 */
export class WrittenDumps {
  constructor(private readonly state: vscode.Memento) {}

  private list(): string[] {
    const value = this.state.get<unknown>(KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }

  remember(sha256: string): void {
    const kept = [sha256, ...this.list().filter((s) => s !== sha256)].slice(0, KEPT);
    // Global state is written in the background; a failure only means a later warning on replay of this dump.
    void this.state.update(KEY, kept);
  }

  knows(sha256: string): boolean {
    return this.list().includes(sha256);
  }
}
