// The test side of the cli-equivalence suite: run a shown line with the real docker CLI, and read what a
// container, a volume, a volume's tree or an archive really hold, independently of the code under test.
import Docker from 'dockerode';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { shellQuote } from '../../src/core/cli';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from './docker';

/** Debian's docker CLI (docker.io), whatever else PATH holds. */
export const DOCKER_CLI = process.env.VOLUMES_LAB_DOCKER_CLI || '/usr/bin/docker';

/** Awkward but legal: what users' paths and values really hold. */
export const AWKWARD = `dossier d'été $HOME "q" \`x\``;

export interface LineResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface LineOptions {
  /** The CLI sees no DOCKER_HOST, as for an endpoint only our setting names (the line's `-H` must do). */
  withoutEnvDaemon?: boolean;
  /**
   * A CLI on another machine than the daemon: no DOCKER_HOST, and the folder `seen` holds, for the CLI
   * only, what `real` holds. A line that binds `seen` on the daemon gets the daemon host's folder instead.
   */
  clientView?: { seen: string; real: string };
}

export class Harness {
  readonly client = new DockerodeClient({
    endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
    timeoutMs: 60_000,
  });
  readonly docker: Docker = testDocker();
  readonly image = TEST_IMAGE;
  /** A folder whose own name needs quoting, for bind sources, backups and dumps. */
  readonly dir: string;
  /** Where a planted `$(touch …)` in a name would leave its mark. */
  readonly pwned: string;
  private readonly bin: string;
  private readonly madeContainers = new Set<string>();
  private readonly madeVolumes = new Set<string>();

  constructor() {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-eq-'));
    this.dir = path.join(root, AWKWARD);
    fs.mkdirSync(this.dir);
    // Containers write as root into folders the test reads and deletes.
    fs.chmodSync(this.dir, 0o777);
    this.pwned = path.join(root, 'pwned');
    this.bin = path.join(root, 'bin');
    fs.mkdirSync(this.bin);
    fs.symlinkSync(DOCKER_CLI, path.join(this.bin, 'docker'));
  }

  /**
   * Two folders for a CLI that is not on the daemon's host (`line`'s `clientView`): `seen` is where the
   * user's files are for the CLI, `real` where the test reads and writes them.
   */
  remoteFolders(label: string): { seen: string; real: string } {
    const seen = path.join(this.dir, `${label} vu du client`);
    const real = path.join(this.dir, `${label} réel`);
    for (const dir of [seen, real]) {
      fs.mkdirSync(dir);
      fs.chmodSync(dir, 0o777);
    }
    return { seen, real };
  }

  /** A name only this run uses; objects the CLI makes under it are removed at the end. */
  name(prefix: string): string {
    return uniqueName(`vlab-eq-${prefix}`);
  }

  /** A `$(touch …)` that must stay text (lines run in the folder of `pwned`): for file names in shown lines. */
  readonly planted = '$(touch pwned)';

  /** Runs a shown line as a shell line (it is one), with Debian's docker first on PATH. */
  line(line: string, input = '', options: LineOptions = {}): Promise<LineResult> {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${this.bin}:${process.env.PATH ?? ''}` };
    if (options.withoutEnvDaemon || options.clientView) {
      delete env.DOCKER_HOST;
      delete env.DOCKER_CONTEXT;
      env.DOCKER_CONFIG = path.join(path.dirname(this.pwned), 'no-docker-config');
    }
    const view = options.clientView;
    // The CLI's own mount namespace: there `view.seen` shows `view.real`, while the daemon still sees the
    // real (empty) `view.seen`, as a daemon on another host would.
    const argv = view
      ? ['unshare', '-m', 'sh', '-c', 'mount --bind "$1" "$2" && exec sh -c "$3"', 'sh', view.real, view.seen, line]
      : ['sh', '-c', line];
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), { cwd: path.dirname(this.pwned), env });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', reject);
      child.on('close', (code) =>
        resolve({
          code: code ?? -1,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
      child.stdin.end(input);
    });
  }

  /** Runs a line that must succeed; its stdout. */
  async ok(line: string, input = '', options: LineOptions = {}): Promise<string> {
    const result = await this.line(line, input, options);
    if (result.code !== 0) throw new Error(`exit ${result.code}: ${line}\n${result.stderr}`);
    return result.stdout;
  }

  /** A line run through `script`, which gives `-it` the terminal it asks for. */
  async inTerminal(line: string, input: string): Promise<string> {
    return this.ok(`script -qec ${shellQuote(line)} /dev/null`, input);
  }

  /** The id a `docker run -d` / `docker create` line printed, remembered for clean-up. */
  async created(line: string): Promise<string> {
    const id = (await this.ok(line)).trim().split('\n').pop() ?? '';
    if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`no container id from: ${line}`);
    this.madeContainers.add(id);
    return id;
  }

  track(kind: 'container' | 'volume', idOrName: string): void {
    (kind === 'container' ? this.madeContainers : this.madeVolumes).add(idOrName);
  }

  async volume(prefix: string, fill?: string): Promise<string> {
    const name = this.name(prefix);
    await this.client.createVolume({ name, labels: { [TEST_LABEL]: '1' } });
    if (fill) await this.tool(name, ['sh', '-c', fill]);
    return name;
  }

  /** Runs a test-side command (argv, no shell) with `volume` at /data; its stdout. */
  tool(volume: string, argv: string[], readOnly = false): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        DOCKER_CLI,
        [
          'run',
          '--rm',
          '--network',
          'none',
          '--label',
          `${TEST_LABEL}=1`,
          '-v',
          `${volume}:/data${readOnly ? ':ro' : ''}`,
          this.image,
          ...argv,
        ],
        { maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
  }

  /** Every entry of a volume: path, type, size (files), mode, owner. */
  async tree(volume: string): Promise<string[]> {
    const out = await this.tool(
      volume,
      [
        'sh',
        '-c',
        'cd /data && find . -mindepth 1 | while IFS= read -r f; do stat -c "%n|%F|%s|%a|%u:%g" "$f" | sed "s/|directory|[0-9]*|/|directory|-|/"; done',
      ],
      true,
    );
    return out.split('\n').filter(Boolean).sort();
  }

  async exists(kind: 'container' | 'volume', name: string): Promise<boolean> {
    try {
      await (kind === 'container' ? this.docker.getContainer(name).inspect() : this.docker.getVolume(name).inspect());
      return true;
    } catch {
      return false;
    }
  }

  async cleanup(): Promise<void> {
    for (const id of this.madeContainers)
      await this.docker
        .getContainer(id)
        .remove({ force: true, v: true })
        .catch(() => undefined);
    for (const name of this.madeVolumes)
      await this.docker
        .getVolume(name)
        .remove({ force: true })
        .catch(() => undefined);
    fs.rmSync(path.dirname(this.dir), { recursive: true, force: true });
  }
}

// --- What a container is --------------------------------------------------------------------------------------

export interface ContainerFacts {
  image: string;
  cmd: string[];
  workingDir: string;
  env: string[];
  /** Labels other than our own bookkeeping (`volumes-lab.*`), which no shown line promises. */
  labels: Record<string, string>;
  started: boolean;
  networkMode: string;
  volumesFrom: string[];
  /** Volumes and binds as the engine mounted them; anonymous volume names are not compared. */
  mounts: { type: string; source: string; destination: string; rw: boolean; propagation: string; relabel: string }[];
  /** `--tmpfs` (HostConfig.Tmpfs) and `--mount type=tmpfs` alike: target, size in bytes, mode. */
  tmpfs: { target: string; sizeBytes?: number; mode?: number }[];
}

function tmpfsSizeBytes(text: string): number {
  const m = /^(\d+)([kmg]?)$/i.exec(text);
  if (!m) throw new Error(`tmpfs size ${text}`);
  return (
    Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[m[2]!.toLowerCase()]!
  );
}

export async function containerFacts(docker: Docker, id: string): Promise<ContainerFacts> {
  const raw = await docker.getContainer(id).inspect();
  const host = raw.HostConfig as {
    Tmpfs?: Record<string, string>;
    Mounts?: { Type: string; Target: string; TmpfsOptions?: { SizeBytes?: number; Mode?: number } }[];
    VolumesFrom?: string[] | null;
    NetworkMode?: string;
  };
  const tmpfs: ContainerFacts['tmpfs'] = [];
  for (const [target, options] of Object.entries(host.Tmpfs ?? {})) {
    const size = /(?:^|,)size=([^,]+)/.exec(options)?.[1];
    const mode = /(?:^|,)mode=([0-7]+)/.exec(options)?.[1];
    tmpfs.push({
      target,
      ...(size ? { sizeBytes: tmpfsSizeBytes(size) } : {}),
      ...(mode ? { mode: parseInt(mode, 8) } : {}),
    });
  }
  for (const m of host.Mounts ?? []) {
    if (m.Type !== 'tmpfs') continue;
    tmpfs.push({
      target: m.Target,
      ...(m.TmpfsOptions?.SizeBytes ? { sizeBytes: m.TmpfsOptions.SizeBytes } : {}),
      ...(m.TmpfsOptions?.Mode ? { mode: m.TmpfsOptions.Mode } : {}),
    });
  }
  const mounts = (
    raw.Mounts as {
      Type: string;
      Name?: string;
      Source: string;
      Destination: string;
      RW: boolean;
      Propagation: string;
      Mode?: string;
    }[]
  )
    .filter((m) => m.Type !== 'tmpfs')
    .map((m) => ({
      type: m.Type,
      source: m.Type === 'volume' ? (/^[0-9a-f]{64}$/.test(m.Name ?? '') ? '<anonymous>' : (m.Name ?? '')) : m.Source,
      destination: m.Destination,
      rw: m.RW,
      propagation: m.Propagation,
      // The SELinux relabel of a bind (`-v …:z`); a volume's Mode says `z` by default whichever way it was made.
      relabel: m.Type === 'bind' ? ((m.Mode ?? '').split(',').find((o) => o === 'z' || o === 'Z') ?? '') : '',
    }))
    .sort((a, b) => a.destination.localeCompare(b.destination));
  return {
    image: raw.Config.Image,
    cmd: raw.Config.Cmd ?? [],
    workingDir: raw.Config.WorkingDir,
    env: [...(raw.Config.Env ?? [])].sort(),
    labels: Object.fromEntries(Object.entries(raw.Config.Labels ?? {}).filter(([k]) => !k.startsWith('volumes-lab.'))),
    started: raw.State.StartedAt !== '0001-01-01T00:00:00Z',
    networkMode: host.NetworkMode ?? '',
    volumesFrom: [...(host.VolumesFrom ?? [])].sort(),
    mounts,
    tmpfs: tmpfs.sort((a, b) => a.target.localeCompare(b.target)),
  };
}

export async function volumeFacts(
  docker: Docker,
  name: string,
): Promise<{ driver: string; options: Record<string, string>; labels: Record<string, string> }> {
  const raw = (await docker.getVolume(name).inspect()) as unknown as {
    Driver: string;
    Options: Record<string, string> | null;
    Labels: Record<string, string> | null;
  };
  return { driver: raw.Driver, options: raw.Options ?? {}, labels: raw.Labels ?? {} };
}

/** The entries of a .tar.gz: path without `./`, type, size, mode. */
export async function archiveEntries(file: string): Promise<string[]> {
  const entries: string[] = [];
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const name = header.name.replace(/^\.\//, '').replace(/\/$/, '');
    if (name && name !== '.')
      entries.push(
        `${name}|${header.type}|${header.type === 'file' ? header.size : '-'}|${((header.mode ?? 0) & 0o7777).toString(8)}`,
      );
    stream.on('end', next);
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    fs.createReadStream(file).on('error', reject).pipe(zlib.createGunzip()).on('error', reject).pipe(extract);
  });
  return entries.sort();
}

/** Files with spaces, quotes, accents, `$`, hidden ones, modes and a symlink: what a real volume holds. */
export const SAMPLE_TREE = [
  'mkdir -p "/data/app/logs" "/data/vide" "/data/été à/sous dossier"',
  'echo bonjour > "/data/app/lisez-moi.txt"',
  'echo \'$HOME $(id)\' > "/data/été à/it\'s \\"quoted\\" \\$x.txt"',
  'dd if=/dev/urandom of=/data/app/blob bs=1024 count=300 2>/dev/null',
  'echo secret > /data/.hidden && chmod 600 /data/.hidden',
  'echo run > /data/app/run.sh && chmod 755 /data/app/run.sh',
  'ln -s lisez-moi.txt /data/app/lien',
].join(' && ');
