import { PassThrough, pipeline, type Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type Dockerode from 'dockerode';
import { apiAtLeast } from '../core/apiVersion';
import { raceAbort, withTimeout } from './abort';
import type { ApiLogger, DockerClient } from './client';
import { describeEndpoint, type Endpoint } from './endpoint';
import type { DockerErrorReason } from '../core/errorReasons';
import { DockerError, toDockerError } from './errors';
import { keyFingerprint, knownHostsName } from './knownHosts';
import { normalizeDiskUsage } from './diskUsage';
import * as containers from './dockerodeContainers';
import {
  dial,
  dockerodeOptions,
  engineVersion,
  type EngineSession,
  type RequestBound,
  type RequestClock,
} from './dockerodeConnection';
import { toContainer, toEvent, toImage, toVolume, type RawEvent } from './dockerodeMapping';
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

/** Label on every helper container and on the helper image, so leftovers can be found and swept. */
export const HELPER_LABEL = 'volumes-lab.helper';
/** The extension's own image for helper containers: an empty file system, imported, never pulled. */
export const HELPER_IMAGE = 'volumes-lab/helper:1';

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
export class DockerodeClient implements DockerClient, EngineSession {
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
    if (!this.docker) {
      const attempt = (async () => {
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
              `ssh host key of ${host} refused (${refused.fingerprint}): ${verdict === 'unknown' ? 'not in known_hosts (connect once with ssh to add it)' : verdict === 'changed' ? 'it differs from known_hosts (the host key changed, or someone poses as the host)' : 'revoked in known_hosts'}`,
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

  async removeContainer(
    id: string,
    options: { force?: boolean; removeVolumes?: boolean } = {},
    signal?: AbortSignal,
  ): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(`DELETE /containers/${id}`, signal, (abortSignal) =>
      docker.getContainer(id).remove({ force: options.force ?? false, v: options.removeVolumes ?? false, abortSignal }),
    );
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

  async watchEvents(
    filters: Record<string, string[]>,
    onEvent: (event: DockerEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const { docker } = await this.connect(signal);
    // The timeout bounds opening the stream only; once open, it lives until `signal` aborts.
    const whole = new AbortController();
    signal.addEventListener('abort', () => whole.abort(), { once: true });
    let opened = false;
    const stream = await this.request('GET /events (stream)', signal, (opening) => {
      opening.addEventListener(
        'abort',
        () => {
          if (!opened) whole.abort();
        },
        { once: true },
      );
      return docker.getEvents({ filters, abortSignal: whole.signal } as Dockerode.GetEventsOptions).then((s) => {
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
      const ended = () =>
        signal.aborted
          ? resolve()
          : reject(new DockerError('unreachable', 'The Docker event stream ended', 'GET /events'));
      stream.on('end', ended);
      stream.on('close', ended);
      stream.on('error', (err: unknown) =>
        signal.aborted ? resolve() : reject(toDockerError(err, 'GET /events', describeEndpoint(this.endpoint))),
      );
    });
  }

  private helperImage: Promise<void> | undefined;

  /** Imports the helper image once if the daemon lacks it: a tar with one marker file, no pull. */
  private ensureHelperImage(docker: Dockerode, signal?: AbortSignal): Promise<void> {
    const ensure = async () => {
      try {
        await this.request(`GET /images/${HELPER_IMAGE}/json`, signal, (abortSignal) =>
          docker.getImage(HELPER_IMAGE).inspect({ abortSignal } as unknown as Record<string, never>),
        );
        return;
      } catch (err) {
        if (!(err instanceof DockerError && err.kind === 'notFound')) throw err;
      }
      const pack = tar.pack();
      pack.entry(
        { name: 'volumes-lab-helper', mode: 0o644 },
        'Helper image of Docker Volumes Lab: never run, only mounts volumes for the archive API.\n',
      );
      pack.finalize();
      const [repo, tag] = HELPER_IMAGE.split(':');
      await this.request('POST /images/create?fromSrc=-', signal, async (abortSignal) => {
        const progress = await docker.importImage(
          pack as unknown as NodeJS.ReadableStream,
          {
            repo,
            tag,
            changes: ['CMD ["/volumes-lab-helper"]', `LABEL ${HELPER_LABEL}=image`],
            abortSignal,
          } as unknown as Record<string, unknown>,
        );
        await new Promise<void>((resolve, reject) =>
          docker.modem.followProgress(progress, (err) => (err ? reject(err) : resolve())),
        );
      });
    };
    if (!this.helperImage) {
      const attempt = ensure();
      this.helperImage = attempt;
      attempt.catch(() => {
        if (this.helperImage === attempt) this.helperImage = undefined;
      });
    }
    return this.helperImage;
  }

  async createVolumeHelper(
    volume: string,
    options: { mountPath: string; readOnly: boolean },
    signal?: AbortSignal,
  ): Promise<string> {
    const { docker } = await this.connect(signal);
    await this.ensureHelperImage(docker, signal);
    const container = await this.request('POST /containers/create', signal, (abortSignal) =>
      docker.createContainer({
        Image: HELPER_IMAGE,
        Labels: { [HELPER_LABEL]: volume },
        NetworkDisabled: true,
        HostConfig: {
          NetworkMode: 'none',
          Mounts: [{ Type: 'volume', Source: volume, Target: options.mountPath, ReadOnly: options.readOnly }],
        },
        abortSignal,
      }),
    );
    return container.id;
  }

  async listVolumeHelpers(signal?: AbortSignal): Promise<ContainerSummary[]> {
    const { docker } = await this.connect(signal);
    const raw = await this.request('GET /containers/json?all=1&filters=label', signal, (abortSignal) =>
      docker.listContainers({ all: true, filters: { label: [HELPER_LABEL] }, abortSignal }),
    );
    return raw.map(toContainer);
  }

  async getArchive(containerId: string, archivePath: string, signal?: AbortSignal): Promise<Readable> {
    const { docker } = await this.connect(signal);
    const stream = await this.request(
      `GET /containers/${containerId.slice(0, 12)}/archive?path=${archivePath}`,
      signal,
      (abortSignal) => docker.getContainer(containerId).getArchive({ path: archivePath, abortSignal }),
    );
    // The HTTP response itself: destroying it (cancel) ends the transfer on the daemon too.
    return stream as unknown as Readable;
  }

  async putArchive(containerId: string, archivePath: string, tarStream: Readable, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(
      `PUT /containers/${containerId.slice(0, 12)}/archive?path=${archivePath}`,
      signal,
      (abortSignal, clock) => {
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
      },
    );
  }

  async statPath(
    containerId: string,
    archivePath: string,
    signal?: AbortSignal,
  ): Promise<{ name: string; size: number; mode: number; mtime: string; linkTarget: string }> {
    const { docker } = await this.connect(signal);
    // HEAD answers with the response itself (dockerode treats it as a stream): the stat is in a header.
    const response = (await this.request(
      `HEAD /containers/${containerId.slice(0, 12)}/archive?path=${archivePath}`,
      signal,
      (abortSignal) => docker.getContainer(containerId).infoArchive({ path: archivePath, abortSignal }),
    )) as unknown as { headers?: Record<string, string>; resume?: () => void };
    response.resume?.();
    const headers = response.headers ?? {};
    const encoded = headers['x-docker-container-path-stat'];
    if (!encoded) throw new DockerError('engine', `No stat for ${archivePath}`, 'HEAD archive');
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as {
      name: string;
      size: number;
      mode: number;
      mtime: string;
      linkTarget: string;
    };
  }

  async inspectImage(ref: string, signal?: AbortSignal): Promise<ImageDetails> {
    const { docker } = await this.connect(signal);
    const raw = await this.request(`GET /images/${ref}/json`, signal, (abortSignal) =>
      docker.getImage(ref).inspect({ abortSignal } as unknown as Record<string, never>),
    );
    return toImage(raw.Id, raw.RepoTags ?? [], raw.Config);
  }

  async listImages(signal?: AbortSignal): Promise<ImageDetails[]> {
    const { docker } = await this.connect(signal);
    const raw = await this.request('GET /images/json', signal, (abortSignal) =>
      docker.listImages({ abortSignal } as Dockerode.ListImagesOptions),
    );
    return raw
      .filter((i) => (i.RepoTags ?? []).some((t) => t !== '<none>:<none>'))
      .map((i) => toImage(i.Id, i.RepoTags ?? [], undefined));
  }

  async pullImage(ref: string, onProgress: (status: string) => void, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    const stream = await this.request(`POST /images/create?fromImage=${ref}`, signal, (abortSignal) =>
      docker.pull(ref, { abortSignal }),
    );
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null) =>
          err ? reject(toDockerError(err, `pull ${ref}`, describeEndpoint(this.endpoint))) : resolve(),
        (event: { status?: string; progress?: string; id?: string; error?: string }) => {
          if (event.error) return;
          onProgress([event.id, event.status, event.progress].filter(Boolean).join(' '));
        },
      );
    });
  }

  runContainer(spec: ContainerRunSpec, signal?: AbortSignal): Promise<{ id: string; name: string }> {
    return containers.runContainer(this, spec, signal);
  }

  inspectContainer(id: string, signal?: AbortSignal): Promise<ContainerDetails> {
    return containers.inspectContainer(this, id, signal);
  }

  async startContainer(id: string, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(`POST /containers/${id.slice(0, 12)}/start`, signal, (abortSignal) =>
      docker.getContainer(id).start({ abortSignal } as Record<string, unknown>),
    );
  }

  async stopContainer(id: string, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(`POST /containers/${id.slice(0, 12)}/stop`, signal, (abortSignal) =>
      docker.getContainer(id).stop({ t: 10, abortSignal } as Record<string, unknown>),
    );
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

  async resizeTty(id: string, rows: number, columns: number, signal?: AbortSignal): Promise<void> {
    const { docker } = await this.connect(signal);
    await this.request(`POST /containers/${id.slice(0, 12)}/resize`, signal, (abortSignal) =>
      docker.getContainer(id).resize({ h: rows, w: columns, abortSignal } as Record<string, unknown>),
    );
  }

  containerLogs(id: string, options: { follow: boolean; tail?: number }, signal?: AbortSignal): Promise<Readable> {
    return containers.containerLogs(this, id, options, signal);
  }

  execStream(
    id: string,
    command: string[],
    io: { stdout: NodeJS.WritableStream; stdin?: Readable; env?: string[]; user?: string },
    signal?: AbortSignal,
  ): Promise<{ exitCode: number; stderr: string }> {
    return containers.execStream(this, id, command, io, signal);
  }

  dispose(): void {
    this.docker = undefined;
    this.freshInfo = undefined;
  }
}
