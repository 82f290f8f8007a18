import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { backupFileName, manifestFileName, type BackupManifest } from '../../src/core/backups';
import { shellQuote } from '../../src/core/cli';
import { dumpLine, restoreDumpLine } from '../../src/core/cliActions';
import { databasePlan, detectDatabase } from '../../src/core/databases';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { dumpDatabase, restoreDump, verifyDump } from '../../src/docker/dump';
import { parseDockerHost } from '../../src/docker/endpoint';
import { DockerError } from '../../src/docker/errors';
import { dumpFlow } from '../../src/flows/backup';
import { runningDatabases } from '../../src/flows/backupFiles';
import { restoreDumpFlow } from '../../src/flows/restore';
import { scheduledBackupFlow } from '../../src/flows/scheduledBackup';
import { assertShellSyntax, recordingFlowDeps } from '../support/flowDeps';
import {
  cleanupTestObjects,
  MARIADB_IMAGE,
  mariadbSql,
  POSTGRES_IMAGE,
  sql,
  startMariadb,
  startPostgres,
  TEST_LABEL,
  testDocker,
  uniqueName,
} from '../support/docker';

const client = new DockerodeClient({
  endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
  timeoutMs: 60_000,
});
const isCancelled = (err: unknown) => err instanceof DockerError && err.kind === 'cancelled';

/**
 * A suite that needs a database image: on our CI the image is always built (a missing one fails), elsewhere
 * a user may not have Debian's packages (skipped). Each test gets a fresh folder and a clean daemon after.
 */
function withDatabaseImage(image: string, variable: string, folder: { dir: string }): void {
  before(function () {
    if (!image) {
      if (process.env.VOLUMES_LAB_PRIVATE_DAEMON === '1')
        throw new Error(`${variable} is not set: scripts/start-dockerd.sh should have built it`);
      this.skip();
    }
  });
  beforeEach(() => {
    folder.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-dump-'));
  });
  afterEach(async () => {
    fs.rmSync(folder.dir, { recursive: true, force: true });
    await cleanupTestObjects();
  });
}

describe('database dumps through exec (real PostgreSQL)', function () {
  this.timeout(120_000);
  const folder = { dir: '' };
  withDatabaseImage(POSTGRES_IMAGE, 'VOLUMES_LAB_POSTGRES_IMAGE', folder);

  async function pgWithData(): Promise<{ container: Awaited<ReturnType<typeof startPostgres>>; volume: string }> {
    const volume = uniqueName('vlab-pgdata');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const container = await startPostgres(volume);
    await sql(
      container,
      "CREATE TABLE orders (id int primary key, item text); INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 5000) g;",
    );
    return { container, volume };
  }

  it('dumps with pg_dumpall to a .sql.gz and restores it into another server', async () => {
    const { container } = await pgWithData();
    const info = await client.inspectContainer(container.id);
    assert.equal(detectDatabase(info.image), 'postgres');
    const plan = databasePlan('postgres', info.env, info.name);
    const file = path.join(folder.dir, 'shop.sql.gz');
    let reported = 0;
    const result = await dumpDatabase(client, container.id, plan.dump, file, {
      onBytes: (b) => {
        reported = b;
      },
    });
    const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
    assert.match(text, /CREATE DATABASE shop/);
    assert.match(text, /COPY public\.orders/);
    assert.equal(result.sqlBytes, Buffer.byteLength(text));
    assert.equal(reported, result.sqlBytes);
    assert.equal((await verifyDump(file, result.sha256)).sqlBytes, result.sqlBytes);
    assert.deepEqual(fs.readdirSync(folder.dir), ['shop.sql.gz'], 'no temporary file left');

    // A fresh server on a new volume gets the data back.
    const other = uniqueName('vlab-pgdata');
    await testDocker().createVolume({ Name: other, Labels: { [TEST_LABEL]: '1' } });
    const second = await startPostgres(other);
    await sql(second, 'DROP DATABASE shop', 'postgres');
    const restored = await restoreDump(client, second.id, plan.restore, file, { expectedSha256: result.sha256 });
    assert.equal(restored.sqlBytes, result.sqlBytes);
    assert.equal(await sql(second, 'SELECT count(*), max(item) FROM orders'), '5000|item 999');

    // Restoring over the same server replaces the databases (--clean): no doubled rows.
    await sql(container, 'DELETE FROM orders WHERE id > 10');
    await restoreDump(client, container.id, plan.restore, file);
    assert.equal(await sql(container, 'SELECT count(*) FROM orders'), '5000');
  });

  it('refuses a damaged or mismatched dump before the database sees it', async () => {
    const { container } = await pgWithData();
    const info = await client.inspectContainer(container.id);
    const plan = databasePlan('postgres', info.env, info.name);
    const file = path.join(folder.dir, 'shop.sql.gz');
    const { sha256 } = await dumpDatabase(client, container.id, plan.dump, file);
    const whole = fs.readFileSync(file);
    const truncated = path.join(folder.dir, 'truncated.sql.gz');
    fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    await sql(container, 'DELETE FROM orders WHERE id > 100');
    await assert.rejects(
      restoreDump(client, container.id, plan.restore, truncated),
      (err: DockerError) => err.kind === 'invalid' && /damaged/.test(err.message),
    );
    await assert.rejects(
      restoreDump(client, container.id, plan.restore, file, {
        expectedSha256: sha256.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      }),
      /checksum/,
    );
    assert.equal(await sql(container, 'SELECT count(*) FROM orders'), '100', 'the database is untouched');
  });

  it('replays the bytes it checked: a dump swapped for another file after the check is not read', async () => {
    const { container } = await pgWithData();
    const info = await client.inspectContainer(container.id);
    const plan = databasePlan('postgres', info.env, info.name);
    const file = path.join(folder.dir, 'shop.sql.gz');
    const { sha256 } = await dumpDatabase(client, container.id, plan.dump, file);
    await sql(container, 'DELETE FROM orders WHERE id > 100');
    const swapped = path.join(folder.dir, 'swapped.sql.gz');
    fs.writeFileSync(swapped, zlib.gzipSync('CREATE DATABASE swapped_in;\n'));
    let swaps = 0;
    await restoreDump(client, container.id, plan.restore, file, {
      expectedSha256: sha256,
      afterCheck: () => {
        // Another process replaces the file between the check and the replay, as a rename over it would.
        fs.renameSync(swapped, file);
        swaps++;
      },
    });
    assert.equal(swaps, 1, 'the file was swapped after the check');
    assert.equal(
      await sql(container, "SELECT count(*) FROM pg_database WHERE datname = 'swapped_in'", 'postgres'),
      '0',
      'the swapped-in SQL never reached the database',
    );
    assert.equal(await sql(container, 'SELECT count(*) FROM orders'), '5000', 'the checked dump was replayed');
  });

  it('a failing dump tool leaves no file and says why', async () => {
    const { container } = await pgWithData();
    const file = path.join(folder.dir, 'bad.sql.gz');
    await assert.rejects(
      dumpDatabase(client, container.id, { command: ['pg_dumpall', '-U', 'nobody-here'], env: [] }, file),
      (err: DockerError) =>
        err.kind === 'invalid' && /exit code 1/.test(err.message) && /nobody-here/.test(err.message),
    );
    assert.deepEqual(fs.readdirSync(folder.dir), []);
  });

  /** Two older dumps of `volume` in the folder, with their manifests: what retention may delete. */
  function olderDumps(volume: string): string[] {
    return [3, 2].map((days) => {
      const file = path.join(folder.dir, backupFileName(volume, new Date(Date.now() - days * 86_400_000), 'dump'));
      fs.writeFileSync(file, zlib.gzipSync('-- an older dump\n'));
      fs.writeFileSync(manifestFileName(file), '{}');
      return file;
    });
  }

  it('dumps through the flow: a checked .sql.gz and its manifest, recorded, retention applied, a line the CLI runs', async () => {
    const { container, volume } = await pgWithData();
    const old = olderDumps(volume);
    const { deps, cli, remembered } = recordingFlowDeps(client);
    const [target] = await runningDatabases(deps, volume);
    assert.equal(target?.container.id, container.id, 'the database using the volume is found');
    const details = await client.inspectContainer(container.id);
    const plan = databasePlan('postgres', details.env, details.name);
    const result = await dumpFlow(deps, { target, plan, details, folder: folder.dir, level: 1, keep: { count: 2 } });

    assert.equal(path.dirname(result.file), folder.dir);
    assert.match(path.basename(result.file), new RegExp(`^${volume}_\\d{8}_\\d{6}\\.sql\\.gz$`));
    assert.deepEqual(result.deleted, [old[0]], 'the oldest dump goes, the one just written stays');
    assert.deepEqual(
      fs.readdirSync(folder.dir).sort(),
      [old[1]!, result.file].flatMap((f) => [path.basename(f), path.basename(manifestFileName(f))]).sort(),
    );
    const onDisk = JSON.parse(fs.readFileSync(manifestFileName(result.file), 'utf8')) as BackupManifest;
    assert.deepEqual(onDisk, result.manifest);
    assert.equal(onDisk.kind, 'dump');
    assert.equal(onDisk.volume, volume);
    assert.deepEqual(onDisk.database, {
      engine: 'postgres',
      product: plan.product,
      image: details.image,
      container: details.name,
    });
    assert.deepEqual(onDisk.labels, { [TEST_LABEL]: '1' }, "the volume's labels, as the daemon describes it");
    const checked = await verifyDump(result.file, onDisk.sha256);
    assert.equal(checked.sqlBytes, onDisk.bytes);
    assert.deepEqual(
      remembered.map((r) => r.sha256),
      [onDisk.sha256],
      'the dump is recorded as written here',
    );

    assert.deepEqual(cli, [dumpLine(plan, result.file, deps.daemon.cliTarget)]);
    // The line shown does the same dump when pasted into a shell.
    const byHand = path.join(folder.dir, 'by hand.sql.gz');
    execFileSync('bash', ['-c', cli[0]!.replace(shellQuote(result.file), shellQuote(byHand))]);
    assert.match(zlib.gunzipSync(fs.readFileSync(byHand)).toString('utf8'), /COPY public\.orders/);
  });

  it('restores through the flow the bytes its manifest names, and refuses a changed file with the database untouched', async () => {
    const { container, volume } = await pgWithData();
    const { deps, cli, warnings } = recordingFlowDeps(client);
    const [target] = await runningDatabases(deps, volume);
    const details = await client.inspectContainer(container.id);
    const plan = databasePlan('postgres', details.env, details.name);
    const { file, manifest } = await dumpFlow(deps, {
      target: target!,
      plan,
      details,
      folder: folder.dir,
      level: 1,
      keep: {},
    });
    await sql(container, 'DELETE FROM orders WHERE id > 10');
    cli.length = 0;
    const restored = await restoreDumpFlow(deps, { file, manifest, details, plan });
    // pg_dumpall --clean replays over the server's own role: those statements fail, harmlessly, and are said.
    assert.deepEqual(
      warnings,
      restored.errors.map((line) => `restore ${path.basename(file)}: ${line}`),
    );
    assert.ok(
      restored.errors.every((line) => !/orders|shop/.test(line)),
      restored.errors.join('\n'),
    );
    assert.equal(restored.sqlBytes, manifest.bytes);
    assert.equal(await sql(container, 'SELECT count(*) FROM orders'), '5000');
    assert.deepEqual(cli, [restoreDumpLine(plan, file, deps.daemon.cliTarget)]);
    assertShellSyntax(cli[0]!);

    await sql(container, 'DELETE FROM orders WHERE id > 10');
    fs.writeFileSync(file, zlib.gzipSync('DROP DATABASE shop;\n'));
    await assert.rejects(
      restoreDumpFlow(deps, { file, manifest, details, plan }),
      (err: unknown) => err instanceof DockerError && err.kind === 'invalid' && /checksum/.test(err.message),
    );
    assert.equal(await sql(container, 'SELECT count(*) FROM orders'), '10', 'the database is untouched');
  });

  it('a cancelled dump or restore through the flow leaves no file, deletes no older dump, and touches no data', async () => {
    const { container, volume } = await pgWithData();
    const old = olderDumps(volume);
    const { deps } = recordingFlowDeps(client);
    const [target] = await runningDatabases(deps, volume);
    const details = await client.inspectContainer(container.id);
    const plan = databasePlan('postgres', details.env, details.name);
    const request = { target: target!, plan, details, folder: folder.dir, level: 1, keep: { count: 1 } };
    await assert.rejects(dumpFlow(deps, { ...request, signal: AbortSignal.abort() }), isCancelled);
    const olderOnly = old.flatMap((f) => [path.basename(f), path.basename(manifestFileName(f))]).sort();
    assert.deepEqual(fs.readdirSync(folder.dir).sort(), olderOnly, 'nothing left when the flow returns');
    // Nor a moment later: a file the writer opened lazily would appear only now.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(fs.readdirSync(folder.dir).sort(), olderOnly, 'nothing written after the flow returned');

    const { file, manifest } = await dumpFlow(deps, { ...request, keep: {} });
    await sql(container, 'DELETE FROM orders WHERE id > 10');
    await assert.rejects(
      restoreDumpFlow(deps, { file, manifest, details, plan, signal: AbortSignal.abort() }),
      isCancelled,
    );
    assert.equal(await sql(container, 'SELECT count(*) FROM orders'), '10', 'nothing replayed');
  });

  it('a scheduled dump takes the database using the volume; with none running it says so and writes nothing', async () => {
    const { volume } = await pgWithData();
    const { deps, cli } = recordingFlowDeps(client);
    const request = {
      volume,
      folder: folder.dir,
      consistency: 'dump' as const,
      level: 1,
      keep: {},
      helper: { image: 'unused' },
    };
    const { file, manifest } = await scheduledBackupFlow(deps, request);
    assert.equal(manifest.kind, 'dump');
    assert.equal(manifest.volume, volume);
    assert.ok(fs.existsSync(file) && fs.existsSync(manifestFileName(file)));
    assert.equal(cli.length, 1);
    assert.match(cli[0]!, /pg_dumpall/);

    const idle = uniqueName('vlab-idle');
    await testDocker().createVolume({ Name: idle, Labels: { [TEST_LABEL]: '1' } });
    const other = fs.mkdtempSync(path.join(folder.dir, 'idle-'));
    await assert.rejects(
      scheduledBackupFlow(deps, { ...request, volume: idle, folder: other }),
      (err: unknown) =>
        err instanceof DockerError && err.kind === 'notFound' && /start its container first/.test(err.message),
    );
    assert.deepEqual(fs.readdirSync(other), []);
  });
});

describe('database dumps through exec (real MariaDB)', function () {
  this.timeout(120_000);
  const folder = { dir: '' };
  withDatabaseImage(MARIADB_IMAGE, 'VOLUMES_LAB_MARIADB_IMAGE', folder);

  it('dumps with mariadb-dump --all-databases to a .sql.gz and restores it into another server, replacing what was there', async () => {
    const volume = uniqueName('vlab-mdbdata');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const db = await startMariadb(volume);
    await mariadbSql(
      db,
      'CREATE DATABASE shop; CREATE TABLE shop.orders (id int primary key, item text); INSERT INTO shop.orders VALUES (1, "tea"), (2, "bread");',
    );
    const info = await client.inspectContainer(db.id);
    assert.equal(detectDatabase(info.image), 'mariadb');
    const plan = databasePlan('mariadb', info.env, info.name);
    assert.equal(plan.needsPassword, false, 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: no password to ask');
    const file = path.join(folder.dir, 'shop.sql.gz');
    const result = await dumpDatabase(client, db.id, plan.dump, file);
    const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
    assert.match(text, /CREATE DATABASE .*`shop`/);
    assert.match(text, /INSERT INTO `orders` VALUES\s*\(1,'tea'\),\s*\(2,'bread'\)/);

    const other = uniqueName('vlab-mdbdata');
    await testDocker().createVolume({ Name: other, Labels: { [TEST_LABEL]: '1' } });
    const second = await startMariadb(other);
    await mariadbSql(
      second,
      'CREATE DATABASE shop; CREATE TABLE shop.orders (id int primary key, item text); INSERT INTO shop.orders VALUES (9, "stale");',
    );
    const restored = await restoreDump(client, second.id, plan.restore, file, { expectedSha256: result.sha256 });
    assert.deepEqual(restored.errors, []);
    assert.equal(await mariadbSql(second, 'SELECT group_concat(item ORDER BY id) FROM shop.orders'), 'tea,bread');
  });
});
