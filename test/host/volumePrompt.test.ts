// One volume prompt for every command that takes a volume: the same rows (anonymous volumes by their short id, whether
// in use, the size when known), the named-only list with "New volume…" for the commands that mount one.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { COMMANDS, VIEWS } from '../../src/constants';
import { cleanupTestObjects, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, answering, eventually, type PickedItem } from './helpers';

describe('the volume prompt', function () {
  this.timeout(60_000);
  after(() => cleanupTestObjects());
  // A row an earlier suite left selected in the visible Volumes view answers Inspect's question: hide the view.
  beforeEach(() => vscode.commands.executeCommand('workbench.view.explorer'));

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

  it("reads a run wizard's name as the container's, never as the volume to mount", async () => {
    await activeApi();
    const web = uniqueName('vlab-web');
    const ui = answering({ pick: () => undefined });
    try {
      for (const command of [COMMANDS.runWithVolume, COMMANDS.testVolume]) {
        const asked = ui.picks.length;
        const result = await vscode.commands.executeCommand(command, { image: TEST_IMAGE, name: web, target: '/data' });
        assert.equal(ui.picks.length, asked + 1, `${command} asks for the volume`);
        assert.equal(result, undefined, `${command}: nothing run when the question is dismissed`);
      }
    } finally {
      ui.restore();
    }
    const created = await testDocker()
      .getVolume(web)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    assert.equal(created, false, 'no volume named after the container');
  });

  it("takes the Volumes view's selected row for its own commands only, not for those other views' title bars start", async () => {
    const api = await activeApi();
    const name = uniqueName('vlab-selected');
    await testDocker().createVolume({ Name: name, Labels: { [TEST_LABEL]: '1' } });
    await api.context.model.refresh();
    await vscode.commands.executeCommand(`${VIEWS.volumes}.focus`);
    assert.equal(await api.context.volumesTree.reveal(name), true);
    await eventually(
      () => (api.context.volumesView.visible && api.context.volumesView.selection.length === 1) || undefined,
      'the row is selected in the visible Volumes view',
    );
    const ui = answering({ pick: () => undefined });
    try {
      const started = [
        COMMANDS.backupVolume,
        COMMANDS.toggleSchedule,
        COMMANDS.cloneVolume,
        COMMANDS.runWithVolume,
        COMMANDS.testVolume,
      ];
      for (const command of started) {
        const asked = ui.picks.length;
        assert.equal(await vscode.commands.executeCommand(command), undefined, command);
        assert.equal(ui.picks.length, asked + 1, `${command} asks rather than take a row selected elsewhere`);
      }
      const asked = ui.picks.length;
      await vscode.commands.executeCommand(COMMANDS.inspectVolume);
      assert.equal(ui.picks.length, asked, "Inspect, a Volumes view command, takes the view's selected row");
    } finally {
      ui.restore();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('workbench.view.explorer');
    }
  });
});
