import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import { cleanupTestObjects, runWithVolume, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, eventually, findVolume, hoverText, shownErrors } from './helpers';

/** Files and settings a repository can plant, and what the extension must refuse to do with them. */
describe('Planted files and settings', function () {
  this.timeout(120_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-planted-'));
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  before(() => config().update(SETTINGS.backupFolder, folder, vscode.ConfigurationTarget.Global));
  after(async () => {
    await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
    await cleanupTestObjects();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('names the real folder before writing when a committed backups link leads out of the workspace', async () => {
    const api = await activeApi();
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const link = path.join(workspace, 'backups');
    assert.ok(!fs.existsSync(link), 'the fixture workspace has no backups folder of its own');
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-linked-backups-'));
    const real = fs.realpathSync(elsewhere);
    fs.symlinkSync(elsewhere, link);
    await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
    const volume = uniqueName('vlab-linked');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const window = vscode.window as unknown as Record<string, unknown>;
    const saved = window.showInformationMessage;
    const shown: string[] = [];
    window.showInformationMessage = (message: string) => {
      // What the user has been told when the archive is written: checked by looking at the folder now.
      shown.push(`${message} [files there: ${fs.readdirSync(elsewhere).length}]`);
      return Promise.resolve(undefined);
    };
    try {
      const result = await vscode.commands.executeCommand<{ file: string }>(COMMANDS.backupVolume, {
        volume,
        keep: {},
      });
      assert.ok(result, shownErrors(api).at(-1));
      assert.equal(fs.realpathSync(path.dirname(result.file)), real);
      const notice = shown.find((m) => m.includes(real) && m.includes('symbolic link'));
      assert.ok(notice, `the real folder is named: ${shown.join(' | ')}`);
      assert.match(notice, /\[files there: 0\]$/, 'named before the backup is written');
      const success = shown.find((m) => m.startsWith(`Backed up ${volume}`));
      assert.ok(success?.includes(real), `the success message names the real folder: ${success}`);
    } finally {
      window.showInformationMessage = saved;
      fs.rmSync(link, { force: true });
      fs.rmSync(elsewhere, { recursive: true, force: true });
      await config().update(SETTINGS.backupFolder, folder, vscode.ConfigurationTarget.Global);
    }
  });

  it('refuses a manifest that would make the daemon extract a backup into a host folder', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-planted');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    await runWithVolume(volume, 'echo planted > /data/authorized_keys');
    const backup = await vscode.commands.executeCommand<{ file: string }>(COMMANDS.backupVolume, { volume, keep: {} });
    assert.ok(backup);
    const hostFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-victim-'));
    const manifestFile = `${backup.file}.json`;
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
      options: Record<string, string>;
      labels: Record<string, string>;
    };
    manifest.options = { type: 'none', o: 'bind', device: hostFolder };
    manifest.labels = { [TEST_LABEL]: '1' };
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));

    const target = uniqueName('vlab-planted-target');
    const errors = shownErrors(api).length;
    const restored = await vscode.commands.executeCommand(COMMANDS.restoreBackup, backup.file, { target });
    assert.equal(restored, undefined);
    assert.ok(shownErrors(api).length > errors, 'the refusal is shown');
    assert.match(shownErrors(api).at(-1) ?? '', /host path, device or share/);
    assert.deepEqual(fs.readdirSync(hostFolder), [], 'nothing written into the host folder');
    await assert.rejects(testDocker().getVolume(target).inspect(), 'no volume created');
    fs.rmSync(hostFolder, { recursive: true, force: true });
  });

  it('does not let a manifest pass an archive off as the backup of another volume', async () => {
    const api = await activeApi();
    const real = uniqueName('vlab-real');
    const file = path.join(folder, 'decoy_20260101_000000.tar.gz');
    fs.writeFileSync(file, '');
    fs.writeFileSync(
      `${file}.json`,
      JSON.stringify({
        format: 'docker-volumes-lab/backup@1',
        volume: real,
        driver: 'local',
        options: {},
        labels: {},
        bytes: 0,
        files: 0,
        archiveBytes: 0,
        sha256: '',
        engineVersion: '',
        createdAt: '',
      }),
    );
    api.context.backupsTree.refresh();
    const groups = api.context.backupsTree.getChildren() as unknown as { volume?: string }[];
    assert.ok(
      groups.some((g) => g.volume === 'decoy'),
      'listed under the name its file carries',
    );
    assert.ok(!groups.some((g) => g.volume === real));
  });

  it('never shows a share password: tooltip and Inspect document mask it, commas included', async () => {
    const api = await activeApi();
    const name = uniqueName('vlab-cifs');
    await testDocker().createVolume({
      Name: name,
      Driver: 'local',
      DriverOpts: {
        type: 'cifs',
        device: '//files.invalid/team',
        o: 'addr=files.invalid,username=ada,password=s3cr,,et,vers=3.0',
      },
      Labels: { [TEST_LABEL]: '1' },
    });
    await api.context.model.refresh();
    const row = await eventually(() => findVolume(api, name), 'the CIFS volume in the tree');
    const tooltip = hoverText(api, row.item);
    assert.match(tooltip, /password=\*\*\*\*/);
    assert.doesNotMatch(tooltip, /s3cr|et,vers/);
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>(COMMANDS.inspectVolume, name);
    assert.match(doc.getText(), /username=ada,password=\*\*\*\*,vers=3\.0/);
    assert.doesNotMatch(doc.getText(), /s3cr/);
  });

  it('masks the share password the daemon echoes in a mount error, in the message shown and the result', async () => {
    await activeApi();
    const name = uniqueName('vlab-cifs-mount');
    await testDocker().createVolume({
      Name: name,
      Driver: 'local',
      DriverOpts: {
        type: 'cifs',
        device: '//127.0.0.1/team',
        o: 'addr=127.0.0.1,username=ada,password=s3cr,,et,vers=3.0',
      },
      Labels: { [TEST_LABEL]: '1' },
    });
    const window = vscode.window as unknown as Record<string, unknown>;
    const saved = window.showErrorMessage;
    const shown: string[] = [];
    window.showErrorMessage = (message: string) => {
      shown.push(message);
      return Promise.resolve(undefined);
    };
    try {
      const result = await vscode.commands.executeCommand<{ ok: boolean; detail: string }>(COMMANDS.testVolume, name, {
        image: TEST_IMAGE,
        networkMode: 'none',
      });
      assert.equal(result.ok, false);
      assert.match(
        result.detail,
        /username=ada,password=\*\*\*\*,vers=3\.0/,
        `the daemon's words, masked: ${result.detail}`,
      );
      assert.ok(shown.length > 0, 'the failure is shown');
      for (const text of [result.detail, ...shown]) assert.doesNotMatch(text, /s3cr|,,et/);
    } finally {
      window.showErrorMessage = saved;
    }
  });

  it('stops a restore whose archive expands past what its manifest says, and removes the new volume', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-bomb');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    await runWithVolume(volume, 'dd if=/dev/zero of=/data/zeros bs=1k count=2048 2>/dev/null');
    const backup = await vscode.commands.executeCommand<{ file: string }>(COMMANDS.backupVolume, { volume, keep: {} });
    assert.ok(backup);
    const manifestFile = `${backup.file}.json`;
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
      bytes: number;
      labels: Record<string, string>;
    };
    manifest.bytes = 1024;
    manifest.labels = { [TEST_LABEL]: '1' };
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const target = uniqueName('vlab-bomb-target');
    const errors = shownErrors(api).length;
    assert.equal(await vscode.commands.executeCommand(COMMANDS.restoreBackup, backup.file, { target }), undefined);
    assert.ok(shownErrors(api).length > errors);
    assert.match(shownErrors(api).at(-1) ?? '', /expands past/);
    await assert.rejects(testDocker().getVolume(target).inspect(), 'the new volume is removed');
  });
});
