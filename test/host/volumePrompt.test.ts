// One volume prompt for every command that takes a volume: the same rows (anonymous volumes by their short id, whether
// in use, the size when known), the named-only list with "New volume…" for the commands that mount one.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/constants';
import { cleanupTestObjects, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, answering, type PickedItem } from './helpers';

describe('the volume prompt', function () {
  this.timeout(60_000);
  after(() => cleanupTestObjects());

  it('shows the same rows to every command, and named volumes with New volume… to the mount wizards', async () => {
    const api = await activeApi();
    const named = uniqueName('vlab-prompt');
    const anonymous = randomBytes(32).toString('hex');
    for (const Name of [named, anonymous]) await testDocker().createVolume({ Name, Labels: { [TEST_LABEL]: '1' } });
    await api.context.model.refresh();
    const listed = async (command: string): Promise<PickedItem[]> => {
      const ui = answering({ pick: () => undefined });
      try {
        await vscode.commands.executeCommand(command);
      } finally {
        ui.restore();
      }
      assert.equal(ui.picks.length, 1, `${command} asked once`);
      return ui.picks[0]!;
    };
    const inspect = await listed(COMMANDS.inspectVolume);
    const row = (items: PickedItem[], label: string) => items.find((i) => i.label === label);
    assert.equal(row(inspect, anonymous), undefined, 'an anonymous volume is not listed by its whole hash');
    assert.match(row(inspect, `${anonymous.slice(0, 12)}…`)?.description ?? '', /^unused/);
    assert.match(row(inspect, named)?.description ?? '', /^unused/);
    for (const command of [
      COMMANDS.backupVolume,
      COMMANDS.cloneVolume,
      COMMANDS.toggleSchedule,
      COMMANDS.copyVolumeName,
    ])
      assert.deepEqual(
        (await listed(command)).map((i) => i.label),
        inspect.map((i) => i.label),
        `${command}: the same rows as Inspect`,
      );
    for (const command of [COMMANDS.runWithVolume, COMMANDS.testVolume]) {
      const items = await listed(command);
      assert.equal(items[0]?.label, 'New volume…', command);
      assert.ok(row(items, named), `${command} lists ${named}`);
      assert.ok(!items.some((i) => i.label.startsWith(anonymous.slice(0, 12))), `${command}: no anonymous volume`);
    }
  });
});
