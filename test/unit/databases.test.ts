import * as assert from 'node:assert/strict';
import { dumpLine, restoreDumpLine } from '../../src/core/cliActions';
import { databasePlan, detectDatabase, dumpTargets, restoreErrors } from '../../src/core/databases';
import { backupFileName, isDumpFile, parseBackupFileName } from '../../src/core/backups';

describe('core/databases', () => {
  it('recognises database images by name, whatever the registry, tag or digest', () => {
    const cases: [string, string | undefined][] = [
      ['postgres', 'postgres'],
      ['postgres:16-alpine', 'postgres'],
      ['docker.io/library/postgres:15', 'postgres'],
      ['postgis/postgis:16-3.4', 'postgres'],
      ['bitnami/postgresql:16', 'postgres'],
      ['timescale/timescaledb:latest-pg16', 'postgres'],
      ['mysql:8.4', 'mysql'],
      ['percona:8', 'mysql'],
      ['mariadb:11', 'mariadb'],
      ['registry:5000/mariadb@sha256:abc', 'mariadb'],
      ['redis:7', undefined],
      ['my-postgres-exporter', undefined],
      ['nginx', undefined],
      ['volumes-lab/postgres:test', 'postgres'],
    ];
    for (const [image, engine] of cases) assert.equal(detectDatabase(image), engine, image);
  });

  it('dumps PostgreSQL as POSTGRES_USER with --clean, and shows the course-style CLI', () => {
    const plan = databasePlan('postgres', ['POSTGRES_USER=shop', 'POSTGRES_PASSWORD=secret'], 'db');
    assert.deepEqual(plan.dump.command, ['pg_dumpall', '-U', 'shop', '--clean', '--if-exists']);
    assert.deepEqual(plan.restore.command.slice(0, 5), ['psql', '-U', 'shop', '-d', 'postgres']);
    assert.equal(
      dumpLine(plan, '/backups/my dump.sql.gz', {}),
      "docker exec db pg_dumpall -U shop --clean --if-exists | gzip > '/backups/my dump.sql.gz'",
    );
    assert.equal(
      restoreDumpLine(plan, '/b/x.sql.gz', { hostFlag: 'tcp://h:2375' }),
      'gunzip -c /b/x.sql.gz | docker -H tcp://h:2375 exec -i db psql -U shop -d postgres -q -v ON_ERROR_STOP=0',
    );
    assert.equal(plan.needsPassword, false);
    assert.deepEqual(databasePlan('postgres', [], 'db').dump.command.slice(0, 3), ['pg_dumpall', '-U', 'postgres']);
  });

  it('passes MySQL passwords through the environment, never the command line, and asks when unknown', () => {
    const plan = databasePlan('mysql', ['MYSQL_ROOT_PASSWORD=s3cret'], 'db');
    assert.deepEqual(plan.dump.env, ['MYSQL_PWD=s3cret']);
    assert.ok(!plan.dump.command.join(' ').includes('s3cret'));
    assert.ok(!dumpLine(plan, 'd.sql.gz', {}).includes('s3cret'));
    assert.ok(plan.dump.command.includes('--all-databases'));
    assert.equal(databasePlan('mariadb', ['MARIADB_RANDOM_ROOT_PASSWORD=1'], 'db').needsPassword, true);
    assert.equal(databasePlan('mariadb', ['MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=yes'], 'db').needsPassword, false);
    assert.deepEqual(databasePlan('mariadb', [], 'db', 'typed').restore.env, ['MYSQL_PWD=typed']);
    // MariaDB 11 has mariadb-dump only; the command prefers it and falls back to mysqldump.
    assert.match(databasePlan('mariadb', [], 'db', 'x').dump.command[2] ?? '', /mariadb-dump .* mysqldump/);
  });

  it("picks error lines out of a client's stderr", () => {
    assert.deepEqual(
      restoreErrors(
        'psql:<stdin>:12: ERROR:  role "x" already exists\nNOTICE: fine\nERROR 1049 (42000): Unknown database\n',
      ),
      ['psql:<stdin>:12: ERROR:  role "x" already exists', 'ERROR 1049 (42000): Unknown database'],
    );
    assert.deepEqual(restoreErrors(''), []);
  });

  it('names dumps like archives, with .sql.gz', () => {
    const date = new Date(2026, 10, 25, 9, 5, 7);
    assert.equal(backupFileName('pg_data', date, 'dump'), 'pg_data_20261125_090507.sql.gz');
    assert.deepEqual(parseBackupFileName('pg_data_20261125_090507.sql.gz'), { volume: 'pg_data', date, kind: 'dump' });
    assert.ok(isDumpFile('/x/a_20261125_090507.sql.gz'));
    assert.ok(!isDumpFile('/x/a_20261125_090507.tar.gz'));
  });

  it('offers a dump to the servers of engines that take it, the one it was dumped from first', () => {
    const db = (name: string, engine: 'postgres' | 'mysql' | 'mariadb', volume: string) => ({
      container: { name },
      engine,
      volume,
    });
    const running = [db('pg', 'postgres', 'pg_data'), db('my', 'mysql', 'my_data'), db('maria', 'mariadb', 'm_data')];
    const names = (manifest?: Parameters<typeof dumpTargets>[1]) =>
      dumpTargets(running, manifest).map((d) => d.container.name);
    assert.deepEqual(names(), ['pg', 'my', 'maria'], 'no manifest: any, in the order found');
    assert.deepEqual(names({ volume: 'x', database: { engine: 'postgres', container: 'old' } }), ['pg']);
    assert.deepEqual(
      names({ volume: 'x', database: { engine: 'mariadb', container: 'my' } }),
      ['my', 'maria'],
      "MySQL and MariaDB take each other's dumps; the container it came from first",
    );
    assert.deepEqual(names({ volume: 'm_data', database: { engine: 'mysql', container: 'gone' } }), ['maria', 'my']);
    assert.deepEqual(names({ volume: 'm_data' }), ['maria', 'pg', 'my'], 'a manifest without database: any engine');
  });
});
