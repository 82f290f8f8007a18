/**
 * Our own result types for the daemon boundary: nothing here depends on dockerode's or VS Code's types.
 * They live in core so the pure rules can name what src/docker produces without importing it.
 */

export interface EngineInfo {
  /** Engine version, e.g. "20.10.24". */
  version: string;
  /** Highest API version the engine speaks, e.g. "1.41". */
  apiVersion: string;
  /** The API version this client negotiated and uses for every call. */
  negotiatedApiVersion: string;
  os: string;
  arch: string;
}

export interface VolumeSummary {
  name: string;
  driver: string;
  /** "local" or "global". */
  scope: string;
  mountpoint: string;
  /** ISO date, when the driver reports it. */
  createdAt?: string;
  labels: Record<string, string>;
  options: Record<string, string>;
  /** Docker names anonymous volumes with 64 hex characters. */
  anonymous: boolean;
}

export interface VolumeCreateSpec {
  /** Omitted: the engine makes an anonymous volume. */
  name?: string;
  driver?: string;
  driverOpts?: Record<string, string>;
  labels?: Record<string, string>;
}

export type MountType = 'volume' | 'bind' | 'tmpfs' | 'npipe' | 'cluster';

export interface ContainerMount {
  type: MountType;
  /** Volume name for `volume` mounts. */
  name?: string;
  /** Host path for binds, the volume's mountpoint for volumes, empty for tmpfs. */
  source: string;
  destination: string;
  readOnly: boolean;
  mode: string;
  propagation: string;
  driver?: string;
}

export interface ContainerSummary {
  id: string;
  /** Without the leading slash. */
  name: string;
  image: string;
  /** "running", "exited", "created", "paused", ... */
  state: string;
  /** Human status, e.g. "Up 3 minutes". */
  status: string;
  labels: Record<string, string>;
  mounts: ContainerMount[];
  /** Unix seconds. */
  created: number;
}

/** Totals for one kind of object in `docker system df`. */
export interface UsageTotals {
  count: number;
  /** In use: images with containers, running containers, volumes with containers, build cache in use. */
  active: number;
  /** Bytes. */
  size: number;
  /** Bytes that removing what is not in use would free. */
  reclaimable: number;
}

export interface DiskUsage {
  images: UsageTotals;
  containers: UsageTotals;
  volumes: UsageTotals;
  buildCache: UsageTotals;
  /** Per volume: bytes on disk (-1 when the driver cannot tell, e.g. non-local drivers) and containers using it. */
  volumeSizes: Record<string, { size: number; refCount: number }>;
}

/** One message of the daemon's event stream. */
export interface DockerEvent {
  /** "volume", "container", "image", "network", ... */
  type: string;
  /** "create", "destroy", "mount", "unmount", "prune", "start", "die", ... */
  action: string;
  /** Volume name or container id. */
  id: string;
  attributes: Record<string, string>;
  /** Unix nanoseconds. */
  timeNano: number;
}

/** One mount of a container to create, in the long `Mounts` form (a missing bind source is an error). */
export type MountRequest =
  | { type: 'bind'; source: string; target: string; readOnly?: boolean; selinux?: 'z' | 'Z' }
  /** An empty `source` asks for an anonymous volume. */
  | { type: 'volume'; source: string; target: string; readOnly?: boolean }
  | { type: 'tmpfs'; target: string; sizeBytes?: number; mode?: number };

export interface ContainerRunSpec {
  image: string;
  name?: string;
  command?: string[];
  env?: Record<string, string>;
  workingDir?: string;
  mounts: MountRequest[];
  ports?: { host: number; container: number; protocol?: 'tcp' | 'udp' }[];
  labels?: Record<string, string>;
  /** "none" where containers get no network (the test machines). */
  networkMode?: string;
  /** Containers whose mounts this one takes too (`--volumes-from`). */
  volumesFrom?: string[];
  /** false: create the container without starting it (`docker create`). */
  start?: boolean;
  /** A terminal and an open stdin, for an interactive shell (`-it`). */
  tty?: boolean;
}

export interface ImageDetails {
  id: string;
  tags: string[];
  workingDir: string;
  cmd: string[];
  entrypoint: string[];
  /** Paths the image declares with `VOLUME` (empty when listed, since listing gives no config). */
  volumes: string[];
}

export interface ContainerDetails {
  id: string;
  name: string;
  image: string;
  /** The id of the image the container runs (`sha256:…`): what `image` named when it was created. */
  imageId?: string;
  state: string;
  running: boolean;
  labels: Record<string, string>;
  mounts: (ContainerMount & { tmpfsSizeBytes?: number; tmpfsMode?: number })[];
  /** Containers named with --volumes-from. */
  volumesFrom: string[];
  /** `KEY=value` lines of the container's environment (database credentials for dumps). */
  env: string[];
  /** The main process's exit code once it has exited (0 before it ever ran). */
  exitCode: number;
}
