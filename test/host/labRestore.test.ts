import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import { runWithVolume, TEST_LABEL, testDocker } from '../support/docker';
import { activeApi } from './helpers';

type Shown = { label: string; description?: string; detail?: string };

/** The lab's Restore button shows which archive it would restore (name, date, size) and asks. */
describe('The lab Restore button', function () {
  this.timeout(120_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-labrestore-'));
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  const window = vscode.window as unknown as Record<string, unknown>;
  const savedPick = window.showQuickPick;
  const removeVolumes = async () => {
    for (const name of ['mon-volume-restaure', 'mon-volume'])
      await testDocker()
        .getVolume(name)
        .remove({ force: true })
        .catch(() => undefined);
  };
  before(async () => {
    await removeVolumes();
    await config().update(SETTINGS.backupFolder, folder, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    window.showQuickPick = savedPick;
    await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
    await removeVolumes();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('lists each archive with its date and size, a future-dated one last and flagged, and restores only what is picked', async () => {
    await activeApi();
    await testDocker().createVolume({ Name: 'mon-volume', Labels: { [TEST_LABEL]: '1' } });
    await runWithVolume('mon-volume', 'echo hello > /data/test.txt');
    const backup = await vscode.commands.executeCommand<{ file: string }>(COMMANDS.backupVolume, {
      volume: 'mon-volume',
      keep: {},
    });
    assert.ok(backup);
    const planted = path.join(folder, 'mon-volume_20991231_235959.tar.gz');
    fs.copyFileSync(backup.file, planted);

    const shown: Shown[][] = [];
    let answer: string | undefined;
    window.showQuickPick = async (items: readonly Shown[] | Thenable<readonly Shown[]>) => {
      const list = await items;
      shown.push(
        list.map((i) => ({
          label: i.label,
          ...(i.description ? { description: i.description } : {}),
          ...(i.detail ? { detail: i.detail } : {}),
        })),
      );
      return list.find((i) => i.label === answer);
    };
    answer = undefined;
    assert.equal(
      await vscode.commands.executeCommand(COMMANDS.labRun, 'dataManagement.restore.restore'),
      undefined,
      'dismissed: nothing restored',
    );
    assert.equal(shown.length, 1, 'the button asks which archive');
    const [real, future] = shown[0]!;
    assert.equal(real?.label, path.basename(backup.file), 'the newest real backup comes first, not the 2099 name');
    assert.match(real?.description ?? '', /\d.*·.*\d+(\.\d+)? ?(B|KB|kB|KiB|MB)/, 'date and size shown');
    assert.equal(future?.label, path.basename(planted));
    assert.match(future?.detail ?? '', /future/);
    await assert.rejects(testDocker().getVolume('mon-volume-restaure').inspect(), 'no volume created when dismissed');

    answer = path.basename(backup.file);
    const restored = await vscode.commands.executeCommand<{ target: string } | undefined>(
      COMMANDS.labRun,
      'dataManagement.restore.restore',
    );
    assert.equal(restored?.target, 'mon-volume-restaure');
    assert.equal(shown.length, 2);
    await testDocker().getVolume('mon-volume-restaure').inspect();
  });
});
