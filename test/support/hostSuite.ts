// The runner of every extension-host suite (test/host, test/nofolder): the *.test.js files of one folder, run by mocha
// inside the host, their summary written where the harness reads it (EXT_TEST_RESULT_FILE).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function runHostSuite(folder: string, name: string): Promise<void> {
  // VOLUMES_LAB_HOST_GREP runs only the tests whose titles match (while developing; `npm test` runs all).
  const grep = process.env.VOLUMES_LAB_HOST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(folder, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const summary = { passes: runner.stats?.passes ?? 0, failures, pending: runner.stats?.pending ?? 0 };
      console.log(`${name}: ${summary.passes} passed, ${summary.failures} failed`);
      const resultFile = process.env.EXT_TEST_RESULT_FILE;
      if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(summary));
      if (failures > 0) reject(new Error(`${failures} ${name} test(s) failed`));
      else resolve();
    });
  });
}
