import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { backupFileName, manifestFileName, type BackupManifest } from '../../src/core/backups';
import { backupVolume } from '../../src/docker/backup';
import { restoreVolume } from '../../src/docker/restore';
import { copyVolumeContent } from '../../src/docker/upload';
import { verifyArchive } from '../../src/docker/verify';
import { countFromMountpoint, measureVolume } from '../../src/docker/volumeCounting';
import { LABELS } from '../../src/core/labels';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { DockerError, isNotFound } from '../../src/docker/errors';
import { backupArchiveFlow } from '../../src/flows/backup';
import { cloneFlow, restoreArchiveFlow } from '../../src/flows/restore';
import { scheduledBackupFlow } from '../../src/flows/scheduledBackup';
import { backupLine, startLine, stopLine } from '../../src/core/cliActions';
import { archiveEntries } from '../support/cliEquivalence';
import { recordingFlowDeps } from '../support/flowDeps';
import { cleanupTestObjects, runWithVolume, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../support/docker';

const client = new DockerodeClient({
  endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
  timeoutMs: 60_000,
});
const labels = { [TEST_LABEL]: '1' };
const SAMPLE =
  'mkdir -p /data/app/logs /data/empty && echo hello > /data/app/readme.txt && dd if=/dev/urandom of=/data/app/blob bs=1024 count=600 2>/dev/null && echo "line" > /data/app/logs/a.log && ln -s readme.txt /data/app/link';

const flowDeps = (mayReadBackups?: (file: string) => boolean) => recordingFlowDeps(client, mayReadBackups);
const helper = { image: TEST_IMAGE, networkMode: 'none' };

/** Runs `script` in a busybox container with `volume` at /data and `dir` at /backup, the course's way. */
async function cliWay(volume: string, dir: string, script: string): Promise<void> {
  const docker = testDocker();
  const c = await docker.createContainer({
    Image: TEST_IMAGE,
    Cmd: ['sh', '-c', script],
    Labels: labels,
    HostConfig: {
      NetworkMode: 'none',
      Binds: [`${dir}:/backup`],
      Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }],
    },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    assert.equal(StatusCode, 0, script);
  } finally {
    await c.remove({ force: true });
  }
}

async function listing(volume: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-ls-'));
  try {
    await cliWay(
      volume,
      dir,
      'cd /data && find . | sort > /backup/list && sha256sum app/blob app/readme.txt >> /backup/list',
    );
    return fs.readFileSync(path.join(dir, 'list'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function makeArchive(
  file: string,
  entries: { name: string; type?: 'file' | 'directory' | 'character-device'; body?: string }[],
): void {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type === 'directory' || e.type === 'character-device') pack.entry({ name: e.name, type: e.type });
    else pack.entry({ name: e.name }, e.body ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  return void pack.on('end', () => fs.writeFileSync(file, zlib.gzipSync(Buffer.concat(chunks))));
}

async function writeArchive(file: string, entries: Parameters<typeof makeArchive>[1]): Promise<void> {
  makeArchive(file, entries);
  for (let i = 0; i < 50 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('backup and restore on a real engine', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-backups-'));
  after(async () => {
    await cleanupTestObjects();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts a volume from its mountpoint exactly as the archive API does (links, hard links, empty folders)', async function () {
    const volume = uniqueName('vlab-count');
    await testDocker().createVolume({ Name: volume, Labels: labels });
    await runWithVolume(volume, `${SAMPLE} && ln /data/app/readme.txt /data/app/hard`);
    const local = await countFromMountpoint(client, volume);
    // Readable here (a local daemon, run as root); elsewhere the restore falls back to the other counts.
    if (!local) this.skip();
    assert.deepEqual(local, await measureVolume(client, volume));
  });

  it('backs up through a never-started helper into a complete, checksummed .tar.gz that the CLI way restores', async () => {
    const source = uniqueName('vlab-src');
    await client.createVolume({ name: source, labels });
    await runWithVolume(source, SAMPLE);
    let progressCalls = 0;
    const { deps, cli } = flowDeps();
    const { file, manifest, deleted } = await backupArchiveFlow(deps, {
      volume: source,
      folder: dir,
      stop: [],
      level: 6,
      keep: {},
      helper,
      onProgress: () => progressCalls++,
    });
    const result = { files: manifest.files, contentBytes: manifest.bytes, sha256: manifest.sha256 };
    assert.ok(fs.existsSync(file));
    assert.match(path.basename(file), new RegExp(`^${source}_\\d{8}_\\d{6}\\.tar\\.gz$`), 'named as ours');
    assert.deepEqual(
      JSON.parse(fs.readFileSync(manifestFileName(file), 'utf8')),
      JSON.parse(JSON.stringify(manifest)),
      'its manifest beside it',
    );
    assert.deepEqual(deleted, []);
    assert.equal(cli.length, 1, 'the one docker line of the backup is logged');
    assert.ok(cli[0]!.includes(source) && cli[0]!.includes(dir), cli[0]);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.includes('partial')),
      [],
      'no temporary file left',
    );
    assert.equal(result.files, 8, 'entries: . app app/readme.txt app/blob app/logs app/logs/a.log app/link empty');
    assert.ok(result.contentBytes >= 600 * 1024);
    assert.ok(progressCalls > 0);
    assert.equal((await client.listVolumeHelpers()).length, 0, 'helper removed');
    const check = await verifyArchive(file, { expectedSha256: result.sha256 });
    assert.equal(check.files, result.files);
    // GNU tar reads the multi-member gzip and sees ./ entries, like `tar czf … -C /data .`.
    const names = execFileSync('tar', ['tzf', file], { encoding: 'utf8' }).trim().split('\n');
    assert.ok(names.includes('./app/readme.txt'), names.join(' '));

    const restored = uniqueName('vlab-cli-restored');
    await client.createVolume({ name: restored, labels });
    await cliWay(restored, dir, `tar xzf /backup/${path.basename(file)} -C /data`);
    assert.equal(await listing(restored), await listing(source), "the course's tar xzf restores our archive exactly");
  });

  it("applies retention after a backup among the folder's backups it may read: none of the workspace's in Restricted Mode", async () => {
    const volume = uniqueName('vlab-keep');
    await client.createVolume({ name: volume, labels });
    for (const trusted of [false, true]) {
      const folder = fs.mkdtempSync(path.join(dir, 'keep-'));
      const old = [3, 2].map((days) => {
        const file = path.join(folder, backupFileName(volume, new Date(Date.now() - days * 86_400_000)));
        fs.writeFileSync(file, 'an older backup');
        return file;
      });
      const other = path.join(folder, backupFileName(`${volume}-other`, new Date(Date.now() - 5 * 86_400_000)));
      fs.writeFileSync(other, 'another volume');
      // Untrusted, the folder is the workspace's: its files are not read, so none is counted or deleted.
      const { deps } = flowDeps((file) => trusted || !file.startsWith(folder));
      const request = { volume, folder, stop: [], level: 1, keep: { count: 2 }, helper };
      const { file, deleted } = await backupArchiveFlow(deps, request);
      assert.deepEqual(deleted, trusted ? [old[0]] : [], trusted ? 'the oldest goes' : 'nothing read, nothing deleted');
      for (const f of [...old.slice(1), other, file]) assert.ok(fs.existsSync(f), `${path.basename(f)} kept`);
      assert.equal(fs.existsSync(old[0]!), !trusted);
    }
  });

  it("restores an archive made the course's way (tar czf in a container)", async () => {
    const source = uniqueName('vlab-cli-src');
    await client.createVolume({ name: source, labels });
    await runWithVolume(source, SAMPLE);
    await cliWay(source, dir, 'tar czf /backup/cli.tar.gz -C /data .');
    const check = await verifyArchive(path.join(dir, 'cli.tar.gz'));
    const target = uniqueName('vlab-ours-restored');
    // The restore the extension runs (checked reading, new volume), not a shortcut around its checks.
    await restoreVolume(client, {
      archive: path.join(dir, 'cli.tar.gz'),
      target,
      mode: 'new',
      create: { labels },
      shellImage: TEST_IMAGE,
      networkMode: 'none',
      labels,
    });
    assert.equal(await listing(target), await listing(source));
    assert.deepEqual(await measureVolume(client, target), { files: check.files, contentBytes: check.contentBytes });
  });

  it('clones a volume stream to stream', async () => {
    const source = uniqueName('vlab-clone-src');
    const target = uniqueName('vlab-clone-dst');
    await client.createVolume({ name: source, labels });
    await client.createVolume({ name: target, labels });
    await runWithVolume(source, SAMPLE);
    const copied = await copyVolumeContent(client, source, target);
    assert.equal(copied.files, 8);
    assert.equal(await listing(target), await listing(source));
  });

  it('clones through the flow: the copy is made like its source, and a failed copy leaves no half volume', async () => {
    const source = uniqueName('vlab-clone-src');
    const target = uniqueName('vlab-clone-dst');
    await client.createVolume({ name: source, labels: { ...labels, course: 'm2' } });
    await runWithVolume(source, SAMPLE);
    const { deps, cli } = flowDeps();
    const copied = await cloneFlow(deps, { source, target, helper });
    assert.equal(copied.files, 8);
    assert.equal(await listing(target), await listing(source));
    const made = await client.inspectVolume(target);
    assert.deepEqual(made.labels, { ...labels, course: 'm2', 'volumes-lab.cloned-from': source });
    assert.ok(
      cli.some((line) => line.includes(`docker volume create`) && line.includes(target)),
      JSON.stringify(cli),
    );

    const stopped = uniqueName('vlab-clone-dst');
    await assert.rejects(
      cloneFlow(deps, { source, target: stopped, helper, signal: AbortSignal.abort() }),
      (e: unknown) => e instanceof DockerError && e.kind === 'cancelled',
    );
    await assert.rejects(client.inspectVolume(stopped), (e: unknown) => isNotFound(e));
  });

  it('refuses damaged or dangerous archives before anything is touched', async () => {
    const good = path.join(dir, 'good.tar.gz');
    await writeArchive(good, [
      { name: './', type: 'directory' },
      { name: './a.txt', body: 'a'.repeat(5000) },
    ]);
    const truncated = path.join(dir, 'truncated.tar.gz');
    fs.writeFileSync(truncated, fs.readFileSync(good).subarray(0, 60));
    await assert.rejects(
      verifyArchive(truncated),
      (e: unknown) => e instanceof DockerError && e.kind === 'invalid' && /damaged/.test(e.message),
    );
    await assert.rejects(verifyArchive(good, { expectedSha256: '0'.repeat(64) }), /checksum does not match/);
    const escape = path.join(dir, 'escape.tar.gz');
    await writeArchive(escape, [
      { name: './ok.txt', body: 'x' },
      { name: '../../etc/evil', body: 'x' },
    ]);
    await assert.rejects(verifyArchive(escape), /outside its folder: \.\.\/\.\.\/etc\/evil/);
    const absolute = path.join(dir, 'absolute.tar.gz');
    await writeArchive(absolute, [{ name: '/etc/passwd', body: 'x' }]);
    await assert.rejects(verifyArchive(absolute), /outside its folder/);
    const device = path.join(dir, 'device.tar.gz');
    await writeArchive(device, [{ name: './null', type: 'character-device' }]);
    await assert.rejects(verifyArchive(device), /device file/);
    fs.writeFileSync(path.join(dir, 'notgzip.tar.gz'), 'hello, not an archive');
    await assert.rejects(verifyArchive(path.join(dir, 'notgzip.tar.gz')), /damaged/);
  });

  it('leaves nothing behind when cancelled mid-way', async () => {
    const source = uniqueName('vlab-cancel');
    await client.createVolume({ name: source, labels });
    await runWithVolume(source, 'dd if=/dev/urandom of=/data/big bs=1M count=40 2>/dev/null');
    const controller = new AbortController();
    const file = path.join(dir, 'cancelled.tar.gz');
    await assert.rejects(
      backupVolume(client, source, file, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.bytes > 4 * 1024 * 1024) controller.abort();
        },
      }),
      (e: unknown) => e instanceof DockerError && e.kind === 'cancelled',
    );
    assert.equal(fs.existsSync(file), false);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.includes('cancelled')),
      [],
    );
    assert.equal((await client.listVolumeHelpers()).length, 0);
  });

  it('names the cause when the daemon is killed mid-backup, leaves no file, and its helper is swept after restart', async function () {
    if (process.env.VOLUMES_LAB_PRIVATE_DAEMON !== '1') this.skip(); // only the tests' own daemon is killed
    const source = uniqueName('vlab-killed');
    await client.createVolume({ name: source, labels });
    await runWithVolume(source, 'dd if=/dev/urandom of=/data/big bs=1M count=60 2>/dev/null');
    const file = path.join(dir, 'killed.tar.gz');
    const root = process.env.VOLUMES_LAB_DOCKERD_ROOT ?? '/tmp/volumes-lab-test-dockerd';
    const pid = Number(fs.readFileSync(path.join(root, 'dockerd.pid'), 'utf8'));
    let killed = false;
    await assert.rejects(
      backupVolume(client, source, file, {
        onProgress: (p) => {
          if (!killed && p.bytes > 4 * 1024 * 1024) {
            killed = true;
            process.kill(pid, 'SIGKILL');
          }
        },
      }),
      (e: unknown) =>
        e instanceof DockerError &&
        e.kind === 'unreachable' &&
        /broke during the transfer|Cannot reach/.test(e.message),
    );
    assert.ok(killed);
    assert.equal(fs.existsSync(file), false, 'no file at the final name');
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.includes('killed')),
      [],
      'no partial file',
    );
    for (let i = 0; i < 50; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      } catch {
        break;
      }
    }
    execFileSync('bash', [path.resolve(__dirname, '../../../scripts/start-dockerd.sh')], { stdio: 'ignore' });
    const leftovers = await client.listVolumeHelpers();
    assert.ok(leftovers.length >= 1, 'the interrupted helper is still there after the restart');
    for (const h of leftovers) await client.removeContainer(h.id, { force: true }); // what activation does
    assert.equal((await client.listVolumeHelpers()).length, 0);
  });

  it('says when the disk is full, and leaves no half-written file', async function () {
    if (process.getuid?.() !== 0) this.skip(); // needs root to mount a tiny tmpfs
    const small = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small]);
    try {
      const source = uniqueName('vlab-full');
      await client.createVolume({ name: source, labels });
      await runWithVolume(source, 'dd if=/dev/urandom of=/data/big bs=1M count=4 2>/dev/null');
      const file = path.join(small, 'full.tar.gz');
      await assert.rejects(
        backupVolume(client, source, file),
        (e: unknown) => e instanceof DockerError && /No space left/.test(e.message),
      );
      assert.deepEqual(fs.readdirSync(small), []);
      assert.equal((await client.listVolumeHelpers()).filter((h) => h.labels[LABELS.helper] === source).length, 0);
    } finally {
      execFileSync('umount', [small]);
      fs.rmSync(small, { recursive: true, force: true });
    }
  });

  describe('restore', () => {
    let archive = '';
    let source = '';
    let sha = '';
    before(async () => {
      source = uniqueName('vlab-rsrc');
      await client.createVolume({ name: source, labels });
      await runWithVolume(source, SAMPLE);
      archive = path.join(dir, `${source}.tar.gz`);
      sha = (await backupVolume(client, source, archive)).sha256;
    });
    const tempVolumesLeft = async () =>
      ((await testDocker().listVolumes({ filters: { label: ['volumes-lab.restore-of'] } })).Volumes ?? []).length;

    it('restores through parallel uploads exactly as the files were: modes, owners, times, hard links, long and non-UTF-8 names', async function () {
      if (process.getuid?.() !== 0) this.skip(); // the source tree needs chown
      const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-tree-'));
      const at = (...parts: string[]) => path.join(tree, ...parts);
      const past = new Date('2021-03-04T05:06:07Z');
      fs.mkdirSync(at('etc'), { mode: 0o700 });
      fs.writeFileSync(at('etc', 'app.conf'), 'port=80\n', { mode: 0o600 });
      fs.chownSync(at('etc', 'app.conf'), 1000, 1001);
      fs.writeFileSync(at('etc', 'locked'), 'nobody reads this');
      fs.chmodSync(at('etc', 'locked'), 0);
      for (let d = 0; d < 12; d++) {
        fs.mkdirSync(at(`d${d}`));
        for (let f = 0; f < 20; f++)
          fs.writeFileSync(at(`d${d}`, `f${f}.txt`), `folder ${d} file ${f}\n`.repeat(f * 10));
      }
      fs.linkSync(at('d0', 'f3.txt'), at('d7', 'same-inode.txt'));
      fs.symlinkSync('d0/f1.txt', at('latest'));
      const deep = at(...Array.from({ length: 8 }, (_, i) => `a-rather-long-folder-name-${i}`));
      fs.mkdirSync(deep, { recursive: true });
      fs.writeFileSync(path.join(deep, 'at-the-bottom.txt'), 'deep');
      fs.writeFileSync(Buffer.from(`${tree}/caf\xe9.txt`, 'latin1'), 'a Latin-1 file name');
      fs.mkdirSync(at('read-only'));
      fs.writeFileSync(at('read-only', 'inside.txt'), 'written before the folder was closed');
      fs.chmodSync(at('read-only'), 0o555);
      fs.mkdirSync(at('empty'), { mode: 0o750 });
      fs.chownSync(at('empty'), 33, 33);
      // Times last, deepest first, so that creating entries does not move a folder's time again.
      const all = execFileSync('find', ['.', '-mindepth', '1', '-print0'], { cwd: tree })
        .toString('latin1')
        .split('\0')
        .filter(Boolean);
      for (const entry of all.sort((a, b) => b.split('/').length - a.split('/').length)) {
        fs.lutimesSync(
          Buffer.from(path.join(tree, entry), 'latin1'),
          past,
          new Date(past.getTime() + all.indexOf(entry) * 1000),
        );
      }
      const file = path.join(dir, 'tree.tar.gz');
      execFileSync('tar', ['czf', file, '-C', tree, '.']); // GNU tar: GNU long-name records, like many CLI archives

      const expected = all
        .map((entry) => {
          const st = fs.lstatSync(Buffer.from(path.join(tree, entry), 'latin1'));
          return `${entry}|${st.mode.toString(8)}|${st.uid}:${st.gid}|${Math.floor(st.mtimeMs / 1000)}|${st.nlink}|${st.isDirectory() ? '-' : st.size}`;
        })
        .sort();
      const statListing = async (volume: string) => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-stat-'));
        try {
          await cliWay(
            volume,
            out,
            'cd /data && find . -mindepth 1 | while IFS= read -r f; do stat -c "%n|%f|%u:%g|%Y|%h|%s|%F" "$f"; done > /backup/list',
          );
          return fs
            .readFileSync(path.join(out, 'list'))
            .toString('latin1')
            .trim()
            .split('\n')
            .map((line) => {
              const [name, hexMode, owner, mtime, links, size, kind] = line.split('|');
              return `${name}|${parseInt(hexMode!, 16).toString(8)}|${owner}|${mtime}|${links}|${kind === 'directory' ? '-' : size}`;
            })
            .sort();
        } finally {
          fs.rmSync(out, { recursive: true, force: true });
        }
      };
      try {
        const target = uniqueName('vlab-rtree');
        const result = await restoreVolume(client, {
          archive: file,
          target,
          mode: 'new',
          parallel: 3,
          create: { labels },
          shellImage: TEST_IMAGE,
          networkMode: 'none',
          labels,
        });
        assert.equal(result.targetFiles, all.length + 1);
        assert.deepEqual(await statListing(target), expected);
        // The course's tar xzf gives the same names and contents from the same archive.
        const viaCli = uniqueName('vlab-rtree-cli');
        await client.createVolume({ name: viaCli, labels });
        await cliWay(viaCli, dir, `tar xzf /backup/${path.basename(file)} -C /data`);
        const namesAndSizes = (lines: string[]) =>
          lines.map((line) => {
            const f = line.split('|');
            return `${f[0]}|${f[5]}|${f[4]}`;
          });
        assert.deepEqual(namesAndSizes(await statListing(target)), namesAndSizes(await statListing(viaCli)));
      } finally {
        execFileSync('chmod', ['-R', 'u+w', tree]);
        fs.rmSync(tree, { recursive: true, force: true });
      }
    });

    it('restores into a new volume with the driver and labels of the manifest', async () => {
      const target = uniqueName('vlab-rnew');
      const { deps, cli } = flowDeps();
      const manifest: BackupManifest = {
        format: 'docker-volumes-lab/backup@1',
        volume: source,
        driver: 'local',
        options: {},
        labels: { ...labels, origin: source },
        bytes: 0,
        files: 8,
        archiveBytes: fs.statSync(archive).size,
        sha256: sha,
        engineVersion: '',
        createdAt: new Date().toISOString(),
      };
      const result = await restoreArchiveFlow(deps, {
        file: archive,
        target,
        mode: 'new',
        manifest,
        create: { driver: manifest.driver, labels: manifest.labels },
        maxContentBytes: undefined,
        maxEntries: undefined,
        stop: [],
        helper,
      });
      assert.ok(
        cli.some((line) => line.includes('volume create') && line.includes(target) && line.includes('origin=')),
        `the volume created as the manifest says is shown: ${cli.join('\n')}`,
      );
      await assert.rejects(
        restoreArchiveFlow(deps, {
          file: archive,
          target: uniqueName('vlab-rbadsum'),
          mode: 'new',
          manifest: { ...manifest, sha256: '0'.repeat(64) },
          create: { labels },
          maxContentBytes: undefined,
          maxEntries: undefined,
          stop: [],
          helper,
        }),
        (e: unknown) => e instanceof DockerError,
        "an archive that is not the manifest's is refused",
      );
      assert.equal(result.files, 8);
      assert.equal(result.targetFiles, 8);
      assert.equal(await listing(target), await listing(source));
      assert.equal((await client.inspectVolume(target)).labels.origin, source);
    });

    it('replaces the content of an existing volume, unused or held by a stopped container', async () => {
      for (const held of [false, true]) {
        const target = uniqueName('vlab-rrep');
        await client.createVolume({ name: target, labels: { ...labels, keep: 'me' } });
        await runWithVolume(target, 'echo old > /data/old.txt');
        if (held)
          await testDocker().createContainer({
            Image: TEST_IMAGE,
            Cmd: ['sh'],
            Labels: labels,
            HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: target, Target: '/data' }] },
          });
        await restoreVolume(client, {
          archive,
          target,
          mode: 'replace',
          shellImage: TEST_IMAGE,
          networkMode: 'none',
          labels,
        });
        assert.equal(await listing(target), await listing(source), `replace (${held ? 'held' : 'unused'})`);
        assert.equal((await client.inspectVolume(target)).labels.keep, 'me', 'labels kept');
      }
      assert.equal(await tempVolumesLeft(), 0);
    });

    it('refuses a "new" restore onto a volume that exists, instead of silently merging', async () => {
      const target = uniqueName('vlab-rexists');
      await client.createVolume({ name: target, labels });
      await assert.rejects(
        restoreVolume(client, { archive, target, mode: 'new' }),
        (e: unknown) => e instanceof DockerError && e.kind === 'conflict',
      );
      assert.deepEqual(await measureVolume(client, target), { files: 1, contentBytes: 0 }, 'still empty');
    });

    it('merges into an existing volume', async () => {
      const target = uniqueName('vlab-rmerge');
      await client.createVolume({ name: target, labels });
      await runWithVolume(target, 'echo mine > /data/mine.txt');
      const result = await restoreVolume(client, { archive, target, mode: 'merge', labels });
      assert.equal(result.targetFiles, result.files + 1);
    });

    it('leaves the target exactly as it was when the archive is bad', async () => {
      const target = uniqueName('vlab-rsafe');
      await client.createVolume({ name: target, labels });
      await runWithVolume(
        target,
        'mkdir -p /data/app && echo precious > /data/app/readme.txt && dd if=/dev/zero of=/data/app/blob bs=1k count=3 2>/dev/null',
      );
      const before = await listing(target);
      const truncated = path.join(dir, 'r-truncated.tar.gz');
      fs.writeFileSync(truncated, fs.readFileSync(archive).subarray(0, Math.floor(fs.statSync(archive).size / 2)));
      const escape = path.join(dir, 'r-escape.tar.gz');
      await writeArchive(escape, [
        { name: './ok.txt', body: 'x' },
        { name: './../../evil.txt', body: 'x' },
      ]);
      // Counted while read as 3 entries of 6 bytes; the volume then holds 2 of 3: caught before the target is touched.
      const twice = path.join(dir, 'r-twice.tar.gz');
      await writeArchive(twice, [
        { name: './', type: 'directory' },
        { name: './a.txt', body: 'one' },
        { name: './a.txt', body: 'two' },
      ]);
      for (const [bad, why, expected] of [
        [truncated, /damaged/, undefined],
        [archive, /checksum does not match/, '0'.repeat(64)],
        [escape, /outside its folder/, undefined],
        [twice, /restored volume holds 2 entries \(3 bytes\); the archive had 3 \(6 bytes\)/, undefined],
      ] as const) {
        for (const mode of ['replace', 'merge'] as const) {
          await assert.rejects(
            restoreVolume(client, {
              archive: bad,
              target,
              mode,
              shellImage: TEST_IMAGE,
              networkMode: 'none',
              labels,
              ...(expected ? { expectedSha256: expected } : {}),
            }),
            why,
          );
          assert.equal(await listing(target), before, `${path.basename(bad)} ${mode}: target untouched`);
        }
        const fresh = uniqueName('vlab-rfresh');
        await assert.rejects(
          restoreVolume(client, {
            archive: bad,
            target: fresh,
            mode: 'new',
            ...(expected ? { expectedSha256: expected } : {}),
          }),
          why,
        );
        await assert.rejects(client.inspectVolume(fresh), 'a new target is removed again');
      }
      assert.equal(await tempVolumesLeft(), 0, 'no temporary volume left');
      assert.equal((await client.listVolumeHelpers()).length, 0, 'no helper left');
    });

    it('stops every parallel upload when cancelled, and leaves no volume or helper behind', async () => {
      const big = uniqueName('vlab-rbig');
      await client.createVolume({ name: big, labels });
      await runWithVolume(
        big,
        'for d in 1 2 3 4; do mkdir /data/d$d && dd if=/dev/urandom of=/data/d$d/blob bs=1M count=10 2>/dev/null; done',
      );
      const bigArchive = path.join(dir, `${big}.tar.gz`);
      await backupVolume(client, big, bigArchive);
      const existing = uniqueName('vlab-rcancel-into');
      await client.createVolume({ name: existing, labels });
      await runWithVolume(existing, 'echo keep > /data/keep.txt');
      const before = await measureVolume(client, existing);
      for (const [target, mode] of [
        [uniqueName('vlab-rcancel'), 'new'],
        [existing, 'replace'],
      ] as const) {
        const controller = new AbortController();
        await assert.rejects(
          restoreVolume(
            client,
            { archive: bigArchive, target, mode, parallel: 3, shellImage: TEST_IMAGE, networkMode: 'none', labels },
            {
              signal: controller.signal,
              onProgress: (p) => {
                if (p.bytes > 8 * 1024 * 1024) controller.abort();
              },
            },
          ),
          (e: unknown) => e instanceof DockerError && e.kind === 'cancelled',
          mode,
        );
        if (mode === 'new') await assert.rejects(client.inspectVolume(target), 'the new target is removed again');
        else assert.deepEqual(await measureVolume(client, existing), before, 'the existing target is untouched');
      }
      assert.equal(await tempVolumesLeft(), 0, 'no temporary volume left');
      assert.equal((await client.listVolumeHelpers()).length, 0, 'no helper left');
    });
  });
});

describe('scheduled backups through the flow, on a real engine', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-scheduled-'));
  after(async () => {
    await cleanupTestObjects();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A volume holding SAMPLE, used by a running container, and a folder with two older archives of it. */
  async function scheduledSetup(): Promise<{ volume: string; holder: string; folder: string; old: string[] }> {
    const volume = uniqueName('vlab-sched');
    await client.createVolume({ name: volume, labels });
    await runWithVolume(volume, SAMPLE);
    const holder = uniqueName('vlab-holder');
    const container = await testDocker().createContainer({
      name: holder,
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: labels,
      HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
    });
    await container.start();
    const folder = fs.mkdtempSync(path.join(dir, 'folder '));
    const old = [3, 2].map((days) => {
      const file = path.join(folder, backupFileName(volume, new Date(Date.now() - days * 86_400_000)));
      fs.writeFileSync(file, 'an older backup');
      return file;
    });
    return { volume, holder, folder, old };
  }
  const running = async (name: string) => (await testDocker().getContainer(name).inspect()).State.Running;

  it('stops the users, writes a checked archive and its manifest, starts them again, applies retention, and shows lines the CLI runs', async () => {
    const { volume, holder, folder, old } = await scheduledSetup();
    const { deps, cli } = flowDeps();
    const request = { volume, folder, consistency: 'stop' as const, level: 1, keep: { count: 2 }, helper };
    const { file, manifest, deleted } = await scheduledBackupFlow(deps, request);
    assert.equal(path.dirname(file), folder);
    assert.deepEqual(deleted, [old[0]]);
    assert.deepEqual(
      fs.readdirSync(folder).sort(),
      [old[1]!, file, manifestFileName(file)].map((f) => path.basename(f)).sort(),
    );
    const onDisk = JSON.parse(fs.readFileSync(manifestFileName(file), 'utf8')) as BackupManifest;
    assert.deepEqual(onDisk, manifest);
    assert.equal(onDisk.volume, volume);
    assert.deepEqual(onDisk.labels, labels);
    const check = await verifyArchive(file, { expectedSha256: onDisk.sha256 });
    assert.equal(check.files, onDisk.files);
    assert.ok(await running(holder), 'the user runs again');
    const target = deps.daemon.cliTarget;
    assert.deepEqual(cli, [
      stopLine(holder, target),
      backupLine(volume, file, helper, target),
      startLine(holder, target),
    ]);
    // The backup line shown, pasted into a shell, writes an archive holding the same entries.
    const ours = await archiveEntries(file);
    fs.rmSync(file);
    execFileSync('bash', ['-c', cli[1]!], { env: { ...process.env, PATH: `/usr/bin:${process.env.PATH ?? ''}` } });
    assert.deepEqual(await archiveEntries(file), ours);
  });

  it('cancelled, leaves no file and deletes nothing, with the users running again', async () => {
    const { volume, holder, folder, old } = await scheduledSetup();
    const { deps } = flowDeps();
    const request = { volume, folder, consistency: 'stop' as const, level: 1, keep: { count: 1 }, helper };
    await assert.rejects(
      scheduledBackupFlow(deps, { ...request, signal: AbortSignal.abort() }),
      (e: unknown) => e instanceof DockerError && e.kind === 'cancelled',
    );
    assert.deepEqual(fs.readdirSync(folder).sort(), old.map((f) => path.basename(f)).sort());
    assert.ok(await running(holder), 'the user runs again');
    assert.equal((await client.listVolumeHelpers()).length, 0, 'no helper left');
  });

  it('refuses a folder it cannot write into as a local file error, before stopping anything', async () => {
    const { volume, holder, folder } = await scheduledSetup();
    const notAFolder = path.join(folder, 'a file');
    fs.writeFileSync(notAFolder, '');
    const { deps, cli } = flowDeps();
    const request = { volume, folder: notAFolder, consistency: 'stop' as const, level: 1, keep: {}, helper };
    await assert.rejects(
      scheduledBackupFlow(deps, request),
      (e: unknown) => e instanceof DockerError && e.kind === 'localFile',
    );
    assert.deepEqual(cli, [], 'nothing stopped, nothing written');
    assert.ok(await running(holder));
    assert.equal(fs.readFileSync(notAFolder, 'utf8'), '');
  });
});
