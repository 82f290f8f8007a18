import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { apiAtLeast } from '../core/apiVersion';
import { raceAbort, withTimeout } from './abort';
import type { ApiLogger, DockerClient, ExecOutcome, ExecStreams } from './client';
import { describeEndpoint, type Endpoint } from './endpoint';
import type { DockerErrorReason } from '../core/errorReasons';
import { DockerError, toDockerError } from './errors';
import { keyFingerprint, knownHostsName } from './knownHosts';
import { normalizeDiskUsage } from './diskUsage';
import * as archives from './dockerodeArchive';
import { HelperImage } from './dockerodeArchive';
import { SharedAttempt } from './sharedAttempt';
import * as containers from './dockerodeContainers';
import { watchEvents } from './dockerodeEvents';
import * as images from './dockerodeImages';
import {
  dial,
  dockerodeOptions,
  engineVersion,
  type EngineSession,
  type RequestBound,
  type RequestClock,
} from './dockerodeConnection';
import { toContainer, toVolume } from './dockerodeMapping';
import type {
  ContainerDetails,
  ContainerRunSpec,
  ContainerSummary,
  DiskUsage,
  DockerEvent,
  EngineInfo,
  ImageDetails,
  VolumeCreateSpec,
  VolumeSummary,
} from '../core/engineTypes';

/** The newest API version whose response shapes this client knows. Newer engines are spoken to at this one. */
export const MAX_API_VERSION = '1.52';

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

/** The one implementation of DockerClient, on dockerode. The only module that imports dockerode. */

/** Why an ssh host key was refused, for the log. */
const HOST_KEY_VERDICT: Record<'unknown' | 'changed' | 'revoked', string> = {
  unknown: 'not in known_hosts (connect once with ssh to add it)',
  changed: 'it differs from known_hosts (the host key changed, or someone poses as the host)',
  revoked: 'revoked in known_hosts',
};
export class DockerodeClient implements DockerClient, EngineSession {
  readonly endpoint: Endpoint;
  private readonly logger: ApiLogger | undefined;
  private readonly timeoutMs: number;
  private readonly sshKeyFiles: string[] | undefined;
  private readonly knownHostsFiles: string[] | undefined;
  private readonly connection = new SharedAttempt<{ docker: Dockerode; info: EngineInfo }>();
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
   * an upload pauses the clock while it sends (see putArchive). Public for the API-area modules (EngineSession).
   */
  async request<T>(
    operation: string,
    signal: AbortSignal | undefined,
    run: (signal: AbortSignal, clock: RequestClock) => Promise<T>,
    bound: RequestBound = {},
  ): Promise<T> {
    const timeoutMs = bound.timeoutMs ?? this.timeoutMs;
    const guard = withTimeout(timeoutMs, signal);
    this.calls++;
    const started = Date.now();
    try {
      const work = Promise.resolve().then(() => run(guard.signal, guard));
      const result = await raceAbort(work, guard.signal, (late) =>
        (late as { destroy?: () => void } | undefined)?.destroy?.(),
      );
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
  connect(signal?: AbortSignal): Promise<{ docker: Dockerode; info: EngineInfo }> {
    // A failed connection is not kept: the next call tries again (the daemon may have started since).
    return this.connection.get(async () => {
      const { default: Docker } = await import('dockerode');
      // ssh2 reports a refused key as a bare handshake failure: the verdict is kept to name the real cause.
      let refused: Extract<DockerErrorReason, { id: 'sshHostKey' }> | undefined;
      const options = dockerodeOptions(this.endpoint, this.sshKeyFiles, {
        ...(this.knownHostsFiles ? { files: this.knownHostsFiles } : {}),
        onRefused: (verdict, key) => {
          const host = knownHostsName(this.endpoint.hostname ?? '', this.endpoint.port ?? 22);
          refused = {
            id: 'sshHostKey',
            verdict: verdict === 'known' ? 'unknown' : verdict,
            host,
            fingerprint: keyFingerprint(key),
          };
          this.logger?.debug(
            `ssh host key of ${host} refused (${refused.fingerprint}): ${HOST_KEY_VERDICT[refused.verdict]}`,
          );
        },
      });
      const probe = new Docker(options);
      const version = await this.request('GET /version', signal, (abortSignal) =>
        engineVersion(probe, abortSignal),
      ).catch((err: unknown) => {
        if (!refused) throw err;
        throw new DockerError(
          'unreachable',
          `The ssh host key of ${refused.host} was refused (${refused.verdict}, ${refused.fingerprint})`,
          'GET /version',
          err instanceof Error ? err.message : String(err),
        ).because(refused);
      });
      const serverApi = version.ApiVersion;
      const negotiated = apiAtLeast(serverApi, MAX_API_VERSION) ? MAX_API_VERSION : serverApi;
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
    });
  }

  async version(signal?: AbortSignal): Promise<EngineInfo> {
    const { docker, info } = await this.connect(signal);
    if (this.freshInfo) {
      this.freshInfo = undefined; // the connection just asked: no second round trip
      return info;
    }
    // Otherwise ask again: this doubles as the reachability check.
    const version = await this.request('GET /version', signal, (abortSignal) => engineVersion(docker, abortSignal));
    return { ...info, version: version.Version, apiVersion: version.ApiVersion };
  }

  async listVolumes(signal?: AbortSignal): Promise<VolumeSummary[]> {
    const { docker } = await this.connect(signal);
    const result = await this.request('GET /volumes', signal, (abortSignal) => docker.listVolumes({ abortSignal }));
    return (result.Volumes ?? []).map(toVolume);
  }

  async inspectVolume(name: string, signal?: AbortSignal): Promise<VolumeSummary> {
    const { docker } = await this.connect(signal);
    const raw = await this.request(`GET /volumes/${name}`, signal, (abortSignal) =>
      docker.getVolume(name).inspect({ abortSignal }),
    );
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
    const raw = await this.request('POST /volumes/create', signal, (abortSignal) =>
      dial<Dockerode.VolumeInspectInfo>(docker, {
        path: '/volumes/create?',
        method: 'POST',
        options: body,
        abortSignal,
        statusCodes: { 200: true, 201: true, 400: 'bad parameter', 409: 'conflict', 500: 'server error' },
      }),
    );
    return toVolume(raw);
  }

  async removeVolume(name: string, options: { force?: boolean } = {}, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(`DELETE /volumes/${name}`, signal, (abortSignal) =>
      docker.getVolume(name).remove({ force: options.force ?? false, abortSignal }),
    );
  }

  async listContainers(options: { all: boolean }, signal?: AbortSignal): Promise<ContainerSummary[]> {
    const { docker } = await this.connect(signal);
    const raw = await this.request(`GET /containers/json${options.all ? '?all=1' : ''}`, signal, (abortSignal) =>
      docker.listContainers({ all: options.all, abortSignal }),
    );
    return raw.map(toContainer);
  }

  removeContainer(
    id: string,
    options: { force?: boolean; removeVolumes?: boolean } = {},
    signal?: AbortSignal,
  ): Promise<void> {
    return containers.removeContainer(this, id, options, signal);
  }

  async diskUsage(signal?: AbortSignal): Promise<DiskUsage> {
    const { docker } = await this.connect(signal);
    // verbose: from API 1.52 the per-volume items come only on request; older engines ignore it.
    const raw = await this.request('GET /system/df', signal, (abortSignal) =>
      dial<unknown>(docker, {
        path: '/system/df?',
        method: 'GET',
        options: { verbose: true },
        abortSignal,
        statusCodes: { 200: true, 500: 'server error' },
      }),
    );
    return normalizeDiskUsage(raw);
  }

  watchEvents(
    filters: Record<string, string[]>,
    onEvent: (event: DockerEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    return watchEvents(this, filters, onEvent, signal);
  }

  private readonly helperImage = new HelperImage();

  async createVolumeHelper(
    volume: string,
    options: { mountPath: string; readOnly: boolean },
    signal?: AbortSignal,
  ): Promise<string> {
    return archives.createVolumeHelper(this, this.helperImage, volume, options, signal);
  }

  listVolumeHelpers(signal?: AbortSignal): Promise<ContainerSummary[]> {
    return archives.listVolumeHelpers(this, signal);
  }

  getArchive(containerId: string, archivePath: string, signal?: AbortSignal): Promise<Readable> {
    return archives.getArchive(this, containerId, archivePath, signal);
  }

  putArchive(containerId: string, archivePath: string, tarStream: Readable, signal?: AbortSignal): Promise<void> {
    return archives.putArchive(this, containerId, archivePath, tarStream, signal);
  }

  statPath(containerId: string, archivePath: string, signal?: AbortSignal): Promise<archives.PathStat> {
    return archives.statPath(this, containerId, archivePath, signal);
  }

  inspectImage(ref: string, signal?: AbortSignal): Promise<ImageDetails> {
    return images.inspectImage(this, ref, signal);
  }

  listImages(signal?: AbortSignal): Promise<ImageDetails[]> {
    return images.listImages(this, signal);
  }

  pullImage(ref: string, onProgress: (status: string) => void, signal?: AbortSignal): Promise<void> {
    return images.pullImage(this, ref, onProgress, signal);
  }

  runContainer(spec: ContainerRunSpec, signal?: AbortSignal): Promise<{ id: string; name: string }> {
    return containers.runContainer(this, spec, signal);
  }

  inspectContainer(id: string, signal?: AbortSignal): Promise<ContainerDetails> {
    return containers.inspectContainer(this, id, signal);
  }

  startContainer(id: string, signal?: AbortSignal): Promise<void> {
    return containers.startContainer(this, id, signal);
  }

  stopContainer(id: string, signal?: AbortSignal): Promise<void> {
    return containers.stopContainer(this, id, signal);
  }

  exec(id: string, command: string[], signal?: AbortSignal): Promise<{ exitCode: number; output: string }> {
    return containers.exec(this, id, command, signal);
  }

  async info(
    signal?: AbortSignal,
  ): Promise<{ name: string; driver: string; containers: number; images: number; swarm: string }> {
    const { docker } = await this.connect(signal);
    const raw = (await this.request('GET /info', signal, (abortSignal) =>
      (docker as unknown as { info(options: { abortSignal: AbortSignal }): Promise<unknown> }).info({ abortSignal }),
    )) as { Name?: string; Driver?: string; Containers?: number; Images?: number; Swarm?: { LocalNodeState?: string } };
    return {
      name: raw.Name ?? '',
      driver: raw.Driver ?? '',
      containers: raw.Containers ?? 0,
      images: raw.Images ?? 0,
      swarm: raw.Swarm?.LocalNodeState ?? 'inactive',
    };
  }

  attach(id: string, signal?: AbortSignal): Promise<NodeJS.ReadWriteStream> {
    return containers.attach(this, id, signal);
  }

  resizeTty(id: string, rows: number, columns: number, signal?: AbortSignal): Promise<void> {
    return containers.resizeTty(this, id, rows, columns, signal);
  }

  containerLogs(id: string, options: { follow: boolean; tail?: number }, signal?: AbortSignal): Promise<Readable> {
    return containers.containerLogs(this, id, options, signal);
  }

  execStream(id: string, command: string[], io: ExecStreams, signal?: AbortSignal): Promise<ExecOutcome> {
    return containers.execStream(this, id, command, io, signal);
  }

  dispose(): void {
    this.connection.forget();
    this.freshInfo = undefined;
  }
}
