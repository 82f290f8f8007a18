import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { labCliLines, labRunDescription, type LabCliInputs } from '../../src/core/labCli';
import { findAction, LAB_MODULES } from '../../src/core/labModules';
import type { LabRunAction } from '../../src/core/labs';
import { cliCompletionCases, NOT_ON_DAEMON, stepLines } from '../support/labCliCases';

const root = path.resolve(__dirname, '../../..');
const inputs: LabCliInputs = {
  labImage: 'alpine',
  postgresImage: 'postgres:13',
  labFolder: (lab) => `/work/my labs/${lab}`,
  backupFolder: '/backups',
  now: new Date(2026, 10, 30, 8, 5, 9),
};
const line = (ref: string) => labCliLines(findAction(ref)!.action, inputs, ref.split('.')[0]);

describe('core/labCli', () => {
  it('shows the sharing step as the course teaches it: a container only created, a reader with --volumes-from', () => {
    assert.deepEqual(line('dataManagement.sharing.dataContainer'), [
      'docker create --name data-container -v /data alpine sh',
    ]);
    assert.deepEqual(line('dataManagement.sharing.volumesFrom'), [
      'docker run -d --name data-reader-2 --volumes-from data-container alpine ls /data',
    ]);
  });

  it('hands the Engine every field of a run button: volumes-from, start, env, image, command', () => {
    const reader = labRunDescription(findAction('dataManagement.sharing.volumesFrom')!.action as LabRunAction, inputs);
    assert.deepEqual(reader.volumesFrom, ['data-container']);
    const data = labRunDescription(findAction('dataManagement.sharing.dataContainer')!.action as LabRunAction, inputs);
    assert.equal(data.start, false);
    const db = labRunDescription(findAction('volumesBasics.flaskPostgres.db')!.action as LabRunAction, inputs);
    assert.equal(db.image, 'postgres:13');
    assert.equal(db.env?.POSTGRES_PASSWORD, 'secret123', 'the Engine gets the password; only the shown line masks it');
    assert.match(line('volumesBasics.flaskPostgres.db')[0]!, /-e 'POSTGRES_PASSWORD=\*\*\*\*'/);
  });

  it('quotes lab folders with spaces, and gives tmpfs sizes and read-only mounts in the short syntax', () => {
    assert.deepEqual(line('volumesBasics.bindMount.run'), [
      "docker run -d --name flask-app -v '/work/my labs/flask:/app' alpine sh -c 'while true; do grep return /app/app.py; sleep 3; done'",
    ]);
    assert.match(line('dataManagement.performance.redis')[0]!, /--tmpfs \/tmp:size=100m alpine sleep 3600$/);
    assert.match(line('sidecarLab.startReader.run')[0]!, / -v shared-logs:\/logs:ro /);
  });

  it('gives -H when the endpoint came from the setting', () => {
    const remote = { ...inputs, target: { hostFlag: 'ssh://me@host' } };
    assert.match(
      labCliLines(findAction('sidecarLab.startWriter.run')!.action, remote)[0]!,
      /^docker -H ssh:\/\/me@host run -d /,
    );
    assert.deepEqual(labCliLines(findAction('sidecarLab.createVolume.create')!.action, remote), [
      'docker -H ssh://me@host volume create shared-logs',
    ]);
  });

  it('backs up into a file the backup list recognises, and restores it', () => {
    assert.deepEqual(line('dataManagement.backup.backup'), [
      'docker run --rm -v mon-volume:/data:ro -v /backups:/backup alpine tar czf /backup/mon-volume_20261130_080509.tar.gz -C /data .',
    ]);
    assert.deepEqual(line('dataManagement.restore.restore'), [
      'docker run --rm -v mon-volume-restaure:/data -v /backups:/backup alpine tar xzf /backup/mon-volume_20261130_080509.tar.gz -C /data',
    ]);
  });

  it('dumps a lab database as the user its button gave it', () => {
    assert.deepEqual(line('dataManagement.restore.dump'), [
      'docker exec ma-postgres-2 pg_dumpall -U postgres --clean --if-exists | gzip > dump.sql.gz',
    ]);
    assert.match(labCliLines({ kind: 'dump', container: 'db' }, inputs)[0]!, /pg_dumpall -U myuser /);
  });

  it('resets a module by the names of what its buttons make', () => {
    const [containers, volumes] = line('sidecarLab.cleanUp.reset');
    assert.equal(containers, 'docker rm -f -v app-server log-shipper db-anonymous db-named');
    assert.equal(volumes, 'docker volume rm shared-logs postgres-prod');
  });
});

describe('lab steps from the CLI (which steps)', () => {
  it('has a CLI-completion case for every step with a predicate, or says why the daemon cannot show it', () => {
    const cases = new Set(cliCompletionCases(inputs).map((s) => s.id));
    const missing = stepLines(inputs)
      .filter((s) => s.step.done && !cases.has(s.id) && !NOT_ON_DAEMON[s.id])
      .map((s) => s.id);
    assert.deepEqual(missing, [], 'steps checked on the daemon whose completion no CLI line reaches');
    assert.ok(cases.size >= 30, `${cases.size} cases`);
    // The exceptions are real steps, each with a predicate, and the README names them with their reason.
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const id of Object.keys(NOT_ON_DAEMON)) {
      const [moduleId, stepId] = id.split('.');
      assert.ok(
        LAB_MODULES.find((m) => m.id === moduleId)?.steps.find((s) => s.id === stepId)?.done,
        `${id} is a step with a predicate`,
      );
      assert.ok(readme.includes(`\`${id}\``), `README lists ${id}`);
    }
  });

  it('gives a line for every step button that runs a Docker command', () => {
    for (const s of stepLines(inputs)) {
      for (const a of s.actions) {
        const docker = !['labFiles', 'exportScript', 'command'].includes(a.action.kind);
        assert.equal(a.lines.length > 0, docker || a.ref.endsWith('.form'), a.ref);
        for (const l of a.lines) assert.match(l, /^docker /, a.ref);
      }
    }
  });
});
