// Entry point of the hostile-repository suite: the same extension host as test/host, opened on
// test/fixtures/hostile, once untrusted (Restricted Mode) and once trusted (see scripts/run-host-tests.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const file of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const summary = { passes: runner.stats?.passes ?? 0, failures, pending: runner.stats?.pending ?? 0 };
      console.log(`hostile: ${summary.passes} passed, ${failures} failed`);
      const resultFile = process.env.EXT_TEST_RESULT_FILE;
      if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(summary));
      if (failures > 0) reject(new Error(`${failures} hostile-workspace test(s) failed`));
      else resolve();
    });
  });
}
