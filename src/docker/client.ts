import type { Endpoint } from './endpoint';
import type { Readable } from 'node:stream';
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

/** Where the daemon layer reports its Engine API calls (the VS Code side routes this to the output channel). */
export interface ApiLogger {
  debug(message: string): void;
}

/** The streams of a command run in a container: its stdout goes to `stdout`; `stdin`, when given, is its input. */
export interface ExecStreams {
  stdout: NodeJS.WritableStream;
  stdin?: Readable;
  env?: string[];
  user?: string;
}

/** How a command run in a container ended: its exit code and the last 64 KiB of its stderr. */
export interface ExecOutcome {
  exitCode: number;
  stderr: string;
}

/**
 * Everything the extension asks of a Docker daemon. Implementations translate every failure into a
 * `DockerError`; every method takes an optional `AbortSignal` and is bounded by the client's timeout.
 */
export interface DockerClient {
  /** The daemon this client talks to. */
  readonly endpoint: Endpoint;
  /** Number of Engine API requests sent so far (for idle checks and benchmarks). */
  readonly apiCallCount: number;

  /** Engine version and the API version negotiated with it. Also a cheap reachability check. */
  version(signal?: AbortSignal): Promise<EngineInfo>;

  /** `GET /info`: the engine's storage driver, counts and Swarm state. */
  info(
    signal?: AbortSignal,
  ): Promise<{ name: string; driver: string; containers: number; images: number; swarm: string }>;

  /** All volumes, in the engine's order. */
  listVolumes(signal?: AbortSignal): Promise<VolumeSummary[]>;

  /** One volume; `notFound` when it does not exist. */
  inspectVolume(name: string, signal?: AbortSignal): Promise<VolumeSummary>;

  /** Create a volume (anonymous when `spec.name` is omitted) and return it as the engine reports it. */
  createVolume(spec: VolumeCreateSpec, signal?: AbortSignal): Promise<VolumeSummary>;

  /** Remove a volume; `conflict` when a container uses it, `notFound` when it is gone. */
  removeVolume(name: string, options?: { force?: boolean }, signal?: AbortSignal): Promise<void>;

  /** Containers with their mounts; stopped ones too when `all`. */
  listContainers(options: { all: boolean }, signal?: AbortSignal): Promise<ContainerSummary[]>;

  /** Removes a container (its anonymous volumes stay unless `removeVolumes`). */
  removeContainer(
    id: string,
    options?: { force?: boolean; removeVolumes?: boolean },
    signal?: AbortSignal,
  ): Promise<void>;

  /** `GET /system/df` in either response shape; walks every volume, so call it off the first render. */
  diskUsage(signal?: AbortSignal): Promise<DiskUsage>;

  /**
   * Streams daemon events matching `filters` (e.g. `{ type: ['volume', 'container'] }`) to `onEvent` until
   * `signal` aborts (resolves) or the connection drops (rejects). Rejects at once when the stream cannot open.
   */
  watchEvents(
    filters: Record<string, string[]>,
    onEvent: (event: DockerEvent) => void,
    signal: AbortSignal,
  ): Promise<void>;

  /**
   * Creates, never starts, a labelled helper container with `volume` mounted read-only (or read-write) at
   * `mountPath`, from the extension's own tiny imported image. Returns its id.
   */
  createVolumeHelper(
    volume: string,
    options: { mountPath: string; readOnly: boolean },
    signal?: AbortSignal,
  ): Promise<string>;

  /** Helper containers left by an earlier session (crash, daemon restart): ids and names. */
  listVolumeHelpers(signal?: AbortSignal): Promise<ContainerSummary[]>;

  /** A tar stream of `path` inside a container (the archive API; works on never-started containers). */
  getArchive(containerId: string, path: string, signal?: AbortSignal): Promise<Readable>;

  /**
   * Extracts a tar stream into `path` inside a container (the archive API; works on never-started
   * containers). Not bounded by the request timeout: it lasts as long as the data; cancel with `signal`.
   */
  putArchive(containerId: string, path: string, tar: Readable, signal?: AbortSignal): Promise<void>;

  /** Stat of one path inside a container, or `notFound`. */
  statPath(
    containerId: string,
    path: string,
    signal?: AbortSignal,
  ): Promise<{ name: string; size: number; mode: number; mtime: string; linkTarget: string }>;

  /** Image details (working directory, command); `notFound` when the image is not on the daemon. */
  inspectImage(ref: string, signal?: AbortSignal): Promise<ImageDetails>;

  /** Local images (tagged ones), for pickers. */
  listImages(signal?: AbortSignal): Promise<ImageDetails[]>;

  /** Pulls an image, reporting progress lines; `unreachable` style failures when the registry is out of reach. */
  pullImage(ref: string, onProgress: (status: string) => void, signal?: AbortSignal): Promise<void>;

  /**
   * Creates and starts a container. Mounts use the long form, so a missing bind source fails instead of
   * being created (except with an SELinux label, which only the short form carries).
   */
  runContainer(spec: ContainerRunSpec, signal?: AbortSignal): Promise<{ id: string; name: string }>;

  /** Full details of one container, with tmpfs sizes and --volumes-from. */
  inspectContainer(id: string, signal?: AbortSignal): Promise<ContainerDetails>;

  /** Starts a stopped container. */
  startContainer(id: string, signal?: AbortSignal): Promise<void>;

  /** Stops a running container (10 s grace). */
  stopContainer(id: string, signal?: AbortSignal): Promise<void>;

  /** Runs a command in a running container and waits: exit code and combined output. */
  exec(id: string, command: string[], signal?: AbortSignal): Promise<{ exitCode: number; output: string }>;

  /**
   * Attaches to a container created with `tty` (its terminal: raw output, keystrokes in), as
   * `docker run -it` / `docker start -ai` do. Not bounded by the request timeout; ends when it exits.
   */
  attach(id: string, signal?: AbortSignal): Promise<NodeJS.ReadWriteStream>;

  /** Sets a tty container's terminal size. */
  resizeTty(id: string, rows: number, columns: number, signal?: AbortSignal): Promise<void>;

  /**
   * A container's output (stdout and stderr, demultiplexed), the last `tail` lines and, with `follow`, what
   * it writes next until `signal` aborts. Not bounded by the request timeout when following.
   */
  containerLogs(id: string, options: { follow: boolean; tail?: number }, signal?: AbortSignal): Promise<Readable>;

  /**
   * Runs `command` in a running container with its stdout streamed into `io.stdout` and, when given,
   * `io.stdin` streamed to its standard input (closed at the end). Not bounded by the request timeout;
   * cancel with `signal`. Resolves with the exit code and the last 64 KiB of stderr.
   */
  execStream(id: string, command: string[], io: ExecStreams, signal?: AbortSignal): Promise<ExecOutcome>;

  /** Close idle sockets. */
  dispose(): void;
}
