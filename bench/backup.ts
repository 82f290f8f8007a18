// BENCH backup / restore / clone on a 320 MB volume (one 200 MB compressible file + 5,000 small files),
// ours against the course's CLI way on the same daemon, in the same run:
//   backup:  docker run --rm -v VOL:/data -v DIR:/backup IMAGE tar czf /backup/x.tar.gz -C /data .
//   restore: docker run --rm -v NEW:/data -v DIR:/backup IMAGE tar xzf /backup/x.tar.gz -C /data
//   clone:   the two above in a row (through a file), against our archive stream straight into a new volume.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar-stream';
import { backupVolume, copyVolumeContent, restoreVolume } from '../src/docker/backup';
import { DockerodeClient } from '../src/docker/dockerodeClient';
import { parseDockerHost } from '../src/docker/endpoint';
import { benchLine, msSince } from './stats';

const LABEL = 'volumes-lab.bench';
const IMAGE = process.env.VOLUMES_LAB_TEST_IMAGE || 'busybox';
const REPEATS = 6;

export function dataset(): tar.Pack {
  const pack = tar.pack();
  const line = (i: number) => `2026-11-25T10:${String(i % 60).padStart(2, '0')}:00Z INFO request ${i} served /api/items/${i % 997} in ${i % 83} ms\n`;
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

function cli(args: string[]): number {
  const t = process.hrtime.bigint();
  execFileSync('docker', args, { stdio: 'ignore' });
  return msSince(t);
}

export async function benchBackup(): Promise<string> {
  const endpoint = { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' as const };
  const client = new DockerodeClient({ endpoint, timeoutMs: 120_000 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-bench-backup-'));
  const source = `bench-data-${Date.now().toString(36)}`;
  const made: string[] = [source];
  const fresh = () => { const n = `bench-r-${Date.now().toString(36)}-${made.length}`; made.push(n); return n; };
  try {
    await client.createVolume({ name: source, labels: { [LABEL]: '1' } });
    const helper = await client.createVolumeHelper(source, { mountPath: '/data', readOnly: false });
    await client.putArchive(helper, '/data', dataset() as never);
    await client.removeContainer(helper, { force: true });
    const run = ['run', '--rm', '--network', 'none'];
    const results = { backup: [[], []], restore: [[], []], clone: [[], []] } as Record<string, [number[], number[]]>;
    let archive = '';
    // Before each timed run, dirty pages of the previous one are written out (sync), so that no run pays for
    // another's writes; and which side goes first alternates between repeats, an even number of them so that
    // each side goes first equally often (right after a repeat removed its volumes the first run is the
    // slower one: ext4 skips recently freed inodes one by one when it creates files).
    const settle = () => execFileSync('sync');
    const timed = async (run: () => Promise<unknown>) => { settle(); const t = process.hrtime.bigint(); await run(); return msSince(t); };
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
      await both('backup', () => backupVolume(client, source, archive),
        () => cli([...run, '-v', `${source}:/data`, '-v', `${dir}:/backup`, IMAGE, 'tar', 'czf', `/backup/cli-${i}.tar.gz`, '-C', '/data', '.']), i);
      // restore: both from the CLI's archive, into new volumes
      const cliTarget = fresh();
      const ourTarget = fresh();
      await both('restore', () => restoreVolume(client, { archive: path.join(dir, `cli-${i}.tar.gz`), target: ourTarget, mode: 'new', create: { labels: { [LABEL]: '1' } }, shellImage: IMAGE, networkMode: 'none', labels: { [LABEL]: '1' } }),
        () => cli([...run, '-v', `${cliTarget}:/data`, '-v', `${dir}:/backup`, IMAGE, 'tar', 'xzf', `/backup/cli-${i}.tar.gz`, '-C', '/data']), i);
      const cloneTarget = fresh();
      const viaFile = fresh();
      await both('clone', async () => {
        await client.createVolume({ name: cloneTarget, labels: { [LABEL]: '1' } });
        await copyVolumeContent(client, source, cloneTarget);
      }, () => cli([...run, '-v', `${source}:/data`, '-v', `${dir}:/backup`, IMAGE, 'tar', 'czf', `/backup/clone-${i}.tar.gz`, '-C', '/data', '.'])
        + cli([...run, '-v', `${viaFile}:/data`, '-v', `${dir}:/backup`, IMAGE, 'tar', 'xzf', `/backup/clone-${i}.tar.gz`, '-C', '/data']), i);
      for (const f of fs.readdirSync(dir)) if (!f.startsWith('ours-0') && !f.startsWith('cli-0')) fs.rmSync(path.join(dir, f), { force: true });
      for (const v of made.splice(1)) await client.removeVolume(v, { force: true }).catch(() => undefined);
    }
    // BENCH_SAMPLES=1: every timing, for a machine whose disk makes medians swing.
    if (process.env.BENCH_SAMPLES) console.error(JSON.stringify(results, (_k, v: unknown) => typeof v === 'number' ? Math.round(v) : v));
    const size = (f: string) => (fs.statSync(path.join(dir, f)).size / 1e6).toFixed(0);
    return [
      `${benchLine('backup', 'ms', results.backup![0], results.backup![1])} [archive ours ${size('ours-0.tar.gz')} MB, CLI ${size('cli-0.tar.gz')} MB]`,
      benchLine('restore', 'ms', results.restore![0], results.restore![1]),
      benchLine('clone', 'ms', results.clone![0], results.clone![1]),
    ].join('\n');
  } finally {
    for (const v of made) await client.removeVolume(v, { force: true }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
