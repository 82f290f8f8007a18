import * as vscode from 'vscode';
import type { ApiLogger } from './docker/client';
import { OUTPUT_CHANNEL_NAME } from './constants';
import { DockerError } from './docker/errors';
import { LOG_LINE_CHARS, maskedExcerpt } from './core/networkVolumes';

/**
 * The "Docker Volumes Lab" log: Engine API calls at debug level, the equivalent `docker` CLI line of
 * every action at info level, failures with their detail at error level.
 */
export class Log implements ApiLogger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly failureTail: string[] = [];

  /** `keepFailures`: the extension's own tests read what each command reported (test mode only). */
  constructor(private readonly keepFailures = false) {
    this.channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  }

  // Every line is masked here, at the one sink: the daemon echoes mount options (a share's password) in its
  // errors, and engine calls carry driver options and environments. Cut too: a hostile daemon's error can be megabytes.
  debug(message: string): void {
    this.channel.debug(mask(message));
  }

  info(message: string): void {
    this.channel.info(mask(message));
  }

  warn(message: string): void {
    this.channel.warn(mask(message));
  }

  /** The CLI line a learner could type to do what we just did. */
  cli(line: string): void {
    this.channel.info(mask(`$ ${line}`));
  }

  error(message: string, err?: unknown): void {
    this.channel.error(mask(err === undefined ? message : `${message}: ${describeFailure(err)}`));
    if (!this.keepFailures) return;
    this.failureTail.push(mask(message));
    if (this.failureTail.length > MAX_FAILURES_KEPT) this.failureTail.shift();
  }

  /** In test mode, the failures of this session as logged (without their detail), oldest first: the last ones only. */
  get failures(): readonly string[] {
    return this.failureTail;
  }

  dispose(): void {
    this.channel.dispose();
  }
}

const MAX_FAILURES_KEPT = 500;

function mask(line: string): string {
  return maskedExcerpt(line, LOG_LINE_CHARS);
}

/** A failure as one log entry: a DockerError with its operation and engine detail, anything else with its stack. */
function describeFailure(err: unknown): string {
  if (err instanceof DockerError) {
    const detail = err.detail && err.detail !== err.message ? ` (${err.detail})` : '';
    return `${err.kind} during ${err.operation}: ${err.message}${detail}`;
  }
  if (err instanceof Error) return err.stack ?? err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}
