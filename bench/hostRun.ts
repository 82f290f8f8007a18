// Runs bench/host/index.ts inside a real extension host (code-server) and returns what it measured.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

export function runInExtensionHost<T>(mode: 'activate' | 'explorer', timeoutSeconds = 300): T {
  const node24 = path.join(
    process.env.VSCODE_OFFLINE_HOME ?? path.join(os.homedir(), '.cache/vscode-offline'),
    'node24/bin/node',
  );
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-bench-')), 'result.json');
  execFileSync(
    node24,
    [
      path.join(root, 'scripts/vscode-offline/run-ext-tests.mjs'),
      '--ext',
      root,
      '--tests',
      path.join(root, 'out/bench/host/index.js'),
      '--workspace',
      path.join(root, 'test/fixtures/workspace'),
      '--timeout',
      String(timeoutSeconds),
    ],
    { env: { ...process.env, BENCH_RESULT_FILE: resultFile, BENCH_MODE: mode }, stdio: 'ignore' },
  );
  return JSON.parse(fs.readFileSync(resultFile, 'utf8')) as T;
}
