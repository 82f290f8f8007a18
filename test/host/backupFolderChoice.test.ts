import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import { activeApi, answering, eventually, typeAPath } from './helpers';

describe('Choose the Backup Folder', function () {
  this.timeout(60_000);
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-choose-'));
  let saved: unknown;
  before(() => {
    saved = config().inspect(SETTINGS.backupFolder)?.globalValue;
  });
  after(async () => {
    await config().update(SETTINGS.backupFolder, saved, vscode.ConfigurationTarget.Global);
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('offers the folder in use, takes a typed missing one, creates it, writes the user setting and titles the view', async () => {
    const api = await activeApi();
    await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const target = path.join(parent, 'course-backups');
    const ui = answering({ pick: typeAPath, input: [target] });
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand(COMMANDS.chooseBackupFolder);
    } finally {
      ui.restore();
    }
    assert.equal(result, target);
    // The default in use is offered first: the workspace's backups folder, which Settings shows as an empty box.
    if (workspace && vscode.workspace.isTrusted)
      assert.equal(ui.picks[0]?.[0]?.label, `Keep ${path.join(workspace, 'backups')}`);
    const check = ui.validations[0] as { message: string; severity: vscode.InputBoxValidationSeverity } | undefined;
    assert.equal(check?.severity, vscode.InputBoxValidationSeverity.Info, 'a missing folder: information, no error');
    assert.ok(fs.statSync(target).isDirectory(), 'the missing folder was created');
    const inspected = config().inspect<string>(SETTINGS.backupFolder);
    assert.equal(inspected?.globalValue, target, "the user's own setting");
    assert.equal(inspected?.workspaceValue, undefined, 'no workspace setting written');
    const home = os.homedir();
    const shown = target.startsWith(home + path.sep) ? `~${target.slice(home.length)}` : target;
    await eventually(
      () => (api.context.backupsView.description === shown ? true : undefined),
      `the Backups view's title to show ${shown} (it shows ${api.context.backupsView.description})`,
    );
  });
});
