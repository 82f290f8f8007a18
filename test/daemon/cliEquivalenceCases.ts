// One case per action that shows a docker line (src/core/cliActions.ts CLI_ACTIONS): do the action the way
// the extension does (its pure builders + DockerodeClient), run the exact line we show with the docker CLI
// (a fresh name substituted where names must differ, masked secrets restored), and compare the results.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { analyzeCompose } from '../../src/core/compose';
import { backupScript } from '../../src/core/backups';
import {
  cliTargetFor,
  daemonSeesLocalFolders,
  dockerCli,
  shellQuote,
  volumeMountSnippets,
  type CliTarget,
} from '../../src/core/cli';
import {
  backupLine,
  cloneLines,
  diskUsageLine,
  dumpLine,
  execLine,
  imageListLine,
  logsLine,
  pruneLines,
  removeContainerLine,
  resetLines,
  restoreDumpLine,
  restoreLines,
  startLine,
  stopLine,
  swarmStateLine,
  testVolumeLine,
  versionLine,
  volumeCreateLine,
  volumeInspectLine,
  volumeListLine,
  volumeRemoveLine,
  volumeShellLines,
  type CliActionId,
  type HelperRun,
} from '../../src/core/cliActions';
import { databasePlan } from '../../src/core/databases';
import { entryAsMountFlag } from '../../src/core/hints';
import { runCliLines, runRequest, type MountSpec, type RunDescription } from '../../src/core/mounts';
import { cifsDriverOptions, nfsDriverOptions } from '../../src/core/networkVolumes';
import { backupVolume } from '../../src/docker/backup';
import { restoreVolume } from '../../src/docker/restore';
import { copyVolumeContent } from '../../src/docker/upload';
import { dumpDatabase, restoreDump } from '../../src/docker/dump';
import { TEST_LABEL, POSTGRES_IMAGE, sql, startPostgres } from '../support/docker';
import { archiveEntries, containerFacts, Harness, SAMPLE_TREE, volumeFacts } from '../support/cliEquivalence';

export type EquivalenceCase = (h: Harness) => Promise<void>;

const OURS = { [TEST_LABEL]: '1' };
/** A long-running command that ends on SIGTERM at once (busybox sleep as PID 1 would wait for the 10 s kill). */
const STOPPABLE = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];
const helper = (h: Harness): HelperRun => ({ image: h.image, networkMode: 'none' });

/** The test daemon as our setting would name it: `-H`, and no local folder bound on its side. */
function remoteDaemon(): CliTarget {
  const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  const target = cliTargetFor({ source: 'setting', host, transport: 'unix' });
  assert.ok(!daemonSeesLocalFolders(target));
  return target;
}

/** Every occurrence of `from` (a unique generated name) replaced by `to`. */
function swap(line: string, from: string, to: string): string {
  assert.ok(line.includes(from), `${from} in ${line}`);
  return line.split(from).join(to);
}

/** A masked `key=****` argument of a shown line given its real value back, for running it. */
function unmask(line: string, masked: string, real: string): string {
  assert.ok(line.includes(shellQuote(masked)), `${masked} in ${line}`);
  return line.split(shellQuote(masked)).join(shellQuote(real));
}

/**
 * The run through the extension's path (runRequest + runContainer), then each shown line (short, long)
 * with a fresh container name: the same image, command, working dir, env, mounts, tmpfs, volumes-from,
 * network and started state.
 */
async function runEquivalence(
  h: Harness,
  description: RunDescription,
  secrets: Record<string, string> = {},
): Promise<void> {
  const api = await h.client.runContainer(runRequest(description, OURS));
  h.track('container', api.id);
  const expected = await containerFacts(h.docker, api.id);
  const lines = runCliLines(description);
  for (const [form, shown] of Object.entries(lines)) {
    for (const value of Object.values(secrets)) assert.ok(!shown.includes(value), `the ${form} line shows a secret`);
    let line = description.name ? swap(shown, description.name, h.name('cli')) : shown;
    for (const [key, value] of Object.entries(secrets)) line = unmask(line, `${key}=****`, `${key}=${value}`);
    const id = await h.created(line);
    assert.deepEqual(await containerFacts(h.docker, id), expected, `${form}: ${line}`);
  }
}

const cases: Record<CliActionId, EquivalenceCase> = {
  'run.bind': async (h) => {
    const source = path.join(h.dir, 'site été');
    fs.mkdirSync(source);
    await runEquivalence(
      h,
      {
        image: h.image,
        name: h.name('bind'),
        networkMode: 'none',
        workingDir: '/app',
        mounts: [{ type: 'bind', source, target: '/app', readOnly: true }],
        env: { GREETING: `salut l'été $HOME "x"`, DB_PASSWORD: `p@ss w$rd'` },
        command: ['sh', '-c', 'ls "$1" >/dev/null', 'sh', `arg $HOME 'q'`],
      },
      { DB_PASSWORD: `p@ss w$rd'` },
    );
  },

  'run.bind.selinux': async (h) => {
    // No SELinux here: the engine records the relabel option (`z` shared, `Z` private) and the fact compares it.
    const source = path.join(h.dir, 'selinux été');
    fs.mkdirSync(source);
    await runEquivalence(h, {
      image: h.image,
      name: h.name('selinux'),
      networkMode: 'none',
      command: ['sh'],
      start: false,
      mounts: [
        { type: 'bind', source, target: '/shared', selinux: 'z' },
        { type: 'bind', source, target: '/private', readOnly: true, selinux: 'Z' },
      ],
    });
    const { long } = runCliLines({
      image: h.image,
      mounts: [{ type: 'bind', source, target: '/shared', selinux: 'z' }],
    });
    assert.ok(!long.includes('--mount'), '--mount cannot relabel: the long line keeps -v for that bind');
  },

  'run.volume': async (h) => {
    const volume = await h.volume('vol');
    await runEquivalence(h, {
      image: h.image,
      name: h.name('volume'),
      networkMode: 'none',
      mounts: [
        { type: 'volume', source: volume, target: '/données partagées' },
        { type: 'volume', source: '', target: '/anon' },
      ],
      command: ['sh', '-c', 'echo ok > "/données partagées/f"'],
    });
  },

  'run.tmpfs': async (h) => {
    await runEquivalence(h, {
      image: h.image,
      name: h.name('tmpfs'),
      networkMode: 'none',
      mounts: [
        { type: 'tmpfs', target: '/cache', sizeBytes: 64 * 1024 * 1024, mode: 0o1777 },
        { type: 'tmpfs', target: '/scratch' },
      ],
      command: ['sleep', '30'],
    });
  },

  'run.create': async (h) => {
    await runEquivalence(h, {
      image: h.image,
      name: h.name('create'),
      networkMode: 'none',
      start: false,
      mounts: [{ type: 'volume', source: '', target: '/data' }],
      command: ['sh'],
    });
  },

  'run.volumesFrom': async (h) => {
    const source = h.name('data-container');
    const made = await h.client.runContainer(
      runRequest(
        {
          image: h.image,
          name: source,
          networkMode: 'none',
          start: false,
          command: ['sh'],
          mounts: [{ type: 'volume', source: '', target: '/data' }],
        },
        OURS,
      ),
    );
    h.track('container', made.id);
    await runEquivalence(h, {
      image: h.image,
      name: h.name('reader'),
      networkMode: 'none',
      mounts: [],
      volumesFrom: [source],
      command: ['ls', '/data'],
    });
    // The reader really mounts the data container's anonymous volume, not a new one.
    const reader = await containerFacts(
      h.docker,
      (await h.docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=1`] } })).find((c) =>
        c.Names.some((n) => n.includes('reader')),
      )!.Id,
    );
    const dataVolume = (await h.docker.getContainer(made.id).inspect()).Mounts[0]!.Name;
    assert.equal((await h.docker.getContainer(source).inspect()).Mounts[0]!.Name, dataVolume);
    assert.deepEqual(reader.volumesFrom, [source]);
  },

  'share.writer': async (h) => {
    const volume = await h.volume('shared');
    await runEquivalence(h, {
      image: h.image,
      name: h.name('app-server'),
      networkMode: 'none',
      mounts: [{ type: 'volume', source: volume, target: '/var/log/app' }],
      command: [
        'sh',
        '-c',
        'while true; do echo "$(date) : User logged in" >> "$1/access.log"; sleep 2; done',
        'sh',
        '/var/log/app',
      ],
    });
  },

  'share.reader': async (h) => {
    const volume = await h.volume('shared');
    await runEquivalence(h, {
      image: h.image,
      name: h.name('log-shipper'),
      networkMode: 'none',
      mounts: [{ type: 'volume', source: volume, target: '/logs', readOnly: true }],
      command: ['sh', '-c', 'touch "$1/.ready" 2>/dev/null; while true; do sleep 3600; done', 'sh', '/logs'],
    });
  },

  'share.refusal': async (h) => {
    const volume = await h.volume('shared', 'echo line > /data/access.log');
    const reader = await h.client.runContainer(
      runRequest(
        {
          image: h.image,
          name: h.name('log-shipper'),
          networkMode: 'none',
          command: ['sleep', '60'],
          mounts: [{ type: 'volume', source: volume, target: '/logs', readOnly: true }],
        },
        OURS,
      ),
    );
    h.track('container', reader.id);
    const tryDelete = ['rm', '/logs/access.log'];
    const api = await h.client.exec(reader.id, tryDelete);
    const cli = await h.line(execLine(reader.name, tryDelete, {}));
    assert.notEqual(api.exitCode, 0);
    assert.equal(cli.code, api.exitCode);
    assert.match(api.output, /Read-only file system/);
    assert.match(cli.stderr, /Read-only file system/);
    assert.equal((await h.tree(volume)).length, 1, 'the log is still there');
  },

  'volume.test': async (h) => {
    const volume = await h.volume('probe', SAMPLE_TREE);
    // The command's way: a sleeping probe with the volume read-only, `ls -la` in it, then removed.
    const probe = await h.client.runContainer({
      image: h.image,
      command: ['sleep', '60'],
      networkMode: 'none',
      labels: OURS,
      mounts: [{ type: 'volume', source: volume, target: '/probe', readOnly: true }],
    });
    h.track('container', probe.id);
    const listing = await h.client.exec(probe.id, ['ls', '-la', '/probe']);
    const shown = await h.ok(testVolumeLine(volume, helper(h), {}));
    const names = (text: string) =>
      text
        .split('\n')
        .filter((l) => / \S+$/.test(l) && !/^total/.test(l))
        .map((l) => l.replace(/^(\S+\s+){8}/, ''))
        .filter((n) => n !== '..')
        .sort();
    assert.equal(listing.exitCode, 0);
    assert.deepEqual(names(shown), names(listing.output));
    assert.ok(names(shown).includes('.hidden'));
  },

  'container.stop': async (h) => {
    const run = (name: string) =>
      h.client.runContainer(
        runRequest({ image: h.image, name, networkMode: 'none', command: STOPPABLE, mounts: [] }, OURS),
      );
    const a = await run(h.name('stop-api'));
    const b = await run(h.name('stop-cli'));
    h.track('container', a.id);
    h.track('container', b.id);
    await h.client.stopContainer(a.id);
    await h.ok(stopLine(b.name, {}));
    for (const id of [a.id, b.id]) assert.equal((await h.docker.getContainer(id).inspect()).State.Running, false);
  },

  'container.remove': async (h) => {
    for (const running of [false, true]) {
      const run = (name: string) =>
        h.client.runContainer(
          runRequest(
            { image: h.image, name, networkMode: 'none', command: STOPPABLE, start: running, mounts: [] },
            OURS,
          ),
        );
      const a = await run(h.name('rm-api'));
      const b = await run(h.name('rm-cli'));
      await h.client.removeContainer(a.id, { force: running });
      await h.ok(removeContainerLine(b.name, running, {}));
      assert.deepEqual(
        [await h.exists('container', a.id), await h.exists('container', b.id)],
        [false, false],
        `running: ${running}`,
      );
    }
  },

  'container.logs': async (h) => {
    // An exited container: `docker logs -f` ends, and the followed stream the extension reads ends too.
    const run = await h.client.runContainer(
      runRequest(
        {
          image: h.image,
          name: h.name('logs'),
          networkMode: 'none',
          command: ['sh', '-c', 'echo "$1"; echo deux >&2', 'sh', `l'été $HOME`],
          mounts: [],
        },
        OURS,
      ),
    );
    h.track('container', run.id);
    for (let i = 0; i < 100 && (await h.docker.getContainer(run.id).inspect()).State.Running; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const stream = await h.client.containerLogs(run.id, { follow: true });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const ours = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean).sort();
    const shown = await h.line(logsLine(run.name, {}));
    assert.equal(shown.code, 0);
    assert.deepEqual(`${shown.stdout}${shown.stderr}`.split('\n').filter(Boolean).sort(), ours);
    assert.deepEqual(ours, ['deux', `l'été $HOME`]);
  },

  'lab.reset': async (h) => {
    // A module's containers (one with an anonymous volume) and its named volume: gone with their anonymous volumes.
    for (const way of ['api', 'cli'] as const) {
      const named = await h.volume('module');
      const containers = [];
      for (const running of [true, false]) {
        const c = await h.client.runContainer(
          runRequest(
            {
              image: h.image,
              name: h.name(`lab-${way}`),
              networkMode: 'none',
              start: running,
              command: STOPPABLE,
              mounts: [
                { type: 'volume', source: named, target: '/data' },
                { type: 'volume', source: '', target: '/anon' },
              ],
            },
            OURS,
          ),
        );
        h.track('container', c.id);
        containers.push(c);
      }
      const anonymous = await Promise.all(
        containers.map(
          async (c) =>
            (await h.docker.getContainer(c.id).inspect()).Mounts.find((m) => m.Destination === '/anon')!.Name!,
        ),
      );
      if (way === 'api') {
        for (const c of containers) await h.client.removeContainer(c.id, { force: true, removeVolumes: true });
        await h.client.removeVolume(named, { force: true });
      } else {
        for (const line of resetLines(
          containers.map((c) => c.name),
          [named],
          {},
        ))
          await h.ok(line);
      }
      const left = await Promise.all([
        ...containers.map((c) => h.exists('container', c.id)),
        ...[named, ...anonymous].map((v) => h.exists('volume', v)),
      ]);
      assert.deepEqual(
        left,
        left.map(() => false),
        way,
      );
    }
  },

  'volume.create.local': async (h) =>
    volumeCreateEquivalence(h, {
      driver: 'local',
      driverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=10m,uid=1000' },
      labels: { projet: `cours d'été`, env: '$dev' },
    }),

  'volume.create.nfs': async (h) =>
    volumeCreateEquivalence(h, {
      driver: 'local',
      driverOpts: nfsDriverOptions({
        server: '10.0.0.9',
        exportPath: '/exports/données partagées',
        options: 'nfsvers=4,soft',
      }),
      labels: {},
    }),

  'volume.create.cifs': async (h) => {
    const driverOpts = cifsDriverOptions({
      share: '//nas.local/partage été',
      user: 'ada',
      password: `s3cr$t 'pw'`,
      options: 'vers=3.0',
    });
    await volumeCreateEquivalence(h, { driver: 'local', driverOpts, labels: {} }, `s3cr$t 'pw'`);
  },

  'volume.inspect': async (h) => {
    const volume = await h.volume('inspect');
    const ours = await h.client.inspectVolume(volume);
    const [shown] = JSON.parse(await h.ok(volumeInspectLine(volume, {}))) as {
      Name: string;
      Driver: string;
      Mountpoint: string;
      Labels: Record<string, string>;
      Options: Record<string, string> | null;
    }[];
    assert.deepEqual(
      {
        name: shown!.Name,
        driver: shown!.Driver,
        mountpoint: shown!.Mountpoint,
        labels: shown!.Labels,
        options: shown!.Options ?? {},
      },
      { name: ours.name, driver: ours.driver, mountpoint: ours.mountpoint, labels: ours.labels, options: ours.options },
    );
  },

  'volume.remove': async (h) => {
    const a = await h.volume('rm');
    const b = await h.volume('rm');
    await h.client.removeVolume(a);
    await h.ok(volumeRemoveLine(b, {}));
    assert.deepEqual([await h.exists('volume', a), await h.exists('volume', b)], [false, false]);
    // The daemon named only by our setting: the line's -H reaches it where the CLI alone would not.
    const c = await h.volume('rm');
    const daemon = { hostFlag: process.env.DOCKER_HOST || 'unix:///var/run/docker.sock' };
    if (process.env.DOCKER_HOST)
      assert.notEqual(
        (await h.line(volumeRemoveLine(c, {}), '', { withoutEnvDaemon: true })).code,
        0,
        'without -H the CLI talks to another daemon',
      );
    await h.ok(volumeRemoveLine(c, cliTargetFor({ source: 'setting', host: daemon.hostFlag })), '', {
      withoutEnvDaemon: true,
    });
    assert.equal(await h.exists('volume', c), false);
  },

  'volume.removeWithContainers': async (h) => {
    // A volume that stopped containers use: remove them (as the command does, one line each), then the volume.
    for (const way of ['api', 'cli'] as const) {
      const volume = await h.volume('inuse');
      const users = [];
      for (let i = 0; i < 2; i++) {
        const c = await h.client.runContainer(
          runRequest(
            {
              image: h.image,
              name: h.name('user'),
              networkMode: 'none',
              start: false,
              command: ['sh'],
              mounts: [{ type: 'volume', source: volume, target: '/data' }],
            },
            OURS,
          ),
        );
        users.push(c);
      }
      if (way === 'api') {
        for (const c of users) await h.client.removeContainer(c.id);
        await h.client.removeVolume(volume);
      } else {
        assert.match(
          (await h.line(volumeRemoveLine(volume, {}))).stderr,
          /in use/,
          'alone, the volume rm line is refused',
        );
        for (const c of users) await h.ok(removeContainerLine(c.name, false, {}));
        await h.ok(volumeRemoveLine(volume, {}));
      }
      assert.equal(await h.exists('volume', volume), false, way);
    }
  },

  'volume.prune': async (h) => {
    // Two identical sets of unused volumes (named, anonymous, one in use), told apart by a label.
    const set = async (label: string) => {
      const labels = { [TEST_LABEL]: '1', 'eq.set': label };
      const named = (await h.client.createVolume({ name: h.name('unused'), labels })).name;
      const anonymous = (await h.client.createVolume({ labels })).name;
      const used = (await h.client.createVolume({ name: h.name('used'), labels })).name;
      const user = await h.client.runContainer(
        runRequest(
          {
            image: h.image,
            networkMode: 'none',
            start: false,
            command: ['sh'],
            mounts: [{ type: 'volume', source: used, target: '/data' }],
          },
          OURS,
        ),
      );
      h.track('container', user.id);
      return { named, anonymous, used, all: [named, anonymous, used] };
    };
    const present = async (names: string[]) => Promise.all(names.map((n) => h.exists('volume', n)));
    for (const scope of ['all', 'anonymous'] as const) {
      const api = await set(h.name('api'));
      const cliSet = await set(h.name('cli'));
      // The command's way: it previews the unused ones of the scope and removes exactly those.
      const previewed = scope === 'all' ? [api.named, api.anonymous] : [api.anonymous];
      for (const v of previewed) await h.client.removeVolume(v);
      const engine = await h.client.version();
      const lines = pruneLines(
        scope,
        Number(engine.apiVersion.split('.')[1]) >= 42,
        `eq.set=${h.name('x')}`,
        previewed,
        {},
      );
      // What the learner types: the prune line when there is one (it asks y/N), else the exact volume rm.
      const apiLabel = (await volumeFacts(h.docker, api.used)).labels['eq.set']!;
      const cliLabel = (await volumeFacts(h.docker, cliSet.used)).labels['eq.set']!;
      if (lines.prune) {
        await h.ok(
          swap(lines.prune.replace(/label=eq\.set=\S+/, `label=eq.set=${apiLabel}`), apiLabel, cliLabel),
          'y\n',
        );
      } else {
        let exact = lines.exact;
        exact = swap(exact, api.anonymous, cliSet.anonymous);
        await h.ok(exact);
      }
      assert.deepEqual(await present(cliSet.all), await present(api.all), `${scope}: ${lines.prune ?? lines.exact}`);
      assert.deepEqual(await present(api.all), scope === 'all' ? [false, false, true] : [true, false, true]);
      for (const v of [...api.all, ...cliSet.all]) h.track('volume', v);
    }
  },

  'volume.ls': async (h) => {
    await h.volume('ls');
    const ours = (await h.client.listVolumes()).map((v) => v.name).sort();
    const shown = (await h.ok(volumeListLine({})))
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.trim().split(/\s+/)[1]!)
      .sort();
    assert.deepEqual(shown, ours);
  },

  'system.df': async (h) => {
    const volume = await h.volume('df', 'dd if=/dev/zero of=/data/f bs=1024 count=64 2>/dev/null');
    const ours = await h.client.diskUsage();
    const shown = await h.ok(diskUsageLine(true, {}));
    const section = shown.split('Local Volumes space usage:')[1]!.split('\n\n')[1]!;
    const rows = Object.fromEntries(
      section
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.trim().split(/\s+/))
        .map(([name, links]) => [name!, Number(links)]),
    );
    assert.deepEqual(Object.keys(rows).sort(), Object.keys(ours.volumeSizes).sort());
    for (const [name, v] of Object.entries(ours.volumeSizes)) assert.equal(rows[name], v.refCount, name);
    assert.ok(ours.volumeSizes[volume]!.size >= 64 * 1024);
    const texts = shown.split('\n').find((l) => l.startsWith('Local Volumes') || l.startsWith('VOLUME NAME'));
    assert.ok(texts);
    // Without -v: the totals row, the same counts as the per-volume figures.
    const summary = (await h.ok(diskUsageLine(false, {}))).split('\n').find((l) => l.startsWith('Local Volumes'))!;
    const [total, active] = summary.replace('Local Volumes', '').trim().split(/\s+/).map(Number);
    assert.deepEqual(
      [total, active],
      [Object.keys(ours.volumeSizes).length, Object.values(ours.volumeSizes).filter((v) => v.refCount > 0).length],
      summary,
    );
  },

  'volume.ls.unused': async (h) => {
    const unused = await h.volume('unused');
    const used = await h.volume('used');
    const user = await h.client.runContainer(
      runRequest(
        {
          image: h.image,
          networkMode: 'none',
          start: false,
          command: ['sh'],
          mounts: [{ type: 'volume', source: used, target: '/data' }],
        },
        OURS,
      ),
    );
    h.track('container', user.id);
    // The extension's view: volumes no container (running or not) mounts.
    const mounted = new Set(
      (await h.client.listContainers({ all: true })).flatMap((c) => c.mounts.flatMap((m) => (m.name ? [m.name] : []))),
    );
    const ours = (await h.client.listVolumes())
      .map((v) => v.name)
      .filter((n) => !mounted.has(n))
      .sort();
    const shown = (await h.ok(volumeListLine({}, true)))
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.trim().split(/\s+/)[1]!)
      .sort();
    assert.deepEqual(shown, ours);
    assert.ok(shown.includes(unused) && !shown.includes(used));
  },

  'image.ls': async (h) => {
    const ours = (await h.client.listImages())
      .flatMap((i) => i.tags)
      .filter((t) => t !== '<none>:<none>')
      .sort();
    const shown = (await h.ok(imageListLine({})))
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.trim().split(/\s+/))
      .filter(([repo]) => repo !== '<none>')
      .map(([repo, tag]) => `${repo}:${tag}`)
      .sort();
    assert.deepEqual(shown, ours);
    assert.ok(shown.includes(h.image));
  },

  'info.swarm': async (h) => {
    assert.equal((await h.ok(swarmStateLine({}))).trim(), (await h.client.info()).swarm);
  },

  backup: async (h) => {
    const volume = await h.volume('data', SAMPLE_TREE);
    const ours = path.join(h.dir, 'ours.tar.gz');
    await backupVolume(h.client, volume, ours);
    const file = path.join(h.dir, `sauvegarde d'été ${h.planted} "1".tar.gz`);
    await h.ok(backupLine(volume, file, helper(h), {}));
    assert.equal(fs.existsSync(h.pwned), false, 'a file name ran as a command');
    assert.deepEqual(await archiveEntries(file), await archiveEntries(ours));
  },

  'backup.stopStart': async (h) => {
    const run = (name: string) =>
      h.client.runContainer(
        runRequest({ image: h.image, name, networkMode: 'none', command: STOPPABLE, mounts: [] }, OURS),
      );
    const a = await run(h.name('db-api'));
    const b = await run(h.name('db-cli'));
    h.track('container', a.id);
    h.track('container', b.id);
    await h.client.stopContainer(a.id);
    await h.ok(stopLine(b.name, {}));
    const running = async () =>
      Promise.all([a.id, b.id].map(async (id) => (await h.docker.getContainer(id).inspect()).State.Running));
    assert.deepEqual(await running(), [false, false]);
    await h.client.startContainer(a.id);
    await h.ok(startLine(b.name, {}));
    assert.deepEqual(await running(), [true, true]);
  },

  'restore.new': async (h) => restoreEquivalence(h, 'new'),
  'restore.merge': async (h) => restoreEquivalence(h, 'merge'),
  'restore.replace': async (h) => restoreEquivalence(h, 'replace'),

  clone: async (h) => {
    const source = await h.volume('source', SAMPLE_TREE);
    const info = await h.client.inspectVolume(source);
    const spec = (name: string) => ({
      name,
      driver: info.driver,
      driverOpts: info.options,
      labels: { ...info.labels, 'volumes-lab.cloned-from': source },
    });
    const ours = h.name('clone-api');
    h.track('volume', ours);
    await h.client.createVolume(spec(ours));
    await copyVolumeContent(h.client, source, ours);
    const theirs = h.name('clone-cli');
    h.track('volume', theirs);
    for (const line of cloneLines(source, spec(ours), helper(h), {})) await h.ok(swap(line, ours, theirs));
    assert.deepEqual(await volumeFacts(h.docker, theirs), await volumeFacts(h.docker, ours));
    assert.deepEqual(await h.tree(theirs), await h.tree(ours));
    assert.deepEqual(await h.tree(ours), await h.tree(source));
  },

  'backup.remote': async (h) => {
    const volume = await h.volume('data', SAMPLE_TREE);
    const ours = path.join(h.dir, 'ours.tar.gz');
    await backupVolume(h.client, volume, ours);
    const { seen, real } = h.remoteFolders('backup');
    const name = `sauvegarde d'été ${h.planted}.tar.gz`;
    await h.ok(backupLine(volume, path.join(seen, name), helper(h), remoteDaemon()), '', {
      clientView: { seen, real },
    });
    assert.equal(fs.existsSync(h.pwned), false, 'a file name ran as a command');
    assert.deepEqual(fs.readdirSync(seen), [], "nothing written on the daemon's side of the folder");
    assert.deepEqual(await archiveEntries(path.join(real, name)), await archiveEntries(ours));
  },

  'restore.remote': async (h) => {
    for (const mode of ['new', 'replace'] as const) await restoreEquivalence(h, mode, true);
  },

  'backupScript.remote': async (h) => {
    const volume = await h.volume('nightly', SAMPLE_TREE);
    const ours = path.join(h.dir, 'ours.tar.gz');
    await backupVolume(h.client, volume, ours);
    const { seen, real } = h.remoteFolders('nuit');
    const file = path.join(h.dir, 'backup-volumes-remote.sh');
    fs.writeFileSync(file, backupScript([volume], seen, { count: 3 }, helper(h), remoteDaemon()).script);
    await h.ok(`sh ${shellQuote(file)}`, '', { clientView: { seen, real } });
    assert.deepEqual(fs.readdirSync(seen), []);
    const made = fs.readdirSync(real).filter((f) => f.startsWith(`${volume}_`) && f.endsWith('.tar.gz'));
    assert.equal(made.length, 1);
    assert.deepEqual(await archiveEntries(path.join(real, made[0]!)), await archiveEntries(ours));
  },

  'dump.postgres': async (h) => {
    const { container, plan } = await postgres(h);
    const ours = path.join(h.dir, 'ours.sql.gz');
    await dumpDatabase(h.client, container.id, plan.dump, ours);
    const file = path.join(h.dir, `dump d'été ${h.planted}.sql.gz`);
    await h.ok(dumpLine(plan, file, {}));
    assert.equal(fs.existsSync(h.pwned), false);
    // pg_dump's \restrict lines carry a fresh random key per run: the only part allowed to differ.
    const text = (f: string) =>
      zlib
        .gunzipSync(fs.readFileSync(f))
        .toString('utf8')
        .replace(/^\\(un)?restrict \S+$/gm, '\\$1restrict <key>');
    assert.match(text(ours), /CREATE TABLE public\.items/);
    assert.equal(text(file), text(ours));
  },

  'restoreDump.postgres': async (h) => {
    const { container, plan } = await postgres(h);
    const file = path.join(h.dir, `dump d'été ${h.planted}.sql.gz`);
    await dumpDatabase(h.client, container.id, plan.dump, file);
    const count = () => sql(container, 'SELECT count(*) FROM items');
    assert.equal(await count(), '3');
    await sql(container, 'DELETE FROM items');
    await restoreDump(h.client, container.id, plan.restore, file);
    assert.equal(await count(), '3', 'restored by the extension');
    await sql(container, 'DELETE FROM items');
    await h.ok(restoreDumpLine(plan, file, {}));
    assert.equal(fs.existsSync(h.pwned), false);
    assert.equal(await count(), '3', 'restored by the shown line');
  },

  backupScript: async (h) => {
    const volume = await h.volume('nightly', SAMPLE_TREE);
    const ours = path.join(h.dir, 'ours.tar.gz');
    await backupVolume(h.client, volume, ours);
    const folder = path.join(h.dir, 'nuit $x');
    const { script } = backupScript([volume], folder, { count: 3 }, helper(h), {});
    const file = path.join(h.dir, 'backup-volumes.sh');
    fs.writeFileSync(file, script);
    await h.ok(`sh ${shellQuote(file)}`);
    const made = fs.readdirSync(folder).filter((f) => f.startsWith(`${volume}_`) && f.endsWith('.tar.gz'));
    assert.equal(made.length, 1);
    assert.deepEqual(await archiveEntries(path.join(folder, made[0]!)), await archiveEntries(ours));
    await retentionAmongOddNames(h, volume);
  },

  mountSnippet: async (h) => {
    const volume = await h.volume('snippet');
    for (const readOnly of [false, true]) {
      const target = '/var/lib/données, été';
      const api = await h.client.runContainer(
        runRequest(
          {
            image: h.image,
            networkMode: 'none',
            start: false,
            command: ['sh'],
            mounts: [{ type: 'volume', source: volume, target: target.replace(',', ''), readOnly }],
          },
          OURS,
        ),
      );
      h.track('container', api.id);
      const snippets = volumeMountSnippets(volume, target.replace(',', ''), readOnly);
      for (const form of ['short', 'long'] as const) {
        const id = await h.created(
          `${dockerCli(['create', '--network', 'none'])} ${snippets[form]} ${shellQuote(h.image)} sh`,
        );
        assert.deepEqual(
          await containerFacts(h.docker, id),
          await containerFacts(h.docker, api.id),
          `${form} ${snippets[form]}`,
        );
      }
      // A comma in the path: the long form must still say one destination.
      const long = volumeMountSnippets(volume, target, readOnly).long;
      const id = await h.created(`${dockerCli(['create', '--network', 'none'])} ${long} ${shellQuote(h.image)} sh`);
      assert.equal((await containerFacts(h.docker, id)).mounts[0]!.destination, target);
    }
  },

  volumeTooltip: async (h) => {
    const volume = await h.volume('tooltip');
    for (const [i, line] of volumeShellLines(volume, h.image, {}).entries()) {
      await h.inTerminal(line, `echo from-line-${i} > /data/line-${i}; exit\n`);
    }
    assert.deepEqual(
      (await h.tree(volume)).map((l) => l.split('|')[0]),
      ['./line-0', './line-1'],
    );
    assert.equal(
      (await h.docker.listContainers({ all: true, filters: { volume: [volume] } })).length,
      0,
      '--rm: nothing left behind',
    );
  },

  composeHover: async (h) => {
    const analysis = analyzeCompose(
      'services:\n  app:\n    volumes:\n      - db:/data\n      - /anon\n    tmpfs:\n      - /run:size=1m\nvolumes:\n  db:\n',
      { folderName: h.name('proj') },
    );
    const expected: MountSpec[] = [
      { type: 'volume', source: `${analysis.projectName}_db`, target: '/data' },
      { type: 'volume', source: '', target: '/anon' },
      { type: 'tmpfs', target: '/run', sizeBytes: 1024 * 1024 },
    ];
    await h.client.createVolume({ name: `${analysis.projectName}_db`, labels: OURS });
    for (const [i, entry] of analysis.entries.entries()) {
      const flag = entryAsMountFlag(entry, analysis.projectName)!;
      const api = await h.client.runContainer(
        runRequest(
          { image: h.image, networkMode: 'none', start: false, command: ['sh'], mounts: [expected[i]!] },
          OURS,
        ),
      );
      h.track('container', api.id);
      const id = await h.created(`${dockerCli(['create', '--network', 'none'])} ${flag} ${shellQuote(h.image)} sh`);
      assert.deepEqual(await containerFacts(h.docker, id), await containerFacts(h.docker, api.id), flag);
    }
    // The engine refuses a read-only anonymous volume: the hover then shows no line rather than one that fails.
    const readOnly = analyzeCompose('services:\n  app:\n    volumes:\n      - /anon:ro\n', { folderName: 'p' });
    assert.equal(entryAsMountFlag(readOnly.entries[0]!, readOnly.projectName), undefined);
    assert.match(
      (
        await h.line(
          `${dockerCli(['create', '--network', 'none', '--mount', 'type=volume,dst=/anon,readonly'])} ${shellQuote(h.image)} sh`,
        )
      ).stderr,
      /ReadOnly/,
    );
  },

  'daemon.version': async (h) => {
    const ours = await h.client.version();
    const shown = await h.ok(versionLine({}));
    const server = shown.split(/^Server:/m)[1]!;
    assert.match(server, new RegExp(`Version:\\s+${ours.version.replace(/[.+]/g, '\\$&')}\\n`));
    assert.match(server, new RegExp(`API version:\\s+${ours.apiVersion.replace('.', '\\.')}`));
  },
};

async function volumeCreateEquivalence(
  h: Harness,
  spec: { driver: string; driverOpts: Record<string, string>; labels: Record<string, string> },
  password?: string,
): Promise<void> {
  const ours = h.name('created');
  h.track('volume', ours);
  await h.client.createVolume({ name: ours, ...spec });
  const shown = volumeCreateLine({ name: ours, ...spec }, {});
  const theirs = h.name('created');
  h.track('volume', theirs);
  let line = swap(shown, ours, theirs);
  if (password !== undefined) {
    assert.ok(!shown.includes(password), 'the password is masked in the shown line');
    for (const [key, value] of Object.entries(spec.driverOpts)) {
      const masked = value.split(password).join('****');
      if (masked !== value) line = unmask(line, `${key}=${masked}`, `${key}=${value}`);
    }
  }
  assert.equal((await h.ok(line)).trim(), theirs);
  assert.deepEqual(await volumeFacts(h.docker, theirs), await volumeFacts(h.docker, ours));
}

/**
 * The exported script's retention, run by bash with the docker CLI, in a folder that also holds names a
 * listing would split or a shell would run, another volume's backups that share the prefix, and a
 * subfolder: only this volume's backups beyond the rule go.
 */
async function retentionAmongOddNames(h: Harness, volume: string): Promise<void> {
  const folder = path.join(h.dir, 'rétention $x');
  fs.mkdirSync(path.join(folder, 'sous dossier'), { recursive: true });
  const old = new Date(Date.now() - 100 * 24 * 3600 * 1000);
  const put = (name: string, mtime?: Date) => {
    fs.writeFileSync(path.join(folder, name), name);
    if (mtime) fs.utimesSync(path.join(folder, name), mtime, mtime);
  };
  const odd = [
    `${volume}_x y.tar.gz`,
    `${volume}_${h.planted}.tar.gz`,
    `${volume}_'q' "dq".tar.gz`,
    `${volume}_a\nb.tar.gz`,
    `${volume}_old_20200101_000000.tar.gz`,
    `${volume}_20200101_000000.tar.gz.json`,
    `sous dossier/${volume}_20200101_000000.tar.gz`,
  ];
  for (const name of odd) put(name, old);
  put(`${volume}_20200101_000000.tar.gz`, old); // older than the days rule
  put(`${volume}_20200102_000000.tar.gz`); // recent, but beyond the count rule
  put(`${volume}_20200103_000000.tar.gz`);
  // What a split name would hit in the folder the script runs from.
  const bystanders = ['y.tar.gz', `${volume}_x`].map((n) => path.join(path.dirname(h.pwned), n));
  for (const f of bystanders) fs.writeFileSync(f, 'keep');
  const script = path.join(h.dir, 'retention.sh');
  fs.writeFileSync(script, backupScript([volume], folder, { count: 2, days: 30 }, helper(h), {}).script);
  await h.ok(`bash ${shellQuote(script)}`);
  const list = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? list(path.join(dir, e.name)).map((n) => `${e.name}/${n}`) : [e.name]));
  const left = list(folder);
  const fresh = left.filter((n) => /_\d{8}_\d{6}\.tar\.gz$/.test(n) && !n.includes('2020'));
  assert.equal(fresh.length, 1, "tonight's backup");
  assert.deepEqual(left.filter((n) => !fresh.includes(n)).sort(), [...odd, `${volume}_20200103_000000.tar.gz`].sort());
  assert.equal(fs.existsSync(h.pwned), false, 'a file name ran as a command');
  for (const f of bystanders) assert.ok(fs.existsSync(f), `${f} is not a backup`);
}

/**
 * A backup archive at an awkward path, restored by the extension (restoreVolume) and by the shown lines
 * into twin targets: the same tree. Existing targets hold other files first, hidden ones too.
 */
async function restoreEquivalence(h: Harness, mode: 'new' | 'merge' | 'replace', remote = false): Promise<void> {
  const source = await h.volume('backed', SAMPLE_TREE);
  const archive = path.join(h.dir, `sauvegarde d'été ${h.planted} "${mode}".tar.gz`);
  await backupVolume(h.client, source, archive);
  // For a daemon on another host the archive is where only the CLI sees it.
  const daemon = remote ? remoteDaemon() : {};
  const view = remote ? h.remoteFolders(`restore ${mode}`) : undefined;
  if (view) fs.copyFileSync(archive, path.join(view.real, path.basename(archive)));
  const shownArchive = view ? path.join(view.seen, path.basename(archive)) : archive;
  const create = { driver: 'local', driverOpts: {}, labels: { [TEST_LABEL]: '1', projet: 'cours' } };
  const prior =
    'mkdir -p /data/app /data/old && echo old > /data/app/lisez-moi.txt && echo x > /data/old/f && echo h > /data/.old-hidden && echo d > /data/..dots';
  const target = async () => {
    if (mode === 'new') {
      const name = h.name('restored');
      h.track('volume', name);
      return name;
    }
    return h.volume('target', prior);
  };
  const ours = await target();
  await restoreVolume(h.client, {
    archive,
    target: ours,
    mode,
    ...(mode === 'new' ? { create } : {}),
    shellImage: h.image,
    networkMode: 'none',
    labels: OURS,
  });
  const theirs = await target();
  for (const line of restoreLines(ours, shownArchive, mode, helper(h), daemon, mode === 'new' ? create : undefined)) {
    await h.ok(swap(line, ours, theirs), '', view ? { clientView: view } : {});
  }
  assert.equal(fs.existsSync(h.pwned), false, 'a file name ran as a command');
  assert.deepEqual(await h.tree(theirs), await h.tree(ours));
  if (mode === 'new') assert.deepEqual(await volumeFacts(h.docker, theirs), await volumeFacts(h.docker, ours));
  if (mode === 'replace') assert.deepEqual(await h.tree(ours), await h.tree(source));
}

/** A PostgreSQL container on a fresh volume with a table `items` of three rows, and its dump plan. */
async function postgres(h: Harness) {
  if (!POSTGRES_IMAGE)
    throw new Error('VOLUMES_LAB_POSTGRES_IMAGE is not set: scripts/start-dockerd.sh builds the PostgreSQL test image');
  const volume = await h.volume('pgdata');
  const container = await startPostgres(volume, h.name('pg'));
  h.track('container', container.id);
  await sql(
    container,
    "CREATE TABLE items (id int, label text); INSERT INTO items VALUES (1, 'un'), (2, 'deux'), (3, 'l''été');",
  );
  const info = await h.client.inspectContainer(container.id);
  return { container, plan: databasePlan('postgres', info.env, info.name) };
}

export const EQUIVALENCE_CASES: Readonly<Record<CliActionId, EquivalenceCase>> = cases;
