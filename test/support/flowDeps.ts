// What a command or the scheduler gives the flows, on the test daemon: what the flows log and record is kept for the
// test to read, and whether a backup folder may be read (the workspace's trust) is the test's to say.
import { execFileSync } from 'node:child_process';
import { cliTargetFor } from '../../src/core/cli';
import type { DumpSource } from '../../src/core/backupTrust';
import type { DockerClient } from '../../src/docker/client';
import type { FlowDeps } from '../../src/flows/flowDeps';
import { english } from './english';

export interface RecordedFlowDeps {
  deps: FlowDeps;
  /** The docker CLI lines the flows showed, in order. */
  cli: string[];
  /** What went to the log as warnings. */
  warnings: string[];
  /** The checksums of the dumps recorded as written here. */
  remembered: { sha256: string; source?: DumpSource }[];
}

export function recordingFlowDeps(
  client: DockerClient,
  mayReadBackups: (file: string) => boolean = () => true,
): RecordedFlowDeps {
  const cli: string[] = [];
  const warnings: string[] = [];
  const remembered: RecordedFlowDeps['remembered'] = [];
  const deps: FlowDeps = {
    daemon: { use: (work) => work(client), cliTarget: cliTargetFor(undefined) },
    log: {
      cli: (line) => void cli.push(line),
      info: () => undefined,
      warn: (message) => void warnings.push(message),
      error: () => undefined,
    },
    l10n: english,
    mayReadBackups,
    writtenDumps: { remember: (sha256, source) => void remembered.push({ sha256, ...(source ? { source } : {}) }) },
  };
  return { deps, cli, warnings, remembered };
}

/** Throws unless `line` is a shell command line bash can parse (quoting closed, pipes and redirections whole). */
export function assertShellSyntax(line: string): void {
  execFileSync('bash', ['-n', '-c', line]);
}
