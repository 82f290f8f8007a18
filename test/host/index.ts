// Entry point that VS Code's extension host calls (extensionTestsPath): runs every *.test.js beside it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // VOLUMES_LAB_HOST_GREP runs only the tests whose titles match (while developing; `npm test` runs all).
  const grep = process.env.VOLUMES_LAB_HOST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const summary = { passes: runner.stats?.passes ?? 0, failures, pending: runner.stats?.pending ?? 0 };
      console.log(`host: ${summary.passes} passed, ${summary.failures} failed`);
      const resultFile = process.env.EXT_TEST_RESULT_FILE;
      if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(summary));
      if (failures > 0) reject(new Error(`${failures} host test(s) failed`));
      else resolve();
    });
  });
}
