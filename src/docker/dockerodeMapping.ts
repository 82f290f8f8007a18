/** Engine API answers mapped to our own result types (and our mount requests to the API's shape). */
import type Dockerode from 'dockerode';
import type {
  ContainerMount,
  ContainerSummary,
  DockerEvent,
  ImageDetails,
  MountRequest,
  MountType,
  VolumeSummary,
} from '../core/engineTypes';

const ANONYMOUS_NAME = /^[0-9a-f]{64}$/;

export function toVolume(raw: Dockerode.VolumeInspectInfo & { CreatedAt?: string }): VolumeSummary {
  return {
    name: raw.Name,
    driver: raw.Driver,
    scope: raw.Scope ?? 'local',
    mountpoint: raw.Mountpoint ?? '',
    ...(raw.CreatedAt ? { createdAt: raw.CreatedAt } : {}),
    labels: raw.Labels ?? {},
    options: raw.Options ?? {},
    anonymous: ANONYMOUS_NAME.test(raw.Name),
  };
}

export interface RawMount {
  Type?: string;
  Name?: string;
  Source?: string;
  Destination?: string;
  Driver?: string;
  Mode?: string;
  RW?: boolean;
  Propagation?: string;
}

export function toMount(raw: RawMount): ContainerMount {
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

export interface RawImageConfig {
  WorkingDir?: string;
  Cmd?: string[] | null;
  Entrypoint?: string[] | string | null;
  Volumes?: Record<string, unknown> | null;
}

export function toImage(id: string, tags: string[], config: RawImageConfig | undefined): ImageDetails {
  const entrypoint = config?.Entrypoint;
  return {
    id,
    tags: tags.filter((t) => t !== '<none>:<none>'),
    workingDir: config?.WorkingDir ?? '',
    cmd: config?.Cmd ?? [],
    entrypoint: Array.isArray(entrypoint) ? entrypoint : entrypoint ? [entrypoint] : [],
    volumes: Object.keys(config?.Volumes ?? {}),
  };
}

export function toApiMount(m: MountRequest): Record<string, unknown> {
  switch (m.type) {
    case 'bind':
      return { Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.readOnly ?? false };
    case 'volume':
      return {
        Type: 'volume',
        ...(m.source ? { Source: m.source } : {}),
        Target: m.target,
        ReadOnly: m.readOnly ?? false,
      };
    case 'tmpfs':
      return {
        Type: 'tmpfs',
        Target: m.target,
        TmpfsOptions: {
          ...(m.sizeBytes ? { SizeBytes: m.sizeBytes } : {}),
          ...(m.mode !== undefined ? { Mode: m.mode } : {}),
        },
      };
  }
}

export function parseTmpfsSize(text: string): number | undefined {
  const m = /^(\d+)([kmg]?)$/i.exec(text);
  if (!m) return undefined;
  return (
    Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[m[2]!.toLowerCase()]!
  );
}

export interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  timeNano?: number;
  time?: number;
}

export function toEvent(raw: RawEvent): DockerEvent {
  return {
    type: raw.Type ?? '',
    action: raw.Action ?? raw.status ?? '',
    id: raw.Actor?.ID ?? raw.id ?? '',
    attributes: raw.Actor?.Attributes ?? {},
    timeNano: raw.timeNano ?? (raw.time ?? 0) * 1e9,
  };
}

export function toContainer(raw: Dockerode.ContainerInfo): ContainerSummary {
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
