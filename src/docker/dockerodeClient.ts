import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import { withTimeout } from './abort';
import type { ApiLogger, DockerClient } from './client';
import { describeEndpoint, type Endpoint } from './endpoint';
import { DockerError, toDockerError } from './errors';
import type { ContainerMount, ContainerSummary, EngineInfo, MountType, VolumeCreateSpec, VolumeSummary } from './types';

/** The newest API version whose response shapes this client knows. Newer engines are spoken to at this one. */
export const MAX_API_VERSION = '1.52';
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
export function dockerodeOptions(endpoint: Endpoint, sshKeyFiles: string[] = defaultSshKeyFiles()): Dockerode.DockerOptions {
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
        sshOptions: sshAuth(sshKeyFiles),
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
  private docker: Promise<{ docker: Dockerode; info: EngineInfo }> | undefined;
  /** Set while the answer of the connecting `GET /version` has not been handed out yet. */
  private freshInfo: EngineInfo | undefined;
  private calls = 0;

  constructor(options: DockerodeClientOptions) {
    this.endpoint = options.endpoint;
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? 15000;
    this.sshKeyFiles = options.sshKeyFiles;
  }

  get apiCallCount(): number {
    return this.calls;
  }

  /** Runs one Engine API request with logging, timeout, cancellation and error translation. */
  private async request<T>(operation: string, signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const guard = withTimeout(this.timeoutMs, signal);
    this.calls++;
    const started = Date.now();
    try {
      const result = await run(guard.signal);
      this.logger?.debug(`${operation} (${Date.now() - started} ms)`);
      return result;
    } catch (err) {
      const where = describeEndpoint(this.endpoint);
      const translated = guard.timedOut()
        ? new DockerError('timeout', `The Docker daemon at ${where} did not answer within ${this.timeoutMs} ms`, operation)
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
        const options = dockerodeOptions(this.endpoint, this.sshKeyFiles);
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

  dispose(): void {
    this.docker = undefined;
    this.freshInfo = undefined;
  }
}
