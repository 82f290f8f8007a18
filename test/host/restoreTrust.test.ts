import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import {
  cleanupTestObjects,
  execIn,
  POSTGRES_IMAGE,
  runWithVolume,
  sql,
  startPostgres,
  TEST_LABEL,
  testDocker,
  uniqueName,
} from '../support/docker';
import { activeApi, shownErrors } from './helpers';

type Question = { message: string; detail?: string; items: string[] };

/** Answers the questions (modal warnings) in place of a person, and records them with their detail and buttons. */
function answeringWarnings(answer: (q: Question) => string | undefined) {
  const window = vscode.window as unknown as Record<string, unknown>;
  const saved = {
    showWarningMessage: window.showWarningMessage,
    showInformationMessage: window.showInformationMessage,
  };
  const questions: Question[] = [];
  window.showWarningMessage = (message: string, ...rest: unknown[]) => {
    const options = rest[0] && typeof rest[0] === 'object' ? (rest[0] as { detail?: string }) : undefined;
    const q = {
      message,
      ...(options?.detail ? { detail: options.detail } : {}),
      items: rest.filter((x): x is string => typeof x === 'string'),
    };
    questions.push(q);
    return Promise.resolve(answer(q));
  };
  window.showInformationMessage = () => Promise.resolve(undefined);
  return { questions, restore: () => Object.assign(window, saved) };
}

async function containerName(container: { inspect(): Promise<{ Name: string }> }): Promise<string> {
  return (await container.inspect()).Name.slice(1);
}

/** What a restore takes from a file beside the archive is shown first; SQL it did not write is not run blind. */
describe('Restore shows what a backup file asks for', function () {
  this.timeout(180_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-restoretrust-'));
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  before(() => config().update(SETTINGS.backupFolder, folder, vscode.ConfigurationTarget.Global));
  after(async () => {
    await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
    await cleanupTestObjects();
    fs.rmSync(folder, { recursive: true, force: true });
  });
  const needsPostgres = (ctx: Mocha.Context) => {
    if (POSTGRES_IMAGE) return;
    if (process.env.VOLUMES_LAB_PRIVATE_DAEMON === '1') throw new Error('VOLUMES_LAB_POSTGRES_IMAGE is not set');
    ctx.skip();
  };

  it("shows the manifest's labels with its driver and options before a new volume gets them", async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-labels');
    await testDocker().createVolume({
      Name: volume,
      Labels: { [TEST_LABEL]: '1', team: 'data', 'com.docker.compose.project': 'shop' },
    });
    await runWithVolume(volume, 'echo hi > /data/x');
    const backup = await vscode.commands.executeCommand<{ file: string }>(COMMANDS.backupVolume, { volume, keep: {} });
    assert.ok(backup);

    const plain = uniqueName('vlab-labels-plain');
    const declined = answeringWarnings((q) => q.items.find((i) => i === 'Plain Local Volume, No Labels'));
    try {
      const restored = await vscode.commands.executeCommand<{ target: string }>(COMMANDS.restoreBackup, backup.file, {
        target: plain,
      });
      assert.ok(restored, shownErrors(api).at(-1));
    } finally {
      declined.restore();
    }
    assert.equal(declined.questions.length, 1, 'asked once');
    const [q] = declined.questions;
    assert.equal(
      q?.message,
      `The manifest of ${path.basename(backup.file)} asks to create ${plain} with these settings. Use them?`,
    );
    assert.match(q?.detail ?? '', /Driver: local/);
    assert.match(q?.detail ?? '', /^ {2}team=data$/m);
    assert.match(q?.detail ?? '', /^ {2}com\.docker\.compose\.project=shop$/m);
    assert.doesNotMatch(q?.detail ?? '', /volumes-lab\.test/, "the extension's own labels are not asked about");
    const plainLabels = (await testDocker().getVolume(plain).inspect()).Labels ?? {};
    assert.equal(plainLabels.team, undefined);
    assert.equal(plainLabels['com.docker.compose.project'], undefined);
    assert.equal(plainLabels[TEST_LABEL], '1');

    const kept = uniqueName('vlab-labels-kept');
    const accepted = answeringWarnings((q) => q.items.find((i) => i === 'Use These Settings'));
    try {
      await vscode.commands.executeCommand(COMMANDS.restoreBackup, backup.file, { target: kept });
    } finally {
      accepted.restore();
    }
    const keptLabels = (await testDocker().getVolume(kept).inspect()).Labels ?? {};
    assert.equal(keptLabels.team, 'data');
    assert.equal(keptLabels['com.docker.compose.project'], 'shop');
  });

  it('warns before replaying a dump this extension did not write (even with a matching manifest), declining by default', async function () {
    needsPostgres(this);
    const api = await activeApi();
    const volume = uniqueName('vlab-planted-pg');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const db = await startPostgres(volume);
    const container = await containerName(db);
    const planted = path.join(folder, `${volume}_20260101_000000.sql.gz`);
    fs.writeFileSync(planted, zlib.gzipSync('CREATE DATABASE planted;\n\\! touch /tmp/planted-ran\n'));
    fs.writeFileSync(
      `${planted}.json`,
      JSON.stringify({
        format: 'docker-volumes-lab/backup@1',
        kind: 'dump',
        database: { engine: 'postgres', product: 'PostgreSQL', image: POSTGRES_IMAGE, container },
        volume,
        driver: 'local',
        options: {},
        labels: {},
        bytes: 60,
        files: 1,
        archiveBytes: fs.statSync(planted).size,
        sha256: createHash('sha256').update(fs.readFileSync(planted)).digest('hex'),
        engineVersion: '',
        createdAt: new Date().toISOString(),
      }),
    );
    const ran = async () =>
      (await sql(db, "SELECT count(*) FROM pg_database WHERE datname = 'planted'", 'postgres')) === '1';

    // The first button is the default one: it declines. `confirm` (scripted use) does not skip this warning.
    const byDefault = answeringWarnings((q) => q.items[0]);
    try {
      assert.equal(
        await vscode.commands.executeCommand(COMMANDS.restoreBackup, planted, { container, confirm: true }),
        undefined,
      );
    } finally {
      byDefault.restore();
    }
    assert.equal(byDefault.questions.length, 1, shownErrors(api).at(-1));
    const [q] = byDefault.questions;
    assert.equal(
      q?.message,
      `${path.basename(planted)} was not written by this extension on this machine. Replay its SQL into ${container} (PostgreSQL) anyway?`,
    );
    assert.deepEqual(q?.items, ['Do Not Replay', 'Replay Unknown SQL']);
    for (const risk of [/database superuser/, /drop or change any database of the server/, /shell commands/])
      assert.match(q?.detail ?? '', risk);
    assert.equal(await ran(), false, 'nothing replayed');
    assert.notEqual((await execIn(db, ['sh', '-c', 'test -e /tmp/planted-ran'])).exitCode, 0);

    // Said yes to, it runs: the warning told the truth about what such a file does.
    const yes = answeringWarnings((q) => q.items.find((i) => i === 'Replay Unknown SQL'));
    try {
      await vscode.commands.executeCommand(COMMANDS.restoreBackup, planted, { container });
    } finally {
      yes.restore();
    }
    assert.equal(await ran(), true);
    assert.equal(
      (await execIn(db, ['sh', '-c', 'test -e /tmp/planted-ran'])).exitCode,
      0,
      'psql ran the shell command',
    );
  });

  it('replays a dump it wrote after a question that says what is replaced, and leaves the databases not in it', async function () {
    needsPostgres(this);
    const api = await activeApi();
    const volume = uniqueName('vlab-own-pg');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const db = await startPostgres(volume);
    const container = await containerName(db);
    await sql(db, "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('before');");
    const dump = await vscode.commands.executeCommand<{ file: string }>(COMMANDS.backupVolume, {
      volume,
      consistency: 'dump',
      keep: {},
    });
    assert.ok(dump, shownErrors(api).at(-1));
    await sql(db, "UPDATE notes SET body = 'after'");
    await sql(db, 'CREATE DATABASE later');

    const ui = answeringWarnings((q) => q.items.find((i) => i === 'Restore'));
    try {
      assert.ok(await vscode.commands.executeCommand(COMMANDS.restoreBackup, dump.file, { container }));
    } finally {
      ui.restore();
    }
    const [q] = ui.questions;
    assert.equal(q?.message, `Replay ${path.basename(dump.file)} into ${container}?`);
    assert.match(q?.detail ?? '', /This extension wrote this dump on this machine \(pg_dumpall --clean --if-exists\)/);
    assert.match(q?.detail ?? '', /databases that are not in it stay as they are/);
    assert.equal(await sql(db, 'SELECT body FROM notes'), 'before');
    assert.equal(
      await sql(db, "SELECT count(*) FROM pg_database WHERE datname = 'later'", 'postgres'),
      '1',
      'a database not in the dump stays',
    );
  });

  it('asks before replaying a dump it wrote from an image a compose file chose, naming the source, even when told not to ask', async function () {
    needsPostgres(this);
    const api = await activeApi();
    const volume = uniqueName('vlab-compose-pg');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    // What `docker compose up` labels a container with: the repository's compose file chose its image.
    const composeFile = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'compose.yaml');
    const db = await startPostgres(volume, uniqueName('vlab-pg'), {
      'com.docker.compose.project': 'workspace',
      'com.docker.compose.project.config_files': composeFile,
    });
    const container = await containerName(db);
    await sql(db, "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('before');");
    const dump = await vscode.commands.executeCommand<{ file: string }>(COMMANDS.backupVolume, {
      volume,
      consistency: 'dump',
      keep: {},
    });
    assert.ok(dump, shownErrors(api).at(-1));
    await sql(db, "UPDATE notes SET body = 'after'");

    const declined = answeringWarnings(() => undefined);
    try {
      // `confirm` (scripted use) skips the question only for a dump of the target's own image no compose file chose.
      assert.equal(
        await vscode.commands.executeCommand(COMMANDS.restoreBackup, dump.file, { container, confirm: true }),
        undefined,
      );
    } finally {
      declined.restore();
    }
    const [q] = declined.questions;
    assert.equal(q?.message, `Replay ${path.basename(dump.file)} into ${container}?`);
    assert.match(
      q?.detail ?? '',
      new RegExp(`It was dumped from the container ${container}, image ${POSTGRES_IMAGE} \\(`),
    );
    assert.ok(q?.detail?.includes(`Its image was chosen by the compose file ${composeFile}`), q?.detail);
    assert.equal(await sql(db, 'SELECT body FROM notes'), 'after', 'nothing replayed on No');
  });
});
