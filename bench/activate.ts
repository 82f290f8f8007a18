// BENCH activate: from the start of activate() in a real extension host to the daemon's first answer
// (dockerode loaded, API version negotiated), against `docker version` run as a process, which is how
// the CLI gets the same answer.
import { execFileSync } from 'node:child_process';
import { runInExtensionHost } from './hostRun';
import { benchLine, msSince } from './stats';

export function benchActivate(): Promise<string> {
  const ours: number[] = [];
  const activateOnly: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < 3; i++) {
    const result = runInExtensionHost<{ activationMs: number; firstConnectionMs: number }>('activate', 120);
    ours.push(result.firstConnectionMs);
    activateOnly.push(result.activationMs);
    const t = process.hrtime.bigint();
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore' });
    baseline.push(msSince(t));
  }
  const sorted = [...activateOnly].sort((a, b) => a - b);
  return Promise.resolve(`${benchLine('activate', 'ms', ours, baseline)} [activate() alone: median ${sorted[1]}ms]`);
}
