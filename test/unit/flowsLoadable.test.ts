import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The flows are what the scheduler, the labs and the tests call: they must load in plain Node, with no `vscode`
 * module anywhere on their import chains (a flow importing a service that imports vscode passes a per-file lint
 * rule and still fails here). Each module is required in a fresh Node process, where no test has stubbed anything.
 */
const out = path.resolve(__dirname, '../../src');

/** The modules among `files` that fail to load in plain Node, with the first line of their error. */
function unloadable(files: string[]): string[] {
  const script = `
    const failed = [];
    for (const file of JSON.parse(process.argv[1])) {
      try { require(file); } catch (err) { failed.push(file + ': ' + String(err.message).split('\\n')[0]); }
    }
    process.stdout.write(JSON.stringify(failed));`;
  const stdout = execFileSync(process.execPath, ['-e', script, JSON.stringify(files)], { encoding: 'utf8' });
  return (JSON.parse(stdout) as string[]).map((line) => path.relative(out, line));
}

describe('flows load without VS Code', function () {
  this.timeout(30_000);
  // A folder of flows (src/flows/backup/…) is still flows: every depth is read.
  const flows = fs
    .readdirSync(path.join(out, 'flows'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(out, 'flows', f));

  it('every module of src/flows loads in plain Node', () => {
    assert.ok(flows.length >= 10, `${flows.length} flow modules found`);
    assert.deepEqual(unloadable(flows), []);
  });

  it('the check sees a module that reaches vscode through an import (it can fail)', () => {
    const adapter = path.join(out, 'services', 'backupFolder.js');
    const failed = unloadable([adapter]);
    assert.equal(failed.length, 1);
    assert.match(failed[0]!, /Cannot find module 'vscode'/);
  });
});
