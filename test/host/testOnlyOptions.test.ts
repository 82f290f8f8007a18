// Options that skip a question (confirm, stop and remove the containers holding a volume) are the extension's own
// tests' business: outside test mode, the same call to Remove Volume still asks. The host suite runs in test mode, so
// the command's handler is run through the wrapper's gate with a context that is not; so is a lab step naming it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandTable } from '../../src/commands';
import { commandStep } from '../../src/commands/labs';
import { runCommandHandler } from '../../src/commands/registry';
import { COMMANDS } from '../../src/constants';
import { cleanupTestObjects, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, answering } from './helpers';

const exists = (name: string) =>
  testDocker()
    .getVolume(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );

describe('options that skip a question, outside test mode', function () {
  this.timeout(60_000);
  after(() => cleanupTestObjects());

  it('Remove Volume with confirm and removeRunningContainers still asks outside test mode, and honours them in tests', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-gate');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const options = { names: [volume], confirm: true, removeRunningContainers: true };
    const ui = answering({ warning: () => undefined });
    try {
      const outside = { ...api.context, testMode: false };
      const handler = commandTable[COMMANDS.removeVolume]!;
      const result = (await runCommandHandler(outside, COMMANDS.removeVolume, handler, [options])) as {
        removed: string[];
      };
      assert.equal(ui.questions.length, 1, 'asked before removing');
      assert.match(ui.questions[0]!.message, new RegExp(`Remove volume ${volume} and all its data\\?`));
      assert.deepEqual(result.removed, [], 'not removed when the question is dismissed');
      assert.equal(await exists(volume), true);

      const inTests = await vscode.commands.executeCommand<{ removed: string[] }>(COMMANDS.removeVolume, options);
      assert.equal(ui.questions.length, 1, 'the extension in test mode skips the question it was told to');
      assert.deepEqual(inTests?.removed, [volume]);
      assert.equal(await exists(volume), false);
    } finally {
      ui.restore();
    }
  });

  it("a lab step's own arguments go through the same gate: a step naming Remove Volume with confirm still asks", async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-gate');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const action = {
      kind: 'command' as const,
      command: COMMANDS.removeVolume,
      args: [{ names: [volume], confirm: true, removeRunningContainers: true }],
    };
    const ui = answering({ warning: () => undefined });
    try {
      const outside = { ...api.context, testMode: false };
      const commands = { [COMMANDS.removeVolume]: commandTable[COMMANDS.removeVolume]! };
      const result = (await commandStep(outside, commands, action, 'gate.remove.volume')) as { removed: string[] };
      assert.equal(ui.questions.length, 1, 'asked before removing, whatever the lab data said');
      assert.deepEqual(result.removed, []);
      assert.equal(await exists(volume), true);
    } finally {
      ui.restore();
    }
  });
});
