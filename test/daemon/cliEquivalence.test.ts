// cli-equivalence: every action that shows a docker line, done by the extension and by that exact line with
// Debian's docker CLI, compared on the real daemon (cases: cliEquivalenceCases.ts).
import { CLI_ACTIONS } from '../../src/core/cliActions';
import { Harness } from '../support/cliEquivalence';
import { cleanupTestObjects } from '../support/docker';
import { EQUIVALENCE_CASES } from './cliEquivalenceCases';

describe('cli-equivalence: what the extension shows is what it does', function () {
  this.timeout(120_000);
  const h = new Harness();
  const passed: string[] = [];

  after(async () => {
    await h.cleanup();
    await cleanupTestObjects();
    // scripts/test.sh echoes this line in its summary.
    console.log(`cli-equivalence: ${passed.length}/${CLI_ACTIONS.length} actions`);
  });

  for (const action of CLI_ACTIONS) {
    it(action, async () => {
      await EQUIVALENCE_CASES[action](h);
      passed.push(action);
    });
  }
});
