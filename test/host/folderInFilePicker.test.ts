import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import { cleanupTestObjects, runWithVolume, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, answering, shownErrors, typeAPath } from './helpers';

describe('A folder typed into a file picker leads somewhere', function () {
  this.timeout(120_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-folder-pick-'));
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  before(async () => {
    await config().update(SETTINGS.backupFolder, folder, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
    await cleanupTestObjects();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('Restore lists the backups of a typed folder under it, and Enter on one restores it', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-folder-pick');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    await runWithVolume(volume, 'echo hello > /data/a.txt && echo again > /data/b.txt');
    const backup = await vscode.commands.executeCommand<{ file: string }>(COMMANDS.backupVolume, { volume, keep: {} });
    assert.ok(backup, shownErrors(api).at(-1));
    // Somewhere else than the backup folder, as a colleague's archive would be: with a file Restore does not take.
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-colleague-'));
    const copied = path.join(elsewhere, 'from-a-colleague.tar.gz');
    fs.copyFileSync(backup.file, copied);
    fs.writeFileSync(path.join(elsewhere, 'notes.txt'), 'not a backup');
    fs.mkdirSync(path.join(elsewhere, 'nested.tar.gz'));

    const target = uniqueName('vlab-folder-pick-restored');
    const ui = answering({ pick: typeAPath, input: [elsewhere], then: () => 'from-a-colleague.tar.gz' });
    let restored: unknown;
    try {
      restored = await vscode.commands.executeCommand(COMMANDS.restoreBackup, { target });
    } finally {
      ui.restore();
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
    assert.deepEqual(ui.validations[0], {
      message: 'A folder: pick one of its files below, or press Enter to browse from it.',
      severity: vscode.InputBoxValidationSeverity.Info,
    });
    // Under the folder, only what Restore takes: not the text file, not a folder named like an archive.
    const shown = ui.offered[0]!.map((i) => i.label);
    assert.deepEqual(shown.slice(0, 2), [elsewhere, 'from-a-colleague.tar.gz']);
    assert.ok(!shown.includes('notes.txt') && !shown.includes('nested.tar.gz'), shown.join(', '));
    assert.deepEqual(ui.dialogs, [], 'picked in the picker, no dialog');
    assert.deepEqual(restored, { target, mode: 'new', files: 3 }, shownErrors(api).at(-1));
    await testDocker().getVolume(target).remove({ force: true });
  });

  it('says plainly that a typed folder holds no backup, and Enter on it opens Browse there', async () => {
    await activeApi();
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-no-backup-'));
    fs.writeFileSync(path.join(empty, 'notes.txt'), 'not a backup');
    const ui = answering({ pick: typeAPath, input: [empty] });
    try {
      assert.equal(await vscode.commands.executeCommand(COMMANDS.restoreBackup, { target: 'unused' }), undefined);
    } finally {
      ui.restore();
      fs.rmSync(empty, { recursive: true, force: true });
    }
    assert.deepEqual(ui.validations[0], {
      message: 'No .tar.gz, .tgz or .sql.gz file in this folder: press Enter to browse from it.',
      severity: vscode.InputBoxValidationSeverity.Info,
    });
    assert.deepEqual(ui.refused, [], 'Enter was taken');
    assert.equal(ui.dialogs.length, 1, 'Enter opened the Browse dialog');
    assert.equal(ui.dialogs[0]?.defaultUri?.fsPath, empty, 'at the typed folder');
    assert.equal(ui.dialogs[0]?.canSelectFiles, true);
  });
});
