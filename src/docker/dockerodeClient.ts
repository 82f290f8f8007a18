import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, pipeline, Readable, Writable } from 'node:stream';
import * as tar from 'tar-stream';
import type Dockerode from 'dockerode';
import { raceAbort, withTimeout, type TimeoutGuard } from './abort';
import type { ApiLogger, DockerClient } from './client';
import { describeEndpoint, type Endpoint } from './endpoint';
import { hostKeyVerdict, type HostKeyVerdict } from './knownHosts';
import { DockerError, toDockerError } from './errors';
import { normalizeDiskUsage } from './diskUsage';
import type {
  ContainerDetails, ContainerMount, ContainerRunSpec, ContainerSummary, DiskUsage, DockerEvent, EngineInfo, ImageDetails, MountRequest, MountType,
  VolumeCreateSpec, VolumeSummary,
} from './types';

/** The newest API version whose response shapes this client knows. Newer engines are spoken to at this one. */
export const MAX_API_VERSION = '1.52';

/** Label on every helper container and on the helper image, so leftovers can be found and swept. */
export const HELPER_LABEL = 'volumes-lab.helper';
/** The extension's own image for helper containers: an empty file system, imported, never pulled. */
export const HELPER_IMAGE = 'volumes-lab/helper:1';
const ANONYMOUS_NAME = /^[0-9a-f]{64}$/;

export interface DockerodeClientOptions {
  endpoint: Endpoint;
  logger?: ApiLogger;
  /** Per-request timeout in milliseconds (0: none). */
  timeoutMs?: number;
  /**
   * Private keys to try for ssh:// endpoints when no ssh agent is running (`SSH_AUTH_SOCK`); the first
   * readable one is used. Default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa.
   */
  sshKeyFiles?: string[];
  /** known_hosts files for ssh:// endpoints. Default: ~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts. */
  knownHostsFiles?: string[];
}

function defaultKnownHostsFiles(): string[] {
  return [path.join(os.homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

/** ssh2's host check: the server's key must be the one known_hosts holds for it, as `ssh` would insist. */
function hostVerifier(endpoint: Endpoint, files: string[], onRefused?: (verdict: HostKeyVerdict) => void): (key: Buffer) => boolean {
  return key => {
    const texts = files.flatMap(file => {
      try {
        return [fs.readFileSync(file, 'utf8')];
      } catch {
        return [];
      }
    });
    const verdict = hostKeyVerdict(texts, endpoint.hostname!, endpoint.port ?? 22, key);
    if (verdict !== 'known') onRefused?.(verdict);
    return verdict === 'known';
  };
}

function defaultSshKeyFiles(): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map(f => path.join(os.homedir(), '.ssh', f));
}

function sshAuth(keyFiles: string[]): Record<string, unknown> {
  if (process.env.SSH_AUTH_SOCK) return { agent: process.env.SSH_AUTH_SOCK };
  for (const file of keyFiles) {
    try {
      return { privateKey: fs.readFileSync(file) };
    } catch {
      /* try the next one */
    }
  }
  return {};
}

function compareApiVersions(a: string, b: string): number {
  const [amaj = 0, amin = 0] = a.split('.').map(Number);
  const [bmaj = 0, bmin = 0] = b.split('.').map(Number);
  return amaj - bmaj || amin - bmin;
}

/** dockerode's connection options for an endpoint. */
export function dockerodeOptions(endpoint: Endpoint, sshKeyFiles: string[] = defaultSshKeyFiles(), knownHosts: { files?: string[]; onRefused?: (verdict: HostKeyVerdict) => void } = {}): Dockerode.DockerOptions {
  switch (endpoint.transport) {
    case 'unix':
    case 'npipe':
      return { socketPath: endpoint.socketPath! };
    case 'ssh':
      return {
        protocol: 'ssh',
        host: endpoint.hostname!,
        port: endpoint.port!,
        ...(endpoint.username ? { username: endpoint.username } : {}),
        sshOptions: { ...sshAuth(sshKeyFiles), hostVerifier: hostVerifier(endpoint, knownHosts.files ?? defaultKnownHostsFiles(), knownHosts.onRefused) },
      };
    case 'tcp': {
      if (!endpoint.tls) return { protocol: 'http', host: endpoint.hostname!, port: endpoint.port! };
      const read = (file: string) => {
        const full = path.join(endpoint.tls!.certPath ?? '', file);
        return fs.existsSync(full) ? fs.readFileSync(full) : undefined;
      };
      const ca = read('ca.pem');
      const cert = read('cert.pem');
      const key = read('key.pem');
      return {
        protocol: 'https',
        host: endpoint.hostname!,
        port: endpoint.port!,
        ...(ca ? { ca } : {}),
        ...(cert ? { cert } : {}),
        ...(key ? { key } : {}),
      };
    }
  }
}

/** dockerode's `version()` takes options at run time, but its typings omit them. */
function engineVersion(docker: Dockerode, abortSignal: AbortSignal): Promise<Dockerode.DockerVersion> {
  return (docker as unknown as { version(options: { abortSignal: AbortSignal }): Promise<Dockerode.DockerVersion> })
    .version({ abortSignal });
}

/** How long a request may take: the client's timeout unless `timeoutMs` says otherwise (0: no bound). */
interface RequestBound {
  timeoutMs?: number;
}

/** Lets a call stop its clock for a phase the daemon is not to blame for, and start it again. */
type RequestClock = Pick<TimeoutGuard, 'pause' | 'restart'>;

interface DialOptions {
  path: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  options?: unknown;
  abortSignal: AbortSignal;
  statusCodes: Record<number, true | string>;
}

/** A raw Engine API request through dockerode's modem, for answers its wrappers do not return. */
function dial<T>(docker: Dockerode, options: DialOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(options as unknown as Parameters<typeof docker.modem.dial>[0], (err: Error | null, data: unknown) => {
      if (err) reject(err);
      else resolve(data as T);
    });
  });
}

function toVolume(raw: Dockerode.VolumeInspectInfo & { CreatedAt?: string }): VolumeSummary {
  return {
    name: raw.Name,
    driver: raw.Driver,
    scope: raw.Scope ?? 'local',
    mountpoint: raw.Mountpoint ?? '',
    ...(raw.CreatedAt ? { createdAt: raw.CreatedAt } : {}),
    labels: raw.Labels ?? {},
    options: (raw.Options) ?? {},
    anonymous: ANONYMOUS_NAME.test(raw.Name),
  };
}

interface RawMount {
  Type?: string;
  Name?: string;
  Source?: string;
  Destination?: string;
  Driver?: string;
  Mode?: string;
  RW?: boolean;
  Propagation?: string;
}

function toMount(raw: RawMount): ContainerMount {
  return {
    type: (raw.Type ?? 'volume') as MountType,
    ...(raw.Name ? { name: raw.Name } : {}),
    source: raw.Source ?? '',
    destination: raw.Destination ?? '',
    readOnly: raw.RW === false,
    mode: raw.Mode ?? '',
    propagation: raw.Propagation ?? '',
    ...(raw.Driver ? { driver: raw.Driver } : {}),
  };
}

interface RawImageConfig { WorkingDir?: string; Cmd?: string[] | null; Entrypoint?: string[] | string | null; Volumes?: Record<string, unknown> | null }

function toImage(id: string, tags: string[], config: RawImageConfig | undefined): ImageDetails {
  const entrypoint = config?.Entrypoint;
  return {
    id,
    tags: tags.filter(t => t !== '<none>:<none>'),
    workingDir: config?.WorkingDir ?? '',
    cmd: config?.Cmd ?? [],
    entrypoint: Array.isArray(entrypoint) ? entrypoint : entrypoint ? [entrypoint] : [],
    volumes: Object.keys(config?.Volumes ?? {}),
  };
}

function toApiMount(m: MountRequest): Record<string, unknown> {
  switch (m.type) {
    case 'bind':
      return { Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.readOnly ?? false };
    case 'volume':
      return { Type: 'volume', ...(m.source ? { Source: m.source } : {}), Target: m.target, ReadOnly: m.readOnly ?? false };
    case 'tmpfs':
      return { Type: 'tmpfs', Target: m.target, TmpfsOptions: { ...(m.sizeBytes ? { SizeBytes: m.sizeBytes } : {}), ...(m.mode !== undefined ? { Mode: m.mode } : {}) } };
  }
}

function parseTmpfsSize(text: string): number | undefined {
  const m = /^(\d+)([kmg]?)$/i.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[m[2]!.toLowerCase()]!;
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  timeNano?: number;
  time?: number;
}

function toEvent(raw: RawEvent): DockerEvent {
  return {
    type: raw.Type ?? '',
    action: raw.Action ?? raw.status ?? '',
    id: raw.Actor?.ID ?? raw.id ?? '',
    attributes: raw.Actor?.Attributes ?? {},
    timeNano: raw.timeNano ?? (raw.time ?? 0) * 1e9,
  };
}

function toContainer(raw: Dockerode.ContainerInfo): ContainerSummary {
  return {
    id: raw.Id,
    name: (raw.Names?.[0] ?? raw.Id.slice(0, 12)).replace(/^\//, ''),
    image: raw.Image,
    state: raw.State,
    status: raw.Status,
    labels: raw.Labels ?? {},
    mounts: ((raw.Mounts ?? []) as RawMount[]).map(toMount),
    created: raw.Created,
  };
}

/** The one implementation of DockerClient, on dockerode. The only module that imports dockerode. */
export class DockerodeClient implements DockerClient {
  readonly endpoint: Endpoint;
  private readonly logger: ApiLogger | undefined;
  private readonly timeoutMs: number;
  private readonly sshKeyFiles: string[] | undefined;
  private readonly knownHostsFiles: string[] | undefined;
  private docker: Promise<{ docker: Dockerode; info: EngineInfo }> | undefined;
  /** Set while the answer of the connecting `GET /version` has not been handed out yet. */
  private freshInfo: EngineInfo | undefined;
  private calls = 0;

  constructor(options: DockerodeClientOptions) {
    this.endpoint = options.endpoint;
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? 15000;
    this.sshKeyFiles = options.sshKeyFiles;
    this.knownHostsFiles = options.knownHostsFiles;
  }

  get apiCallCount(): number {
    return this.calls;
  }

  /**
   * The one path of every Engine API request: counts and logs it, bounds it, and translates its failure.
   * The bound holds even when the call ignores the abort signal (dockerode drops it on some calls): the
   * call is raced against the signal, and what it yields after losing (a late stream) is destroyed.
   * A call that resolves with a stream (events, archive, logs, attach, exec) is bounded until it opens;
   * an upload pauses the clock while it sends (see putArchive).
   */
  private async request<T>(operation: string, signal: AbortSignal | undefined, run: (signal: AbortSignal, clock: RequestClock) => Promise<T>, bound: RequestBound = {}): Promise<T> {
    const timeoutMs = bound.timeoutMs ?? this.timeoutMs;
    const guard = withTimeout(timeoutMs, signal);
    this.calls++;
    const started = Date.now();
    try {
      const work = Promise.resolve().then(() => run(guard.signal, guard));
      const result = await raceAbort(work, guard.signal, late => (late as { destroy?: () => void } | undefined)?.destroy?.());
      this.logger?.debug(`${operation} (${Date.now() - started} ms)`);
      return result;
    } catch (err) {
      const where = describeEndpoint(this.endpoint);
      const translated = guard.timedOut()
        ? new DockerError('timeout', `The Docker daemon at ${where} did not answer within ${timeoutMs} ms`, operation)
        : toDockerError(err, operation, where);
      this.logger?.debug(`${operation} failed: ${translated.kind}: ${translated.message}`);
      throw translated;
    } finally {
      guard.dispose();
    }
  }

  /** Connects lazily: loads dockerode on first use and negotiates the API version with `GET /version`. */
  private connect(signal?: AbortSignal): Promise<{ docker: Dockerode; info: EngineInfo }> {
    if (!this.docker) {
      const attempt = (async () => {
        const { default: Docker } = await import('dockerode');
        const options = dockerodeOptions(this.endpoint, this.sshKeyFiles, {
          ...(this.knownHostsFiles ? { files: this.knownHostsFiles } : {}),
          onRefused: verdict => this.logger?.debug(`ssh host key of ${this.endpoint.hostname}:${this.endpoint.port ?? 22} refused: ${verdict === 'unknown' ? 'not in known_hosts (connect once with ssh to add it)' : verdict === 'changed' ? 'it differs from known_hosts (the host key changed, or someone poses as the host)' : 'revoked in known_hosts'}`),
        });
        const probe = new Docker(options);
        const version = await this.request('GET /version', signal, abortSignal => engineVersion(probe, abortSignal));
        const serverApi = version.ApiVersion;
        const negotiated = compareApiVersions(serverApi, MAX_API_VERSION) < 0 ? serverApi : MAX_API_VERSION;
        const docker = new Docker({ ...options, version: `v${negotiated}` });
        const info: EngineInfo = {
          version: version.Version,
          apiVersion: serverApi,
          negotiatedApiVersion: negotiated,
          os: version.Os,
          arch: version.Arch,
        };
        this.freshInfo = info;
        return { docker, info };
      })();
      this.docker = attempt;
      // A failed connection is not cached: the next call tries again (the daemon may have started since).
      attempt.catch(() => {
        if (this.docker === attempt) this.docker = undefined;
      });
    }
    return this.docker;
  }

  async version(signal?: AbortSignal): Promise<EngineInfo> {
    const { docker, info } = await this.connect(signal);
    if (this.freshInfo) {
      this.freshInfo = undefined; // the connection just asked: no second round trip
      return info;
    }
    // Otherwise ask again: this doubles as the reachability check.
    const version = await this.request('GET /version', signal, abortSignal => engineVersion(docker, abortSignal));
    return { ...info, version: version.Version, apiVersion: version.ApiVersion };
  }

  async listVolumes(signal?: AbortSignal): Promise<VolumeSummary[]> {
    const { docker } = await this.connect(signal);
    const result = await this.request('GET /volumes', signal, abortSignal => docker.listVolumes({ abortSignal }));
    return (result.Volumes ?? []).map(toVolume);
  }

  async inspectVolume(name: string, signal?: AbortSignal): Promise<VolumeSummary> {
    const { docker } = await this.connect(signal);
    const raw = await this.request(`GET /volumes/${name}`, signal, abortSignal =>
      docker.getVolume(name).inspect({ abortSignal }));
    return toVolume(raw);
  }

  async createVolume(spec: VolumeCreateSpec, signal?: AbortSignal): Promise<VolumeSummary> {
    const { docker } = await this.connect(signal);
    const body = {
      ...(spec.name ? { Name: spec.name } : {}),
      Driver: spec.driver || 'local',
      DriverOpts: spec.driverOpts ?? {},
      Labels: spec.labels ?? {},
    };
    // dockerode's createVolume() answers with a handle and drops the engine's answer; dial keeps it.
    const raw = await this.request('POST /volumes/create', signal, abortSignal =>
      dial<Dockerode.VolumeInspectInfo>(docker, {
        path: '/volumes/create?',
        method: 'POST',
        options: body,
        abortSignal,
        statusCodes: { 200: true, 201: true, 400: 'bad parameter', 409: 'conflict', 500: 'server error' },
      }));
    return toVolume(raw);
  }

  async removeVolume(name: string, options: { force?: boolean } = {}, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(`DELETE /volumes/${name}`, signal, abortSignal =>
      docker.getVolume(name).remove({ force: options.force ?? false, abortSignal }));
  }

  async listContainers(options: { all: boolean }, signal?: AbortSignal): Promise<ContainerSummary[]> {
    const { docker } = await this.connect(signal);
    const raw = await this.request(`GET /containers/json${options.all ? '?all=1' : ''}`, signal, abortSignal =>
      docker.listContainers({ all: options.all, abortSignal }));
    return raw.map(toContainer);
  }

  async removeContainer(id: string, options: { force?: boolean; removeVolumes?: boolean } = {}, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(`DELETE /containers/${id}`, signal, abortSignal =>
      docker.getContainer(id).remove({ force: options.force ?? false, v: options.removeVolumes ?? false, abortSignal }));
  }

  async diskUsage(signal?: AbortSignal): Promise<DiskUsage> {
    const { docker } = await this.connect(signal);
    // verbose: from API 1.52 the per-volume items come only on request; older engines ignore it.
    const raw = await this.request('GET /system/df', signal, abortSignal =>
      dial<unknown>(docker, { path: '/system/df?', method: 'GET', options: { verbose: true }, abortSignal, statusCodes: { 200: true, 500: 'server error' } }));
    return normalizeDiskUsage(raw);
  }

  async watchEvents(filters: Record<string, string[]>, onEvent: (event: DockerEvent) => void, signal: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    // The timeout bounds opening the stream only; once open, it lives until `signal` aborts.
    const whole = new AbortController();
    signal.addEventListener('abort', () => whole.abort(), { once: true });
    let opened = false;
    const stream = await this.request('GET /events (stream)', signal, opening => {
      opening.addEventListener('abort', () => { if (!opened) whole.abort(); }, { once: true });
      return docker.getEvents({ filters, abortSignal: whole.signal } as Dockerode.GetEventsOptions).then(s => {
        opened = true;
        return s;
      });
    });
    return new Promise<void>((resolve, reject) => {
      let buffer = '';
      stream.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (!line) continue;
          try {
            onEvent(toEvent(JSON.parse(line) as RawEvent));
          } catch {
            /* a malformed line is skipped */
          }
        }
      });
      const ended = () => (signal.aborted ? resolve() : reject(new DockerError('unreachable', 'The Docker event stream ended', 'GET /events')));
      stream.on('end', ended);
      stream.on('close', ended);
      stream.on('error', (err: unknown) => (signal.aborted ? resolve() : reject(toDockerError(err, 'GET /events', describeEndpoint(this.endpoint)))));
    });
  }

  private helperImage: Promise<void> | undefined;

  /** Imports the helper image once if the daemon lacks it: a tar with one marker file, no pull. */
  private ensureHelperImage(docker: Dockerode, signal?: AbortSignal): Promise<void> {
    const ensure = async () => {
      try {
        await this.request(`GET /images/${HELPER_IMAGE}/json`, signal, abortSignal => docker.getImage(HELPER_IMAGE).inspect({ abortSignal } as unknown as Record<string, never>));
        return;
      } catch (err) {
        if (!(err instanceof DockerError && err.kind === 'notFound')) throw err;
      }
      const pack = tar.pack();
      pack.entry({ name: 'volumes-lab-helper', mode: 0o644 }, 'Helper image of Docker Volumes Lab: never run, only mounts volumes for the archive API.\n');
      pack.finalize();
      const [repo, tag] = HELPER_IMAGE.split(':');
      await this.request('POST /images/create?fromSrc=-', signal, async abortSignal => {
        const progress = await docker.importImage(pack as unknown as NodeJS.ReadableStream, {
          repo, tag, changes: ['CMD ["/volumes-lab-helper"]', `LABEL ${HELPER_LABEL}=image`], abortSignal,
        } as unknown as Record<string, unknown>);
        await new Promise<void>((resolve, reject) => docker.modem.followProgress(progress, err => (err ? reject(err) : resolve())));
      });
    };
    if (!this.helperImage) {
      const attempt = ensure();
      this.helperImage = attempt;
      attempt.catch(() => { if (this.helperImage === attempt) this.helperImage = undefined; });
    }
    return this.helperImage;
  }

  async createVolumeHelper(volume: string, options: { mountPath: string; readOnly: boolean }, signal?: AbortSignal): Promise<string> {
    const { docker } = await this.connect(signal);
    await this.ensureHelperImage(docker, signal);
    const container = await this.request('POST /containers/create', signal, abortSignal => docker.createContainer({
      Image: HELPER_IMAGE,
      Labels: { [HELPER_LABEL]: volume },
      NetworkDisabled: true,
      HostConfig: {
        NetworkMode: 'none',
        Mounts: [{ Type: 'volume', Source: volume, Target: options.mountPath, ReadOnly: options.readOnly }],
      },
      abortSignal,
    }));
    return container.id;
  }

  async listVolumeHelpers(signal?: AbortSignal): Promise<ContainerSummary[]> {
    const { docker } = await this.connect(signal);
    const raw = await this.request('GET /containers/json?all=1&filters=label', signal, abortSignal =>
      docker.listContainers({ all: true, filters: { label: [HELPER_LABEL] }, abortSignal }));
    return raw.map(toContainer);
  }

  async getArchive(containerId: string, archivePath: string, signal?: AbortSignal): Promise<Readable> {
    const { docker } = await this.connect(signal);
    const stream = await this.request(`GET /containers/${containerId.slice(0, 12)}/archive?path=${archivePath}`, signal, abortSignal =>
      docker.getContainer(containerId).getArchive({ path: archivePath, abortSignal }));
    // The HTTP response itself: destroying it (cancel) ends the transfer on the daemon too.
    return stream as unknown as Readable;
  }

  async putArchive(containerId: string, archivePath: string, tarStream: Readable, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(`PUT /containers/${containerId.slice(0, 12)}/archive?path=${archivePath}`, signal, (abortSignal, clock) => {
      // The upload lasts as long as its data (which may wait on other uploads): the daemon is timed from
      // the moment it has the whole body until it answers. A daemon that stops reading midway is left
      // to the caller's cancel.
      clock.pause();
      const upload = new PassThrough();
      upload.on('end', () => clock.restart());
      // pipeline, not pipe: when the source is destroyed (a failed or cancelled restore), the request body
      // must end with it, or the daemon waits for the rest of it and keeps the helper container locked.
      pipeline(tarStream, upload, () => undefined);
      return docker.getContainer(containerId).putArchive(upload, { path: archivePath, abortSignal });
    });
  }

  async statPath(containerId: string, archivePath: string, signal?: AbortSignal): Promise<{ name: string; size: number; mode: number; mtime: string; linkTarget: string }> {
    const { docker } = await this.connect(signal);
    // HEAD answers with the response itself (dockerode treats it as a stream): the stat is in a header.
    const response = await this.request(`HEAD /containers/${containerId.slice(0, 12)}/archive?path=${archivePath}`, signal, abortSignal =>
      docker.getContainer(containerId).infoArchive({ path: archivePath, abortSignal })) as unknown as { headers?: Record<string, string>; resume?: () => void };
    response.resume?.();
    const headers = response.headers ?? {};
    const encoded = headers['x-docker-container-path-stat'];
    if (!encoded) throw new DockerError('engine', `No stat for ${archivePath}`, 'HEAD archive');
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { name: string; size: number; mode: number; mtime: string; linkTarget: string };
  }

  async inspectImage(ref: string, signal?: AbortSignal): Promise<ImageDetails> {
    const { docker } = await this.connect(signal);
    const raw = await this.request(`GET /images/${ref}/json`, signal, abortSignal =>
      docker.getImage(ref).inspect({ abortSignal } as unknown as Record<string, never>));
    return toImage(raw.Id, raw.RepoTags ?? [], raw.Config);
  }

  async listImages(signal?: AbortSignal): Promise<ImageDetails[]> {
    const { docker } = await this.connect(signal);
    const raw = await this.request('GET /images/json', signal, abortSignal => docker.listImages({ abortSignal } as Dockerode.ListImagesOptions));
    return raw.filter(i => (i.RepoTags ?? []).some(t => t !== '<none>:<none>')).map(i => toImage(i.Id, i.RepoTags ?? [], undefined));
  }

  async pullImage(ref: string, onProgress: (status: string) => void, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    const stream = await this.request(`POST /images/create?fromImage=${ref}`, signal, abortSignal =>
      docker.pull(ref, { abortSignal }));
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(toDockerError(err, `pull ${ref}`, describeEndpoint(this.endpoint))) : resolve()),
        (event: { status?: string; progress?: string; id?: string; error?: string }) => {
          if (event.error) return;
          onProgress([event.id, event.status, event.progress].filter(Boolean).join(' '));
        });
    });
  }

  async runContainer(spec: ContainerRunSpec, signal?: AbortSignal): Promise<{ id: string; name: string }> {
    const { docker } = await this.connect(signal);
    const binds = spec.mounts.filter((m): m is Extract<MountRequest, { type: 'bind' }> => m.type === 'bind' && Boolean(m.selinux));
    const exposed: Record<string, object> = {};
    const portBindings: Record<string, { HostPort: string }[]> = {};
    for (const p of spec.ports ?? []) {
      const key = `${p.container}/${p.protocol ?? 'tcp'}`;
      exposed[key] = {};
      portBindings[key] = [{ HostPort: String(p.host) }];
    }
    const container = await this.request('POST /containers/create', signal, abortSignal => docker.createContainer({
      ...(spec.name ? { name: spec.name } : {}),
      Image: spec.image,
      ...(spec.command?.length ? { Cmd: spec.command } : {}),
      Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
      Labels: spec.labels ?? {},
      ExposedPorts: exposed,
      ...(spec.tty ? { Tty: true, OpenStdin: true, AttachStdin: true, AttachStdout: true, AttachStderr: true } : {}),
      HostConfig: {
        ...(spec.networkMode ? { NetworkMode: spec.networkMode } : {}),
        ...(spec.volumesFrom?.length ? { VolumesFrom: spec.volumesFrom } : {}),
        PortBindings: portBindings,
        Binds: binds.map(b => `${b.source}:${b.target}:${[b.readOnly ? 'ro' : '', b.selinux].filter(Boolean).join(',')}`),
        Mounts: spec.mounts.filter(m => !binds.includes(m as never)).map(toApiMount),
      },
      abortSignal,
    } as unknown as Dockerode.ContainerCreateOptions));
    try {
      if (spec.start !== false) await this.request(`POST /containers/${container.id.slice(0, 12)}/start`, signal, abortSignal =>
        container.start({ abortSignal } as Record<string, unknown>));
    } catch (err) {
      // A container that cannot start (port taken, bad mount) is not left behind, even after a cancel.
      await this.request(`DELETE /containers/${container.id.slice(0, 12)}`, undefined, abortSignal =>
        container.remove({ force: true, abortSignal } as Record<string, unknown>)).catch(() => undefined);
      throw err;
    }
    const info = await this.request(`GET /containers/${container.id.slice(0, 12)}/json`, signal, abortSignal =>
      container.inspect({ abortSignal } as Record<string, unknown>));
    return { id: container.id, name: info.Name.replace(/^\//, '') };
  }

  async inspectContainer(id: string, signal?: AbortSignal): Promise<ContainerDetails> {
    const { docker } = await this.connect(signal);
    const raw = await this.request(`GET /containers/${id.slice(0, 12)}/json`, signal, abortSignal =>
      docker.getContainer(id).inspect({ abortSignal } as Record<string, unknown>));
    const hostMounts = (raw.HostConfig as { Mounts?: { Target?: string; Type?: string; TmpfsOptions?: { SizeBytes?: number; Mode?: number } }[]; Tmpfs?: Record<string, string>; VolumesFrom?: string[] | null });
    const mounts: ContainerDetails['mounts'] = (raw.Mounts as RawMount[]).map(toMount);
    // --tmpfs mounts (HostConfig.Tmpfs) are not in Mounts: add them, with their size.
    for (const [target, options] of Object.entries(hostMounts.Tmpfs ?? {})) {
      const size = /(?:^|,)size=([^,]+)/.exec(options)?.[1];
      mounts.push({ type: 'tmpfs', source: '', destination: target, readOnly: /(?:^|,)ro(?:,|$)/.test(options), mode: options, propagation: '', ...(size ? { tmpfsSizeBytes: parseTmpfsSize(size) } : {}) });
    }
    for (const m of hostMounts.Mounts ?? []) {
      if (m.Type !== 'tmpfs') continue;
      const existing = mounts.find(x => x.destination === m.Target);
      const details = { ...(m.TmpfsOptions?.SizeBytes ? { tmpfsSizeBytes: m.TmpfsOptions.SizeBytes } : {}), ...(m.TmpfsOptions?.Mode ? { tmpfsMode: m.TmpfsOptions.Mode } : {}) };
      if (existing) Object.assign(existing, details);
      else mounts.push({ type: 'tmpfs', source: '', destination: m.Target ?? '', readOnly: false, mode: '', propagation: '', ...details });
    }
    return {
      id: raw.Id,
      name: raw.Name.replace(/^\//, ''),
      image: raw.Config.Image,
      state: raw.State.Status,
      running: raw.State.Running,
      labels: raw.Config.Labels ?? {},
      env: raw.Config.Env ?? [],
      mounts,
      volumesFrom: hostMounts.VolumesFrom ?? [],
      exitCode: raw.State.ExitCode ?? 0,
    };
  }

  async startContainer(id: string, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(`POST /containers/${id.slice(0, 12)}/start`, signal, abortSignal =>
      docker.getContainer(id).start({ abortSignal } as Record<string, unknown>));
  }

  async stopContainer(id: string, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(`POST /containers/${id.slice(0, 12)}/stop`, signal, abortSignal =>
      docker.getContainer(id).stop({ t: 10, abortSignal } as Record<string, unknown>));
  }

  async exec(id: string, command: string[], signal?: AbortSignal): Promise<{ exitCode: number; output: string }> {
    const chunks: Buffer[] = [];
    const stdout = new PassThrough();
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const { exitCode, stderr } = await this.execStream(id, command, { stdout }, signal);
    return { exitCode, output: Buffer.concat(chunks).toString('utf8') + stderr };
  }

  async info(signal?: AbortSignal): Promise<{ name: string; driver: string; containers: number; images: number; swarm: string }> {
    const { docker } = await this.connect(signal);
    const raw = await this.request('GET /info', signal, abortSignal => (docker as unknown as { info(options: { abortSignal: AbortSignal }): Promise<unknown> }).info({ abortSignal })) as { Name?: string; Driver?: string; Containers?: number; Images?: number; Swarm?: { LocalNodeState?: string } };
    return { name: raw.Name ?? '', driver: raw.Driver ?? '', containers: raw.Containers ?? 0, images: raw.Images ?? 0, swarm: raw.Swarm?.LocalNodeState ?? 'inactive' };
  }

  async attach(id: string, signal?: AbortSignal): Promise<NodeJS.ReadWriteStream> {
    const { docker } = await this.connect(signal);
    const stream = await this.request(`POST /containers/${id.slice(0, 12)}/attach`, signal, () =>
      docker.getContainer(id).attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true }));
    signal?.addEventListener('abort', () => (stream as unknown as { destroy(): void }).destroy(), { once: true });
    return stream;
  }

  async resizeTty(id: string, rows: number, columns: number, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(`POST /containers/${id.slice(0, 12)}/resize`, signal, abortSignal =>
      docker.getContainer(id).resize({ h: rows, w: columns, abortSignal } as Record<string, unknown>));
  }

  async containerLogs(id: string, options: { follow: boolean; tail?: number }, signal?: AbortSignal): Promise<Readable> {
    const { docker } = await this.connect(signal);
    const container = docker.getContainer(id);
    const tty = (await this.request(`GET /containers/${id.slice(0, 12)}/json`, signal, abortSignal => container.inspect({ abortSignal } as Record<string, unknown>))).Config.Tty;
    const common = { stdout: true, stderr: true, ...(options.tail !== undefined ? { tail: options.tail } : {}) };
    const raw: Readable = options.follow
      ? await this.request(`GET /containers/${id.slice(0, 12)}/logs?follow=1`, signal, abortSignal =>
        container.logs({ ...common, follow: true, abortSignal } as Dockerode.ContainerLogsOptions & { follow: true })) as unknown as Readable
      : Readable.from([await this.request(`GET /containers/${id.slice(0, 12)}/logs`, signal, abortSignal =>
        container.logs({ ...common, follow: false, abortSignal } as Dockerode.ContainerLogsOptions & { follow: false }))]);
    signal?.addEventListener('abort', () => raw.destroy(), { once: true });
    if (tty) return raw;
    const out = new PassThrough();
    docker.modem.demuxStream(raw, out, out);
    raw.on('end', () => out.end());
    raw.on('close', () => out.end());
    raw.on('error', (err: Error) => out.destroy(err));
    return out;
  }

  async execStream(id: string, command: string[], io: { stdout: NodeJS.WritableStream; stdin?: Readable; env?: string[]; user?: string }, signal?: AbortSignal): Promise<{ exitCode: number; stderr: string }> {
    const { docker } = await this.connect(signal);
    const container = docker.getContainer(id);
    const exec = await this.request(`POST /containers/${id.slice(0, 12)}/exec`, signal, abortSignal =>
      container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true, AttachStdin: Boolean(io.stdin), ...(io.env?.length ? { Env: io.env } : {}), ...(io.user ? { User: io.user } : {}), abortSignal }));
    const stream = await this.request(`POST /exec/${exec.id.slice(0, 12)}/start`, signal, () => exec.start({ hijack: true, stdin: Boolean(io.stdin) }));
    let stderr = Buffer.alloc(0);
    const stderrSink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        stderr = Buffer.concat([stderr, chunk]);
        if (stderr.length > 65536) stderr = stderr.subarray(stderr.length - 65536);
        callback();
      },
    });
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        stream.destroy();
        reject(new DockerError('cancelled', `${command[0] ?? 'exec'} cancelled`, 'exec'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (err?: Error) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      docker.modem.demuxStream(stream, io.stdout, stderrSink);
      stream.on('end', () => finish());
      stream.on('error', finish);
      if (io.stdin) {
        // Half-close after the input: the daemon then closes the process's stdin, and its output ends the stream.
        io.stdin.on('error', finish);
        io.stdin.pipe(stream);
      }
    });
    const inspected = await this.request(`GET /exec/${exec.id.slice(0, 12)}/json`, signal, abortSignal => exec.inspect({ abortSignal }));
    return { exitCode: inspected.ExitCode ?? -1, stderr: stderr.toString('utf8') };
  }

  dispose(): void {
    this.docker = undefined;
    this.freshInfo = undefined;
  }
}
