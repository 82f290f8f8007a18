import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import { cleanupTestObjects, runWithVolume, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, answering, eventually, shownErrors, typeAPath } from './helpers';

describe('Pickers take typed paths', function () {
  this.timeout(120_000);
  const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const scratch = path.join(workspace, `.vlab-pickers-${process.pid}`);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-pickers-'));
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  const common = { image: TEST_IMAGE, target: '/site', readOnly: true, networkMode: 'none', command: ['true'] };
  let existing = new Set<string>();
  before(async () => {
    existing = new Set((await testDocker().listContainers({ all: true })).map((c) => c.Id));
    fs.mkdirSync(path.join(scratch, 'site'), { recursive: true });
    await config().update(SETTINGS.backupFolder, folder, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
    await cleanupTestObjects();
    // The containers these tests run carry only the extension's own label: every one that was not there before.
    const docker = testDocker();
    const ran = (await docker.listContainers({ all: true })).filter((c) => !existing.has(c.Id));
    await Promise.all(ran.map((c) => docker.getContainer(c.Id).remove({ force: true })));
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('the bind-mount picker takes a path typed relative to the workspace folder, and says what is wrong with others', async () => {
    await activeApi();
    const relative = path.relative(workspace, path.join(scratch, 'site'));
    const ui = answering({
      pick: typeAPath,
      input: [relative, '', ''],
    });
    let result: { id: string } | undefined;
    try {
      result = await vscode.commands.executeCommand<{ id: string }>(COMMANDS.runWithBindMount, {
        ...common,
      });
    } finally {
      ui.restore();
    }
    assert.ok(result, 'a container was run');
    const mounts = (await testDocker().getContainer(result.id).inspect()).Mounts;
    assert.equal(mounts[0]?.Source, path.join(scratch, 'site'), 'the typed path, taken from the workspace folder');
    assert.deepEqual(
      ui.picks[0]?.map((i) => i.label),
      [`This workspace: ${workspace}`, 'Type a Path…', 'Browse…'],
    );
    assert.equal(ui.validations[0], undefined, 'no complaint about a folder that exists');
    assert.deepEqual(ui.refused, []);

    // The same picker's checks as the user types: a file, a missing folder (information only), nothing.
    const file = path.join(scratch, 'notes.txt');
    fs.writeFileSync(file, 'x');
    const checks = answering({
      pick: typeAPath,
      input: [file, '', ''],
    });
    try {
      await vscode.commands.executeCommand(COMMANDS.runWithBindMount, common);
    } finally {
      checks.restore();
    }
    assert.equal(checks.validations[0], 'A file, not a folder.');
    assert.deepEqual(checks.refused, [file], 'Enter on a file is refused: the picker stays open on its problem');
  });

  it('Enter on "Type a Path…" starts a path at the workspace folder, offered with its check, and a second Enter takes it', async () => {
    const api = await activeApi();
    const ui = answering({ pick: typeAPath, input: ['', ''], enter: 'onHint' });
    let result: { id: string } | undefined;
    try {
      result = await vscode.commands.executeCommand<{ id: string }>(COMMANDS.runWithBindMount, common);
    } finally {
      ui.restore();
    }
    assert.deepEqual(ui.values, [workspace + path.sep], 'the hint starts the path at the workspace folder');
    assert.equal(ui.validations[0], undefined, 'the workspace folder exists: no complaint');
    assert.ok(
      result,
      `run with the workspace folder: ${JSON.stringify([ui.refused, shownErrors(api).at(-1), ui.questions])}`,
    );
    assert.equal((await testDocker().getContainer(result.id).inspect()).Mounts[0]?.Source, workspace);
  });

  it('takes a bare new name on Enter, though no item offered it: the question names the folder in the workspace', async () => {
    await activeApi();
    // A bare name naming nothing is not offered while typed (it may be filtering the choices); Enter still takes it.
    const name = `vlab-newdir-${process.pid}`;
    const ui = answering({ pick: typeAPath, input: [name], enter: 'now', warning: () => undefined });
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand(COMMANDS.runWithBindMount, common);
    } finally {
      ui.restore();
    }
    assert.equal(result, undefined, 'declined');
    assert.deepEqual(ui.refused, [], 'Enter was not ignored');
    const asked = path.join(workspace, name);
    assert.equal(ui.questions[0]?.message, `${asked} does not exist. Create it, inside the workspace?`);
    assert.equal(fs.existsSync(asked), false, 'not created on No');
  });

  it('checks a path on Enter pressed before its item appears, refusing a file with the picker left open', async () => {
    await activeApi();
    const file = path.join(scratch, 'early.txt');
    fs.writeFileSync(file, 'x');
    const ui = answering({ pick: typeAPath, input: [file], enter: 'now' });
    try {
      assert.equal(await vscode.commands.executeCommand(COMMANDS.runWithBindMount, common), undefined);
    } finally {
      ui.restore();
    }
    assert.equal(ui.validations[0], 'A file, not a folder.');
    assert.deepEqual(ui.refused, [file]);
  });

  it('does not look at a network path while it is typed, and says it is checked on Enter', async () => {
    await activeApi();
    const share = `//vlab-no-such-host-${process.pid}/share`;
    const ui = answering({ pick: typeAPath, input: [share], warning: () => undefined });
    try {
      await vscode.commands.executeCommand(COMMANDS.runWithBindMount, common);
    } finally {
      ui.restore();
    }
    assert.deepEqual(ui.validations[0], {
      message: 'A network path: not looked at while you type, checked when you press Enter.',
      severity: vscode.InputBoxValidationSeverity.Info,
    });
  });

  it('for a daemon on another machine, looks at nothing here: no workspace choice, a typed folder said unchecked', async () => {
    const api = await activeApi();
    const remote = 'tcp://127.0.0.1:9';
    const missing = path.join(scratch, 'only-on-the-remote');
    try {
      await config().update(SETTINGS.dockerHost, remote, vscode.ConfigurationTarget.Global);
      await eventually(() => (api.context.daemon.endpoint?.host === remote ? true : undefined), 'the remote endpoint');
      const ui = answering({ pick: typeAPath, input: [missing, '', ''], warning: () => undefined });
      try {
        await vscode.commands.executeCommand(COMMANDS.runWithBindMount, common);
      } finally {
        ui.restore();
      }
      assert.deepEqual(
        ui.picks[0]?.map((i) => i.label),
        ['Type a Path…', 'Browse…'],
      );
      assert.deepEqual(ui.validations[0], {
        message: 'On 127.0.0.1, where the Docker daemon runs: not checked from here.',
        severity: vscode.InputBoxValidationSeverity.Info,
      });
      assert.deepEqual(ui.refused, [], 'taken as typed');
      assert.deepEqual(ui.questions, [], 'no question about creating it here');
      assert.equal(fs.existsSync(missing), false);
    } finally {
      await config().update(SETTINGS.dockerHost, undefined, vscode.ConfigurationTarget.Global);
    }
    await eventually(() => (api.context.daemon.state.kind === 'reachable' ? true : undefined), 'reachable again');
  });

  it('expands ~ in a typed host folder', async () => {
    await activeApi();
    const home = fs.mkdtempSync(path.join(os.homedir(), '.vlab-pickers-home-'));
    const ui = answering({
      pick: typeAPath,
      input: [`~/${path.basename(home)}`, '', ''],
    });
    try {
      const result = await vscode.commands.executeCommand<{ id: string }>(COMMANDS.runWithBindMount, {
        ...common,
      });
      assert.ok(result);
      assert.equal((await testDocker().getContainer(result.id).inspect()).Mounts[0]?.Source, home);
    } finally {
      ui.restore();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('offers to create a missing host folder, saying where, and creates it only after yes', async () => {
    await activeApi();
    const missing = path.join(scratch, 'new', 'data');
    const declined = answering({
      pick: typeAPath,
      input: [missing],
      warning: () => undefined,
    });
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand(COMMANDS.runWithBindMount, common);
    } finally {
      declined.restore();
    }
    assert.equal(result, undefined);
    assert.equal(fs.existsSync(missing), false, 'not created on No');
    assert.deepEqual(declined.validations[0], {
      message: 'Does not exist yet: Enter asks whether to create it.',
      severity: vscode.InputBoxValidationSeverity.Info,
    });
    assert.equal(declined.questions[0]?.message, `${missing} does not exist. Create it, inside the workspace?`);
    assert.deepEqual(declined.questions[0]?.items, ['Create Folder']);

    // Yes to the folder, then the wizard cancelled at a later question: nothing is created.
    const halfway = path.join(scratch, 'halfway');
    const cancelled = answering({
      pick: typeAPath,
      input: [halfway],
      warning: (_message, items) => items.find((i) => i === 'Create Folder'),
    });
    try {
      result = await vscode.commands.executeCommand(COMMANDS.runWithBindMount, common);
    } finally {
      cancelled.restore();
    }
    assert.equal(result, undefined);
    assert.equal(cancelled.questions.length, 1, 'the creation was asked');
    assert.equal(fs.existsSync(halfway), false, 'a wizard cancelled after the question leaves no folder');

    const accepted = answering({
      pick: typeAPath,
      input: [missing, '', ''],
      warning: (_message, items) => items.find((i) => i === 'Create Folder'),
    });
    try {
      result = await vscode.commands.executeCommand(COMMANDS.runWithBindMount, common);
    } finally {
      accepted.restore();
    }
    assert.ok(result, 'run after the folder was created');
    assert.equal(fs.statSync(missing).isDirectory(), true);

    const outside = path.join(folder, 'elsewhere');
    const asked = answering({ warning: () => undefined });
    try {
      await vscode.commands.executeCommand(COMMANDS.runWithBindMount, { ...common, hostPath: outside });
    } finally {
      asked.restore();
    }
    assert.equal(asked.questions[0]?.message, `${outside} does not exist. Create it, outside the workspace?`);
    assert.equal(fs.existsSync(outside), false);
  });

  it('asks to create a folder reached through a link by naming where it is really written', async () => {
    await activeApi();
    // A link committed in the workspace that leads outside it: the folder typed under it is created out there.
    const link = path.join(scratch, 'linked');
    fs.symlinkSync(folder, link);
    const typed = path.join(link, 'through', 'data');
    const real = path.join(fs.realpathSync(folder), 'through', 'data');
    const asked = answering({ warning: () => undefined });
    try {
      await vscode.commands.executeCommand(COMMANDS.runWithBindMount, { ...common, hostPath: typed });
    } finally {
      asked.restore();
    }
    assert.equal(asked.questions[0]?.message, `${real} does not exist. Create it, outside the workspace?`);
    assert.ok(asked.questions[0]?.detail?.includes(`You chose ${typed}:`), asked.questions[0]?.detail);
    assert.equal(fs.existsSync(real), false, 'nothing created on No');
  });

  it('Restore lists every archive and dump of the folder, those without a manifest said so with what cannot be checked, and takes a typed path', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-pick');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    await runWithVolume(volume, 'echo hello > /data/a.txt');
    const backup = await vscode.commands.executeCommand<{ file: string }>(COMMANDS.backupVolume, { volume, keep: {} });
    assert.ok(backup);
    const renamed = path.join(folder, 'copied-from-a-colleague.tar.gz');
    const noManifest = path.join(folder, `${volume}_20200101_000000.tar.gz`);
    const dump = path.join(folder, 'prod.sql.gz');
    fs.copyFileSync(backup.file, renamed);
    fs.copyFileSync(backup.file, noManifest);
    fs.writeFileSync(dump, '');
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a backup');

    const ui = answering({ pick: () => undefined });
    try {
      assert.equal(await vscode.commands.executeCommand(COMMANDS.restoreBackup), undefined);
    } finally {
      ui.restore();
    }
    const items = ui.picks[0]!;
    const byLabel = (name: string) => items.find((i) => i.label === name);
    assert.deepEqual(
      items.map((i) => i.label).sort(),
      [
        path.basename(backup.file),
        path.basename(noManifest),
        'Browse…',
        'Type a Path…',
        'copied-from-a-colleague.tar.gz',
        'prod.sql.gz',
      ].sort(),
    );
    assert.doesNotMatch(byLabel(path.basename(backup.file))!.description!, /no manifest/);
    for (const name of [path.basename(noManifest), 'copied-from-a-colleague.tar.gz']) {
      assert.match(byLabel(name)!.description!, /no manifest/, name);
      assert.match(byLabel(name)!.detail!, /volume it came from and its entry count and size cannot be checked/);
      assert.match(byLabel(name)!.detail!, /size and entry limits and the archive checks still apply/);
    }
    assert.match(byLabel('prod.sql.gz')!.detail!, /replayed only after a warning/);

    // A typed path, relative to the workspace folder, goes through the same checks as a picked one.
    const typed = answering({
      pick: typeAPath,
      input: [path.relative(workspace, renamed)],
    });
    let restored: { target: string; files: number } | undefined;
    const target = uniqueName('vlab-pick-restored');
    try {
      restored = await vscode.commands.executeCommand(COMMANDS.restoreBackup, { target });
    } finally {
      typed.restore();
    }
    assert.deepEqual(restored, { target, mode: 'new', files: 2 }, shownErrors(api).at(-1));

    const wrong = answering({
      pick: typeAPath,
      input: [path.join(folder, 'notes.txt')],
    });
    try {
      assert.equal(await vscode.commands.executeCommand(COMMANDS.restoreBackup, { target }), undefined);
    } finally {
      wrong.restore();
    }
    assert.equal(wrong.validations[0], 'notes.txt is not a backup: Restore takes .tar.gz, .tgz and .sql.gz files.');
    assert.deepEqual(wrong.refused, [path.join(folder, 'notes.txt')], 'the picker stays open on what it refuses');
    for (const f of [renamed, noManifest, dump]) fs.rmSync(f);
    // Restored from a file without a manifest, the volume has no test label for the cleanup to find.
    await testDocker().getVolume(target).remove({ force: true });
  });
});
