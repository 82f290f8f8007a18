import type { CliTarget } from '../core/cli';
import type { DumpSource } from '../core/backupTrust';
import type { Translator } from '../core/errorText';
import type { DockerClient } from '../docker/client';

/**
 * What every flow needs, passed in by its caller (a command, the scheduler, a lab, a test): the daemon
 * to work on, the log for the CLI lines and what was done, and the translator for the words of errors.
 */
export interface FlowDeps {
  readonly daemon: {
    use<T>(work: (client: DockerClient) => Promise<T>): Promise<T>;
    readonly cliTarget: CliTarget;
  };
  readonly log: {
    cli(line: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string, err?: unknown): void;
  };
  readonly l10n: Translator;
  /**
   * Whether the backups and manifests at a path may be read (retention counts and deletes only those): in Restricted
   * Mode, none the workspace holds, since a repository could plant them there.
   */
  readonly mayReadBackups: (file: string) => boolean;
  /** Where the checksums of the dumps written are recorded (absent: not recorded, a later replay warns). */
  readonly writtenDumps?: { remember(sha256: string, source?: DumpSource): void };
}

/** A running container an operation stops and starts again. */
export interface RunningContainer {
  readonly id: string;
  readonly name: string;
}
