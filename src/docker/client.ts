import type { Endpoint } from './endpoint';
import type { ContainerSummary, EngineInfo, VolumeCreateSpec, VolumeSummary } from './types';

/** Where the daemon layer reports its Engine API calls (the VS Code side routes this to the output channel). */
export interface ApiLogger {
  debug(message: string): void;
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

  /** Close idle sockets. */
  dispose(): void;
}
