import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, EXTENSION_ID } from '../../src/constants';
import { labFiles } from '../../src/flows/labFiles';
import { cleanupTestObjects, runWithVolume, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, answering, shownErrors, typeAPath } from '../host/helpers';

const INFO = vscode.InputBoxValidationSeverity.Info;
const noBase = () =>
  'Relative, and no workspace folder is open to take it from: type an absolute path, or one starting with ~/.';

describe('With no folder open, the pickers take typed paths', function () {
  this.timeout(120_000);
  // Its real path: where a link leads (macOS's /var) the lab would be refused as written through a link.
  const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-nofolder-')));
  const flask = () =>
    labFiles(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'labs', 'flask')).sort();
  /** Every file under `folder`, relative to it. */
  const filesUnder = (folder: string) => labFiles(folder).sort();

  before(() => {
    // The suite is about this window: a folder open would give the pickers a base and a default target.
    assert.equal(vscode.workspace.workspaceFolders, undefined, 'the window has no folder open');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await cleanupTestObjects();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('Create Lab Files asks where, and writes the lab under a typed folder that exists', async () => {
    await activeApi();
    const target = path.join(scratch, 'existing');
    fs.mkdirSync(target);
    const ui = answering({ pick: typeAPath, input: [target] });
    let result: { folder: string; written: string[] } | undefined;
    try {
      result = await vscode.commands.executeCommand(COMMANDS.labFiles, { lab: 'flask' });
    } finally {
      ui.restore();
    }
    assert.equal(ui.validations[0], undefined, 'no complaint about a folder that exists');
    assert.ok(
      ui.picks[0]?.some((i) => /^Type a Path/.test(i.label)),
      JSON.stringify(ui.picks[0]?.map((i) => i.label)),
    );
    assert.equal(result?.folder, path.join(target, 'flask'));
    assert.deepEqual(filesUnder(path.join(target, 'flask')), flask(), 'every file of the lab, under the typed folder');
  });

  it('Create Lab Files creates a typed folder that is missing, as the picker said it would, and writes the lab there', async () => {
    await activeApi();
    const missing = path.join(scratch, 'new', 'course');
    const ui = answering({ pick: typeAPath, input: [missing] });
    let result: { folder: string; written: string[] } | undefined;
    try {
      result = await vscode.commands.executeCommand(COMMANDS.labFiles, { lab: 'flask' });
    } finally {
      ui.restore();
    }
    assert.deepEqual(ui.validations[0], {
      message: 'Does not exist yet: Enter creates it.',
      severity: INFO,
    });
    assert.equal(result?.folder, path.join(missing, 'flask'));
    assert.deepEqual(filesUnder(path.join(missing, 'flask')), flask());
  });

  it('Create Lab Files refuses a relative typed path, saying no folder is open to take it from', async () => {
    const api = await activeApi();
    const errors = shownErrors(api).length;
    const typed = `vlab-relative-${process.pid}`;
    const ui = answering({ pick: typeAPath, input: [typed] });
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand(COMMANDS.labFiles, { lab: 'flask' });
    } finally {
      ui.restore();
    }
    assert.equal(ui.validations[0], noBase(), 'said as it was typed');
    assert.equal(ui.refused.length, 1, 'Enter on it is refused: the picker stays open on the problem');
    assert.equal(result, undefined, 'nothing written');
    assert.equal(shownErrors(api).length, errors, 'no error afterwards: the picker said it');
    // Taken from nowhere: neither the extension host's working folder nor the home folder got it.
    for (const base of [process.cwd(), os.homedir()])
      assert.equal(fs.existsSync(path.join(base, typed)), false, `nothing created in ${base}`);
  });

  it('Back Up asks for the backup folder, creates a typed one that is missing, and refuses a relative one', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-nofolder');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    await runWithVolume(volume, 'echo hello > /data/a.txt');

    const missing = path.join(scratch, 'backups', 'of', 'volumes');
    const ui = answering({ pick: typeAPath, input: [missing] });
    let backup: { file: string } | undefined;
    try {
      backup = await vscode.commands.executeCommand(COMMANDS.backupVolume, { volume, keep: {} });
    } finally {
      ui.restore();
    }
    assert.deepEqual(ui.validations[0], {
      message: 'Does not exist yet: Enter creates it.',
      severity: INFO,
    });
    assert.ok(backup, shownErrors(api).at(-1));
    assert.equal(path.dirname(backup.file), missing, 'the archive is in the typed folder');
    assert.ok(fs.statSync(backup.file).size > 0);

    const errors = shownErrors(api).length;
    const relative = answering({ pick: typeAPath, input: ['backups'] });
    try {
      assert.equal(await vscode.commands.executeCommand(COMMANDS.backupVolume, { volume, keep: {} }), undefined);
    } finally {
      relative.restore();
    }
    assert.equal(relative.validations[0], noBase());
    assert.equal(relative.refused.length, 1, 'Enter on it is refused: the picker stays open on the problem');
    assert.equal(shownErrors(api).length, errors, 'no error afterwards: the picker said it');
  });
});
