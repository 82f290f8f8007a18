/** Our own result types for the daemon boundary: nothing here depends on dockerode's or VS Code's types. */

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
