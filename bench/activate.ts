// BENCH activate: from the start of activate() in a real extension host to the daemon's first answer
// (dockerode loaded, API version negotiated), against `docker version` run as a process, which is how
// the CLI gets the same answer.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchLine, msSince } from './stats';

const root = path.resolve(__dirname, '../..');

export function benchActivate(): Promise<string> {
  const ours: number[] = [];
  const activateOnly: number[] = [];
  const baseline: number[] = [];
  const node24 = path.join(process.env.VSCODE_OFFLINE_HOME ?? path.join(os.homedir(), '.cache/vscode-offline'), 'node24/bin/node');
  for (let i = 0; i < 3; i++) {
    const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-bench-')), 'result.json');
    execFileSync(node24, [
      path.join(root, 'scripts/vscode-offline/run-ext-tests.mjs'),
      '--ext', root, '--tests', path.join(root, 'out/bench/host/index.js'),
      '--workspace', path.join(root, 'test/fixtures/workspace'), '--timeout', '120',
    ], { env: { ...process.env, BENCH_RESULT_FILE: resultFile }, stdio: 'ignore' });
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { activationMs: number; firstConnectionMs: number };
    ours.push(result.firstConnectionMs);
    activateOnly.push(result.activationMs);
    const t = process.hrtime.bigint();
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore' });
    baseline.push(msSince(t));
  }
  const sorted = [...activateOnly].sort((a, b) => a - b);
  return Promise.resolve(`${benchLine('activate', 'ms', ours, baseline)} [activate() alone: median ${sorted[1]}ms]`);
}
