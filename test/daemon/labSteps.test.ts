// A learner who types a step's lines completes the step: every line a lab button stands for is run with the
// real docker CLI, the facts are built from the daemon as the extension builds them, and the step's
// predicate must be false before and true after. Then each run / volume button is compared with its line.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseBackupFileName } from '../../src/core/backups';
import { shellQuote } from '../../src/core/cli';
import { labCliLines, labRunDescription, moduleVolumeNames, type LabCliInputs } from '../../src/core/labCli';
import { advanceSteps, labContainerNames, LAB_MODULES } from '../../src/core/labModules';
import { stepKey, type LabAction, type LabFilesId, type LabRunAction } from '../../src/core/labs';
import { LABELS } from '../../src/core/labels';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { LabFactsReader } from '../../src/flows/labFacts';
import { cliCompletionCases, mayFail, NOT_ON_DAEMON, notTyped, stepLines } from '../support/labCliCases';
import { POSTGRES_IMAGE, TEST_IMAGE, TEST_LABEL, testDocker } from '../support/docker';

const root = path.resolve(__dirname, '../../..');
const client = new DockerodeClient({
  endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
  timeoutMs: 30_000,
});
const docker = testDocker();
const DOCKER_CLI = process.env.VOLUMES_LAB_DOCKER_CLI || '/usr/bin/docker';

/** `sh -c line` with Debian's docker CLI first on PATH and the test daemon's DOCKER_HOST; stdin for `-it` lines. */
function sh(line: string, stdin?: string): Promise<{ code: number; output: string }> {
  const env = { ...process.env, PATH: `${path.dirname(DOCKER_CLI)}:${process.env.PATH ?? ''}` };
  // An interactive line needs a terminal: `script` gives it one, as a learner's terminal would.
  const args =
    stdin === undefined
      ? ['-c', line]
      : ['-c', `printf '%s' ${shellQuote(stdin)} | script -qec ${shellQuote(line)} /dev/null`];
  return new Promise((resolve) => {
    execFile('sh', args, { env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The secrets the shown line masks (`-e POSTGRES_PASSWORD=****`), put back so the line does what the button does. */
function unmask(line: string, action: LabAction): string {
  if (action.kind !== 'run') return line;
  return Object.entries(action.env ?? {}).reduce(
    (l, [k, v]) => l.replace(shellQuote(`${k}=****`), shellQuote(`${k}=${v}`)),
    line,
  );
}

describe('lab steps from the docker CLI', function () {
  this.timeout(900_000);
  const labRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-cli-labs-'));
  const backupFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-cli-backups-'));
  const inputs: LabCliInputs = {
    labImage: TEST_IMAGE,
    postgresImage: POSTGRES_IMAGE,
    backupFolder,
    now: new Date(),
    labFolder: (lab: LabFilesId) => path.join(labRoot, lab),
  };
  const reader = new LabFactsReader();
  const reached = new Set<string>();
  const backedUp = () => new Set(fs.readdirSync(backupFolder).flatMap((f) => parseBackupFileName(f)?.volume ?? []));
  const facts = (labImage = TEST_IMAGE) =>
    reader.read(client, { backedUp: backedUp(), labImage, observed: new Set(), reached });
  const labVolumes = [...new Set(LAB_MODULES.flatMap((m) => moduleVolumeNames(m.id))), 'lab-nfs'];

  /** Lab objects carry the course's names, not test labels: clear them by name. */
  async function removeLabObjects(): Promise<void> {
    const names = labContainerNames();
    const containers = await docker.listContainers({ all: true });
    await Promise.all(
      containers
        .filter((c) => c.Names.some((n) => names.has(n.replace(/^\//, '')) || /^\/(cli|api)-eq-/.test(n)))
        .map((c) =>
          docker
            .getContainer(c.Id)
            .remove({ force: true, v: true })
            .catch(() => undefined),
        ),
    );
    for (const v of labVolumes)
      await docker
        .getVolume(v)
        .remove({ force: true })
        .catch(() => undefined);
  }

  before(async function () {
    if (!POSTGRES_IMAGE) {
      if (process.env.VOLUMES_LAB_PRIVATE_DAEMON === '1') throw new Error('VOLUMES_LAB_POSTGRES_IMAGE is not set');
      this.skip();
    }
    assert.ok(fs.existsSync(DOCKER_CLI), `the docker CLI (${DOCKER_CLI}) is needed: apt-get install docker.io`);
    fs.cpSync(path.join(root, 'labs'), labRoot, { recursive: true });
    await removeLabObjects();
  });
  after(async () => {
    await removeLabObjects();
    fs.rmSync(labRoot, { recursive: true, force: true });
    fs.rmSync(backupFolder, { recursive: true, force: true });
  });

  const cases = new Set(cliCompletionCases(inputs).map((s) => s.id));
  let completed = 0;
  for (const module of LAB_MODULES) {
    it(`${module.id}: each step completes from its lines alone`, async () => {
      for (const { step, id, actions } of stepLines(inputs).filter((s) => s.module === module)) {
        const key = stepKey(module.id, step.id);
        const checked = cases.has(id);
        if (step.id === 'pullImage') {
          // Offline: the image cannot be pulled; the predicate is about the image being here.
          assert.equal(advanceSteps(await facts('volumes-lab/absent:1')).values.get(key), false);
          assert.equal(advanceSteps(await facts()).values.get(key), true, `${id}: ${TEST_IMAGE} is local`);
          completed++;
          continue;
        }
        if (checked)
          assert.equal(advanceSteps(await facts()).values.get(key), false, `${id} is not done before its lines ran`);
        for (const { ref, action, lines } of actions) {
          if (notTyped(action)) continue;
          for (const line of lines.map((l) => unmask(l, action))) {
            const interactive = action.kind === 'shell' ? 'exit\n' : undefined;
            // A learner retries an exec while the database starts; the button does the same.
            let result = await sh(line, interactive);
            for (let i = 0; action.kind === 'exec' && result.code !== 0 && !mayFail(ref, action) && i < 60; i++) {
              await new Promise((resolve) => setTimeout(resolve, 1000));
              result = await sh(line);
            }
            if (!mayFail(ref, action)) assert.equal(result.code, 0, `${ref}: ${line}\n${result.output}`);
          }
          // Daemon events make the extension read the facts between two commands: milestones are seen there.
          advanceSteps(await facts());
        }
        if (checked) {
          await eventually(
            async () => (advanceSteps(await facts()).values.get(key) ? true : undefined),
            `${id} done after its lines`,
          );
          completed++;
        } else {
          advanceSteps(await facts()); // marks of the step (what later steps build on)
        }
      }
    });
  }

  it('completed every step that has lines, except those the daemon cannot show', () => {
    assert.equal(completed, cases.size, `${completed} of ${cases.size}`);
    console.log(
      `      lab steps completed from the CLI: ${completed}/${cases.size} (not on the daemon: ${Object.keys(NOT_ON_DAEMON).length})`,
    );
  });

  // --- The button's request and the line it shows make the same container or volume --------------------------

  const runActions = LAB_MODULES.flatMap((m) =>
    m.steps.flatMap((s) =>
      Object.entries(s.actions).map(([a, action]) => ({ ref: `${m.id}.${s.id}.${a}`, module: m.id, action })),
    ),
  ).filter(
    (a): a is { ref: string; module: string; action: LabRunAction | Extract<LabAction, { kind: 'createVolume' }> } =>
      a.action.kind === 'run' || a.action.kind === 'createVolume',
  );
  let equivalent = 0;

  it('makes the same thing through the Engine API as its CLI line, for every run and volume button', async () => {
    await removeLabObjects();
    for (const { ref, module, action } of runActions) {
      if (action.kind === 'createVolume') {
        const [line] = labCliLines({ ...action, volume: 'cli-eq-volume' }, inputs);
        assert.equal((await sh(line!)).code, 0, line);
        await client.createVolume({
          name: 'api-eq-volume',
          ...(action.driver ? { driver: action.driver } : {}),
          ...(action.driverOpts ? { driverOpts: action.driverOpts } : {}),
          labels: { [LABELS.module]: module },
        });
        const [cli, api] = await Promise.all(
          ['cli-eq-volume', 'api-eq-volume'].map((v) => docker.getVolume(v).inspect()),
        );
        assert.deepEqual(
          { driver: api!.Driver, options: api!.Options ?? {} },
          { driver: cli!.Driver, options: cli!.Options ?? {} },
          ref,
        );
        await Promise.all(['cli-eq-volume', 'api-eq-volume'].map((v) => docker.getVolume(v).remove()));
        equivalent++;
        continue;
      }
      await prepare(action);
      const cliName = `cli-eq-${action.name}`;
      const apiName = `api-eq-${action.name}`;
      const [line] = labCliLines({ ...action, name: cliName }, inputs);
      const ran = await sh(unmask(line!, action));
      assert.equal(ran.code, 0, `${ref}: ${line}\n${ran.output}`);
      // The button's path: the same description, as the Run commands hand it to the Engine.
      const description = labRunDescription({ ...action, name: apiName }, inputs);
      await client.runContainer({ ...description, labels: { [LABELS.module]: module, [TEST_LABEL]: '1' } });
      const [cli, api] = await Promise.all([cliName, apiName].map((n) => inspected(n)));
      assert.deepEqual(api, cli, `${ref}: the button and\n  ${line}\ndiffer`);
      equivalent++;
      await Promise.all([cliName, apiName].map((n) => docker.getContainer(n).remove({ force: true, v: true })));
    }
    console.log(`      cli-equivalence (labs): ${equivalent}/${runActions.length} actions`);
    assert.equal(equivalent, runActions.length);
  });

  /** What a run action refers to: the container it takes volumes from. */
  async function prepare(action: LabRunAction): Promise<void> {
    for (const from of action.volumesFrom ?? []) {
      const source = runActions
        .map((r) => r.action)
        .find((a): a is LabRunAction => a.kind === 'run' && a.name === from);
      assert.ok(source, `${from} is made by a button`);
      const exists = await docker
        .getContainer(from)
        .inspect()
        .then(
          () => true,
          () => false,
        );
      if (!exists) await client.runContainer({ ...labRunDescription(source, inputs), labels: { [TEST_LABEL]: '1' } });
    }
  }
});

/** What `docker inspect` says about the parts a learner compares, with names and ids taken out. */
async function inspected(name: string): Promise<unknown> {
  const { code, output } = await sh(`docker inspect ${shellQuote(name)}`);
  assert.equal(code, 0, output);
  const raw = JSON.parse(output) as InspectJson[];
  const c = raw[0]!;
  const mounts = (c.Mounts ?? []).map((m) => ({
    type: m.Type,
    destination: m.Destination,
    rw: m.RW,
    propagation: m.Propagation ?? '',
    source: m.Type === 'volume' ? (/^[0-9a-f]{64}$/.test(m.Name ?? '') ? '(anonymous)' : m.Name) : m.Source,
  }));
  const tmpfs = [
    ...Object.entries(c.HostConfig.Tmpfs ?? {}).map(([destination, options]) => ({
      destination,
      size: tmpfsBytes(options),
    })),
    ...(c.HostConfig.Mounts ?? [])
      .filter((m) => m.Type === 'tmpfs')
      .map((m) => ({ destination: m.Target, size: m.TmpfsOptions?.SizeBytes ?? 0 })),
  ];
  return {
    image: c.Config.Image,
    cmd: c.Config.Cmd,
    env: [...(c.Config.Env ?? [])].sort(),
    workingDir: c.Config.WorkingDir,
    mounts: mounts.filter((m) => m.type !== 'tmpfs').sort((a, b) => a.destination.localeCompare(b.destination)),
    tmpfs: tmpfs.sort((a, b) => a.destination.localeCompare(b.destination)),
    volumesFrom: c.HostConfig.VolumesFrom ?? [],
    started: c.State.StartedAt !== '0001-01-01T00:00:00Z',
  };
}

function tmpfsBytes(options: string): number {
  const size = /(?:^|,)size=(\d+)([kmg]?)/.exec(options);
  return size
    ? Number(size[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[size[2]!]!
    : 0;
}

interface InspectJson {
  Config: { Image: string; Cmd: string[] | null; Env: string[] | null; WorkingDir: string };
  State: { StartedAt: string };
  Mounts:
    { Type: string; Name?: string; Source: string; Destination: string; RW: boolean; Propagation?: string }[] | null;
  HostConfig: {
    Tmpfs?: Record<string, string> | null;
    Mounts?: { Type: string; Target: string; TmpfsOptions?: { SizeBytes?: number } }[] | null;
    VolumesFrom: string[] | null;
  };
}
