// BENCH backup / restore / clone on a 320 MB volume (one 200 MB compressible file + 5,000 small files),
// ours against the course's CLI way on the same daemon, in the same run:
//   backup:  docker run --rm -v VOL:/data -v DIR:/backup IMAGE tar czf /backup/x.tar.gz -C /data .
//   restore: docker run --rm -v NEW:/data -v DIR:/backup IMAGE tar xzf /backup/x.tar.gz -C /data
//   clone:   the two above in a row (through a file), against our archive stream straight into a new volume.
// Beside each ratio, the floor measured in the same run on the same volume: the raw archive stream out
// (no compression, no file), a raw putArchive of the already-decompressed tar in, and the raw stream
// from one volume straight into another.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import type { DockerClient } from '../src/docker/client';
import { backupVolume } from '../src/docker/backup';
import { restoreVolume } from '../src/docker/restore';
import { copyVolumeContent } from '../src/docker/upload';
import { DockerodeClient } from '../src/docker/dockerodeClient';
import { parseDockerHost } from '../src/docker/endpoint';
import { benchLine, floorSuffix, msSince } from './stats';

const LABEL = 'volumes-lab.bench';
const IMAGE = process.env.VOLUMES_LAB_TEST_IMAGE || 'busybox';
const REPEATS = 6;

export function dataset(): tar.Pack {
  const pack = tar.pack();
  const line = (i: number) =>
    `2026-11-25T10:${String(i % 60).padStart(2, '0')}:00Z INFO request ${i} served /api/items/${i % 997} in ${i % 83} ms\n`;
  let text = '';
  for (let i = 0; text.length < 1024 * 1024; i++) text += line(i);
  const mib = Buffer.from(text.slice(0, 1024 * 1024));
  const big = pack.entry({ name: './logs/app.log', size: 200 * 1024 * 1024 });
  for (let i = 0; i < 200; i++) big.write(mib);
  big.end(() => undefined);
  const small = Buffer.alloc(24 * 1024, 'x');
  for (let i = 0; i < 5000; i++) {
    for (let j = 0; j < small.length; j += 64) small.write(String(i * 7919 + j).padStart(8, '0'), j);
    pack.entry({ name: `./files/${String(Math.floor(i / 100)).padStart(2, '0')}/f${i}.dat` }, small);
  }
  pack.finalize();
  return pack;
}

/** Runs `work` with a never-started helper container mounting `volume` at /data, then removes it. */
async function withHelper<T>(
  client: DockerClient,
  volume: string,
  readOnly: boolean,
  work: (id: string) => Promise<T>,
): Promise<T> {
  const helper = await client.createVolumeHelper(volume, { mountPath: '/data', readOnly });
  try {
    return await work(helper);
  } finally {
    await client.removeContainer(helper, { force: true });
  }
}

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/** Floor of a backup: the Engine's archive stream of the volume, read and dropped. */
function rawOut(client: DockerClient, volume: string): Promise<void> {
  return withHelper(client, volume, true, async (id) => pipeline(await client.getArchive(id, '/data/.'), discard()));
}

/** Floor of a restore: a new volume, and the decompressed tar put into it in one stream. */
async function rawIn(client: DockerClient, volume: string, tarFile: string): Promise<void> {
  await client.createVolume({ name: volume, labels: { [LABEL]: '1' } });
  await withHelper(client, volume, false, (id) => client.putArchive(id, '/data', fs.createReadStream(tarFile)));
}

/** Floor of a clone: a new volume, and the source's archive stream put straight into it. */
async function rawCopy(client: DockerClient, from: string, to: string): Promise<void> {
  await client.createVolume({ name: to, labels: { [LABEL]: '1' } });
  await withHelper(client, from, true, (source) =>
    withHelper(client, to, false, async (target) =>
      client.putArchive(target, '/data', await client.getArchive(source, '/data/.')),
    ),
  );
}

function cli(args: string[]): number {
  const t = process.hrtime.bigint();
  execFileSync('docker', args, { stdio: 'ignore' });
  return msSince(t);
}

export async function benchBackup(): Promise<string> {
  const endpoint = {
    ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'),
    source: 'env' as const,
  };
  const client = new DockerodeClient({ endpoint, timeoutMs: 120_000 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-bench-backup-'));
  const source = `bench-data-${Date.now().toString(36)}`;
  const made: string[] = [source];
  const fresh = () => {
    const n = `bench-r-${Date.now().toString(36)}-${made.length}`;
    made.push(n);
    return n;
  };
  try {
    await client.createVolume({ name: source, labels: { [LABEL]: '1' } });
    const helper = await client.createVolumeHelper(source, { mountPath: '/data', readOnly: false });
    await client.putArchive(helper, '/data', dataset() as never);
    await client.removeContainer(helper, { force: true });
    const run = ['run', '--rm', '--network', 'none'];
    const results = { backup: [[], []], restore: [[], []], clone: [[], []] } as Record<string, [number[], number[]]>;
    const floors: Record<string, number[]> = { backup: [], restore: [], clone: [] };
    const rawTar = path.join(dir, 'raw.tar');
    let archive = '';
    // Before each timed run, dirty pages of the previous one are written out (sync), so that no run pays for
    // another's writes; and which side goes first alternates between repeats, an even number of them so that
    // each side goes first equally often (right after a repeat removed its volumes the first run is the
    // slower one: ext4 skips recently freed inodes one by one when it creates files).
    const settle = () => execFileSync('sync');
    const timed = async (run: () => Promise<unknown>) => {
      settle();
      const t = process.hrtime.bigint();
      await run();
      return msSince(t);
    };
    const both = async (name: string, ours: () => Promise<unknown>, theirs: () => number, i: number) => {
      if (i % 2) {
        settle();
        results[name]![1].push(theirs());
        results[name]![0].push(await timed(ours));
      } else {
        results[name]![0].push(await timed(ours));
        settle();
        results[name]![1].push(theirs());
      }
    };
    for (let i = 0; i < REPEATS; i++) {
      archive = path.join(dir, `ours-${i}.tar.gz`);
      await both(
        'backup',
        () => backupVolume(client, source, archive),
        () =>
          cli([
            ...run,
            '-v',
            `${source}:/data`,
            '-v',
            `${dir}:/backup`,
            IMAGE,
            'tar',
            'czf',
            `/backup/cli-${i}.tar.gz`,
            '-C',
            '/data',
            '.',
          ]),
        i,
      );
      floors.backup!.push(await timed(() => rawOut(client, source)));
      if (!fs.existsSync(rawTar))
        await pipeline(
          fs.createReadStream(path.join(dir, 'cli-0.tar.gz')),
          zlib.createGunzip(),
          fs.createWriteStream(rawTar),
        );
      // restore: both from the CLI's archive, into new volumes
      const cliTarget = fresh();
      const ourTarget = fresh();
      await both(
        'restore',
        () =>
          restoreVolume(client, {
            archive: path.join(dir, `cli-${i}.tar.gz`),
            target: ourTarget,
            mode: 'new',
            create: { labels: { [LABEL]: '1' } },
            shellImage: IMAGE,
            networkMode: 'none',
            labels: { [LABEL]: '1' },
          }),
        () =>
          cli([
            ...run,
            '-v',
            `${cliTarget}:/data`,
            '-v',
            `${dir}:/backup`,
            IMAGE,
            'tar',
            'xzf',
            `/backup/cli-${i}.tar.gz`,
            '-C',
            '/data',
          ]),
        i,
      );
      const floorTarget = fresh();
      floors.restore!.push(await timed(() => rawIn(client, floorTarget, rawTar)));
      const cloneTarget = fresh();
      const viaFile = fresh();
      await both(
        'clone',
        async () => {
          await client.createVolume({ name: cloneTarget, labels: { [LABEL]: '1' } });
          await copyVolumeContent(client, source, cloneTarget);
        },
        () =>
          cli([
            ...run,
            '-v',
            `${source}:/data`,
            '-v',
            `${dir}:/backup`,
            IMAGE,
            'tar',
            'czf',
            `/backup/clone-${i}.tar.gz`,
            '-C',
            '/data',
            '.',
          ]) +
          cli([
            ...run,
            '-v',
            `${viaFile}:/data`,
            '-v',
            `${dir}:/backup`,
            IMAGE,
            'tar',
            'xzf',
            `/backup/clone-${i}.tar.gz`,
            '-C',
            '/data',
          ]),
        i,
      );
      const floorCopy = fresh();
      floors.clone!.push(await timed(() => rawCopy(client, source, floorCopy)));
      for (const f of fs.readdirSync(dir))
        if (!f.startsWith('ours-0') && !f.startsWith('cli-0') && f !== 'raw.tar')
          fs.rmSync(path.join(dir, f), { force: true });
      for (const v of made.splice(1)) await client.removeVolume(v, { force: true }).catch(() => undefined);
    }
    // BENCH_SAMPLES=1: every timing, for a machine whose disk makes medians swing.
    if (process.env.BENCH_SAMPLES)
      console.error(
        JSON.stringify({ ...results, floors }, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v)),
      );
    const size = (f: string) => (fs.statSync(path.join(dir, f)).size / 1e6).toFixed(0);
    return [
      `${benchLine('backup', 'ms', results.backup![0], results.backup![1])}${floorSuffix(results.backup![0], floors.backup!)} [archive ours ${size('ours-0.tar.gz')} MB, CLI ${size('cli-0.tar.gz')} MB]`,
      `${benchLine('restore', 'ms', results.restore![0], results.restore![1])}${floorSuffix(results.restore![0], floors.restore!)}`,
      `${benchLine('clone', 'ms', results.clone![0], results.clone![1])}${floorSuffix(results.clone![0], floors.clone!)}`,
    ].join('\n');
  } finally {
    for (const v of made) await client.removeVolume(v, { force: true }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
