import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandTable } from '../../src/commands';
import { COMMANDS, SETTINGS } from '../../src/constants';
import { DockerError } from '../../src/docker/errors';
import {
  cleanupTestObjects,
  POSTGRES_IMAGE,
  runWithVolume,
  sql,
  startPostgres,
  TEST_IMAGE,
  TEST_LABEL,
  testDocker,
  uniqueName,
} from '../support/docker';
import { activeApi, shownErrors } from './helpers';

interface BackupNodeLike extends vscode.TreeItem {
  nodeType: string;
  volume?: string;
  backup?: { file: string };
}

describe('Backups', function () {
  this.timeout(120_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-backups-'));
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  before(() => config().update(SETTINGS.backupFolder, folder, vscode.ConfigurationTarget.Global));
  after(async () => {
    await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
    await cleanupTestObjects();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('backs up, lists the backup in the Backups view, verifies it and restores it into a new volume', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-bk');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1', team: 'data' } });
    await runWithVolume(
      volume,
      'mkdir -p /data/db && echo "row 1" > /data/db/table.csv && dd if=/dev/urandom of=/data/db/blob bs=1k count=300 2>/dev/null',
    );
    const backup = await vscode.commands.executeCommand<{
      file: string;
      manifest: { files: number; sha256: string; labels: Record<string, string> };
    }>(COMMANDS.backupVolume, { volume, keep: {} });
    assert.ok(backup);
    assert.match(path.basename(backup.file), new RegExp(`^${volume}_\\d{8}_\\d{6}\\.tar\\.gz$`));
    const manifest = JSON.parse(fs.readFileSync(`${backup.file}.json`, 'utf8')) as {
      volume: string;
      files: number;
      sha256: string;
      labels: Record<string, string>;
      bytes: number;
    };
    assert.equal(manifest.volume, volume);
    assert.equal(manifest.files, 4, '., db, db/table.csv, db/blob');
    assert.equal(manifest.labels.team, 'data');
    assert.ok(manifest.bytes >= 300 * 1024);

    const groups = api.context.backupsTree.getChildren() as unknown as BackupNodeLike[];
    const group = groups.find((g) => g.volume === volume);
    assert.ok(group, 'volume group in the Backups view');
    const items = api.context.backupsTree.getChildren(group as never) as unknown as BackupNodeLike[];
    assert.equal(items.length, 1);
    assert.match(String(items[0]!.description), /verified/);

    const verified = await vscode.commands.executeCommand<{ ok: boolean; message: string }>(
      COMMANDS.verifyBackup,
      backup.file,
    );
    assert.equal(verified?.ok, true, verified?.message);

    const target = uniqueName('vlab-bk-restored');
    const restored = await vscode.commands.executeCommand<{ target: string; mode: string; files: number }>(
      COMMANDS.restoreBackup,
      backup.file,
      { target, acceptManifestDriver: true },
    );
    assert.deepEqual(restored, { target, mode: 'new', files: 4 });
    const info = await testDocker().getVolume(target).inspect();
    assert.equal(info.Labels.team, 'data', 'labels from the manifest');
  });

  it('replaces an existing volume only after checking the archive, and refuses a damaged one', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-bk2');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    await runWithVolume(volume, 'echo v1 > /data/version');
    const backup = await vscode.commands.executeCommand<{ file: string }>(COMMANDS.backupVolume, { volume, keep: {} });
    await runWithVolume(volume, 'echo v2 > /data/version && echo new > /data/extra');
    const replaced = await vscode.commands.executeCommand<{ mode: string }>(COMMANDS.restoreBackup, backup.file, {
      target: volume,
      mode: 'replace',
    });
    assert.equal(replaced?.mode, 'replace', shownErrors(api).at(-1));
    const text = Buffer.from(
      await vscode.workspace.fs.readFile(vscode.Uri.from({ scheme: 'docker-volume', path: `/${volume}/version` })),
    ).toString();
    assert.equal(text, 'v1\n');
    await assert.rejects(
      Promise.resolve(
        vscode.workspace.fs.readFile(vscode.Uri.from({ scheme: 'docker-volume', path: `/${volume}/extra` })),
      ),
      'replace removed what was added later',
    );

    // A damaged copy of the archive: the volume stays exactly as it is.
    const damaged = path.join(folder, `${volume}_20200101_000000.tar.gz`);
    fs.writeFileSync(damaged, fs.readFileSync(backup.file).subarray(0, 100));
    const errors = shownErrors(api).length;
    assert.equal(
      await vscode.commands.executeCommand(COMMANDS.restoreBackup, damaged, { target: volume, mode: 'replace' }),
      undefined,
    );
    assert.ok(shownErrors(api).length > errors);
    assert.match(shownErrors(api).at(-1) ?? '', /damaged/);
    const still = Buffer.from(
      await vscode.workspace.fs.readFile(vscode.Uri.from({ scheme: 'docker-volume', path: `/${volume}/version` })),
    ).toString();
    assert.equal(still, 'v1\n');
    const verify = await vscode.commands.executeCommand<{ ok: boolean }>(COMMANDS.verifyBackup, damaged);
    assert.equal(verify?.ok, false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('stops the containers using a volume for a consistent backup, and starts them again', async () => {
    const volume = uniqueName('vlab-bk-live');
    const docker = testDocker();
    await docker.createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const app = await docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: { [TEST_LABEL]: '1' },
      HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
    });
    await app.start();
    const startedAt = (await app.inspect()).State.StartedAt;
    const backup = await vscode.commands.executeCommand<{ file: string }>(COMMANDS.backupVolume, {
      volume,
      consistency: 'stop',
      keep: {},
    });
    assert.ok(backup && fs.existsSync(backup.file));
    const after = await app.inspect();
    assert.equal(after.State.Running, true, 'started again');
    assert.notEqual(after.State.StartedAt, startedAt, 'it was stopped during the backup');
  });

  it('checks that the backup folder can be written before stopping anything, and says read-only for a read-only one', async function () {
    if (process.getuid?.() !== 0) this.skip(); // mounting a read-only tmpfs needs root
    const readOnly = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-ro-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', readOnly]);
    fs.mkdirSync(path.join(readOnly, 'backups'));
    execFileSync('mount', ['-o', 'remount,ro', readOnly]);
    const volume = uniqueName('vlab-bk-ro');
    const docker = testDocker();
    try {
      await docker.createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
      const app = await docker.createContainer({
        Image: TEST_IMAGE,
        Cmd: ['sleep', '300'],
        Labels: { [TEST_LABEL]: '1' },
        HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
      });
      await app.start();
      const startedAt = (await app.inspect()).State.StartedAt;
      const api = await activeApi();
      const shown = shownErrors(api).length;
      const target = path.join(readOnly, 'backups');
      const backup = await vscode.commands.executeCommand<{ file: string } | undefined>(COMMANDS.backupVolume, {
        volume,
        folder: target,
        consistency: 'stop',
        keep: {},
      });
      assert.equal(backup, undefined);
      const message = shownErrors(api).at(-1) ?? '';
      assert.ok(shownErrors(api).length > shown, 'an error was shown');
      assert.match(message, /read-only|lecture seule/);
      assert.ok(message.includes(target), message);
      assert.doesNotMatch(message, /permission|Docker socket|socket Docker/i);
      const after = await app.inspect();
      assert.equal(after.State.Running, true);
      assert.equal(after.State.StartedAt, startedAt, 'never stopped');
      assert.equal(api.context.daemon.state.kind, 'reachable', 'a local file error is not a connection error');
    } finally {
      execFileSync('umount', [readOnly]);
      fs.rmSync(readOnly, { recursive: true, force: true });
    }
  });

  it('keeps only what the retention rule allows, never the newest', async () => {
    const volume = uniqueName('vlab-bk-keep');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    for (const stamp of ['20240101_000000', '20240102_000000', '20240103_000000']) {
      fs.writeFileSync(path.join(folder, `${volume}_${stamp}.tar.gz`), 'old');
    }
    const result = await vscode.commands.executeCommand<{ file: string; deleted: string[] }>(COMMANDS.backupVolume, {
      volume,
      keep: { count: 2 },
    });
    assert.deepEqual(result.deleted.map((f) => path.basename(f)).sort(), [
      `${volume}_20240101_000000.tar.gz`,
      `${volume}_20240102_000000.tar.gz`,
    ]);
    assert.ok(fs.existsSync(result.file));
    assert.ok(fs.existsSync(path.join(folder, `${volume}_20240103_000000.tar.gz`)));
  });

  it('clones a volume into a new one, and exports the course-style script', async () => {
    const source = uniqueName('vlab-clone');
    await testDocker().createVolume({ Name: source, Labels: { [TEST_LABEL]: '1' } });
    await runWithVolume(source, 'echo hello > /data/hello.txt');
    const target = `${source}-copy`;
    const cloned = await vscode.commands.executeCommand<{ target: string; files: number }>(
      COMMANDS.cloneVolume,
      source,
      { target },
    );
    assert.deepEqual(cloned, { target, files: 2 });
    const info = await testDocker().getVolume(target).inspect();
    assert.equal(info.Labels['volumes-lab.cloned-from'], source);
    await testDocker().getVolume(target).remove();
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>(COMMANDS.exportBackupScript, {
      volumes: [source],
      folder,
    });
    assert.match(doc.getText(), new RegExp(`for VOLUME in ${source}; do`));
    assert.match(doc.getText(), /crontab -e/);
    // A folder with a line break (a workspace setting can hold one) would end a comment of the script and start a
    // command: refused, with the cause named, and no script opened.
    // The notice offers to open the setting that chose the folder.
    const api = await activeApi();
    const errors = shownErrors(api).length;
    const planted = `${folder}\ntouch /tmp/pwned #`;
    const window = vscode.window as unknown as Record<string, unknown>;
    const showErrorMessage = window.showErrorMessage;
    const offered: string[][] = [];
    window.showErrorMessage = (_message: string, ...items: unknown[]) => {
      offered.push(items.filter((i): i is string => typeof i === 'string'));
      return Promise.resolve(undefined);
    };
    try {
      const refused = await vscode.commands.executeCommand<vscode.TextDocument | undefined>(
        COMMANDS.exportBackupScript,
        { volumes: [source], folder: planted },
      );
      assert.equal(refused, undefined);
    } finally {
      window.showErrorMessage = showErrorMessage;
    }
    assert.match(shownErrors(api).slice(errors).join('\n'), /line break or another control character/);
    assert.ok(offered[0]?.includes('Open Settings'), JSON.stringify(offered));
    // The handler's own error names the setting that Open Settings opens.
    await assert.rejects(
      Promise.resolve(commandTable[COMMANDS.exportBackupScript]!(api.context, { volumes: [source], folder: planted })),
      (err: unknown) =>
        err instanceof DockerError && err.kind === 'invalid' && err.setting === `${SETTINGS.section}.backup.folder`,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('dumps a running PostgreSQL from its volume (offered instead of a file copy), lists the dump and restores it into another server', async function () {
    if (!POSTGRES_IMAGE) {
      if (process.env.VOLUMES_LAB_PRIVATE_DAEMON === '1') throw new Error('VOLUMES_LAB_POSTGRES_IMAGE is not set');
      this.skip();
    }
    const api = await activeApi();
    const volume = uniqueName('vlab-pg');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const db = await startPostgres(volume);
    await sql(db, "CREATE TABLE notes (id int, body text); INSERT INTO notes VALUES (1, 'persisted');");
    // The Back Up command with the "dump" answer to its consistency question.
    const dump = await vscode.commands.executeCommand<{
      file: string;
      manifest: { kind: string; database: { engine: string; container: string } };
    }>(COMMANDS.backupVolume, { volume, consistency: 'dump', keep: {} });
    assert.ok(dump, shownErrors(api).at(-1));
    assert.match(path.basename(dump.file), new RegExp(`^${volume}_\\d{8}_\\d{6}\\.sql\\.gz$`));
    assert.equal(dump.manifest.kind, 'dump');
    assert.equal(dump.manifest.database.engine, 'postgres');
    const group = (api.context.backupsTree.getChildren() as unknown as BackupNodeLike[]).find(
      (g) => g.volume === volume,
    );
    assert.ok(group, 'the dump is listed under its volume');
    const [item] = api.context.backupsTree.getChildren(group as never) as unknown as BackupNodeLike[];
    assert.match(String(item?.description), /PostgreSQL/);
    assert.equal((await vscode.commands.executeCommand<{ ok: boolean }>(COMMANDS.verifyBackup, dump.file))?.ok, true);

    const other = uniqueName('vlab-pg-other');
    await testDocker().createVolume({ Name: other, Labels: { [TEST_LABEL]: '1' } });
    const second = await startPostgres(other);
    const restored = await vscode.commands.executeCommand<{ target: string }>(COMMANDS.restoreBackup, dump.file, {
      container: (await second.inspect()).Name.slice(1),
      confirm: true,
    });
    assert.ok(restored, shownErrors(api).at(-1));
    assert.equal(await sql(second, 'SELECT body FROM notes'), 'persisted');

    // Dump Database on a volume no database uses: a clear message, no file.
    const plain = uniqueName('vlab-plain');
    await testDocker().createVolume({ Name: plain, Labels: { [TEST_LABEL]: '1' } });
    const before = fs.readdirSync(folder).length;
    assert.equal(await vscode.commands.executeCommand(COMMANDS.dumpDatabase, { volume: plain }), undefined);
    assert.match(shownErrors(api).at(-1) ?? '', /start its container first|démarrez d'abord/);
    assert.equal(fs.readdirSync(folder).length, before);
  });

  it('runs scheduled backups of due volumes only, quietly, a dump for a running database', async function () {
    const api = await activeApi();
    const plain = uniqueName('vlab-sched');
    await testDocker().createVolume({ Name: plain, Labels: { [TEST_LABEL]: '1' } });
    await runWithVolume(plain, 'echo scheduled > /data/file');
    assert.equal(await vscode.commands.executeCommand(COMMANDS.toggleSchedule, plain), true);
    assert.deepEqual(config().get(SETTINGS.scheduledVolumes), [plain]);
    const volumes = [plain];
    if (POSTGRES_IMAGE) {
      const pgVolume = uniqueName('vlab-sched-pg');
      await testDocker().createVolume({ Name: pgVolume, Labels: { [TEST_LABEL]: '1' } });
      await startPostgres(pgVolume);
      await vscode.commands.executeCommand(COMMANDS.toggleSchedule, pgVolume);
      volumes.push(pgVolume);
    }
    try {
      assert.deepEqual((await api.scheduler.runDue()).sort(), [...volumes].sort());
      const files = fs.readdirSync(folder);
      assert.ok(
        files.some((f) => new RegExp(`^${plain}_\\d{8}_\\d{6}\\.tar\\.gz$`).test(f)),
        files.join(' '),
      );
      if (volumes[1])
        assert.ok(
          files.some((f) => new RegExp(`^${volumes[1]}_\\d{8}_\\d{6}\\.sql\\.gz$`).test(f)),
          `a dump for the running PostgreSQL: ${files.join(' ')}`,
        );
      assert.deepEqual(await api.scheduler.runDue(), [], 'nothing is due right after');
      const later = new Date(Date.now() + 25 * 3600_000);
      assert.deepEqual((await api.scheduler.runDue(later)).sort(), [...volumes].sort(), 'due again a day later');
    } finally {
      for (const v of volumes) await vscode.commands.executeCommand(COMMANDS.toggleSchedule, v);
    }
    assert.deepEqual(config().get(SETTINGS.scheduledVolumes), []);
  });
});
