/**
 * What the Volumes view shows, as plain data: each volume with the containers that use it and its size,
 * grouped and sorted as the settings ask. No vscode here; the view turns this into tree items.
 */
import type { ContainerSummary, VolumeSummary } from './engineTypes';

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_VOLUME_LABEL = 'com.docker.compose.volume';

export interface VolumeUse {
  containerId: string;
  containerName: string;
  image: string;
  state: string;
  running: boolean;
  destination: string;
  readOnly: boolean;
}

export interface VolumeRow {
  volume: VolumeSummary;
  users: VolumeUse[];
  /** Bytes; -1 when the driver cannot tell; undefined while not yet measured. */
  size: number | undefined;
  composeProject?: string;
  composeVolume?: string;
}

export type GroupBy = 'usage' | 'composeProject' | 'driver' | 'none';
export type SortBy = 'name' | 'size' | 'created';
export type GroupKind = 'inUse' | 'unused' | 'anonymous' | 'project' | 'noProject' | 'driver';

export interface VolumeGroup {
  kind: GroupKind;
  /** Project or driver name for those groups; empty for the usage groups. */
  key: string;
  rows: VolumeRow[];
  /** Bytes the group's unused volumes hold (known sizes only). */
  reclaimable: number;
}

export function buildRows(
  volumes: VolumeSummary[],
  containers: ContainerSummary[],
  sizes: Record<string, { size: number }> = {},
): VolumeRow[] {
  const users = new Map<string, VolumeUse[]>();
  for (const c of containers) {
    for (const m of c.mounts) {
      if (m.type !== 'volume' || !m.name) continue;
      const list = users.get(m.name) ?? [];
      list.push({
        containerId: c.id,
        containerName: c.name,
        image: c.image,
        state: c.state,
        running: c.state === 'running',
        destination: m.destination,
        readOnly: m.readOnly,
      });
      users.set(m.name, list);
    }
  }
  return volumes.map((volume) => {
    const project = volume.labels[COMPOSE_PROJECT_LABEL];
    const composeVolume = volume.labels[COMPOSE_VOLUME_LABEL];
    return {
      volume,
      users: (users.get(volume.name) ?? []).sort((a, b) => a.containerName.localeCompare(b.containerName)),
      size: sizes[volume.name]?.size,
      ...(project ? { composeProject: project } : {}),
      ...(composeVolume ? { composeVolume } : {}),
    };
  });
}

/** The containers that mount the named volume `volume` (a bind of a same-named folder is not one). */
export function containersUsing<C extends Pick<ContainerSummary, 'mounts'>>(
  containers: readonly C[],
  volume: string,
): C[] {
  return containers.filter((c) => c.mounts.some((m) => m.type === 'volume' && m.name === volume));
}

export function isUnused(row: VolumeRow): boolean {
  return row.users.length === 0;
}

const knownSize = (row: VolumeRow) => (row.size !== undefined && row.size > 0 ? row.size : 0);

export function reclaimableBytes(rows: VolumeRow[]): number {
  return rows.filter(isUnused).reduce((total, row) => total + knownSize(row), 0);
}

export function sortRows(rows: VolumeRow[], sortBy: SortBy): VolumeRow[] {
  const byName = (a: VolumeRow, b: VolumeRow) => a.volume.name.localeCompare(b.volume.name);
  const sorted = [...rows];
  switch (sortBy) {
    case 'size':
      return sorted.sort((a, b) => (b.size ?? -2) - (a.size ?? -2) || byName(a, b));
    case 'created':
      return sorted.sort((a, b) => (b.volume.createdAt ?? '').localeCompare(a.volume.createdAt ?? '') || byName(a, b));
    case 'name':
      return sorted.sort(byName);
  }
}

function group(kind: GroupKind, key: string, rows: VolumeRow[], sortBy: SortBy): VolumeGroup {
  return { kind, key, rows: sortRows(rows, sortBy), reclaimable: reclaimableBytes(rows) };
}

/** Groups for the view; empty groups are left out, except that `none` always gives one group. */
export function groupRows(rows: VolumeRow[], groupBy: GroupBy, sortBy: SortBy): VolumeGroup[] {
  switch (groupBy) {
    case 'none':
      return [group('inUse', '', rows, sortBy)];
    case 'usage': {
      const anonymous = rows.filter((r) => r.volume.anonymous);
      const named = rows.filter((r) => !r.volume.anonymous);
      return [
        group(
          'inUse',
          '',
          named.filter((r) => !isUnused(r)),
          sortBy,
        ),
        group('unused', '', named.filter(isUnused), sortBy),
        group('anonymous', '', anonymous, sortBy),
      ].filter((g) => g.rows.length > 0);
    }
    case 'composeProject': {
      const projects = new Map<string, VolumeRow[]>();
      for (const row of rows)
        if (row.composeProject) projects.set(row.composeProject, [...(projects.get(row.composeProject) ?? []), row]);
      const others = rows.filter((r) => !r.composeProject);
      return [
        ...[...projects.keys()].sort().map((p) => group('project', p, projects.get(p)!, sortBy)),
        ...(others.length ? [group('noProject', '', others, sortBy)] : []),
      ];
    }
    case 'driver': {
      const drivers = new Map<string, VolumeRow[]>();
      for (const row of rows) drivers.set(row.volume.driver, [...(drivers.get(row.volume.driver) ?? []), row]);
      return [...drivers.keys()].sort().map((d) => group('driver', d, drivers.get(d)!, sortBy));
    }
  }
}

export interface RowFilter {
  text?: string;
  unusedOnly?: boolean;
}

export function filterRows(rows: VolumeRow[], filter: RowFilter): VolumeRow[] {
  const text = filter.text?.trim().toLowerCase();
  return rows.filter((row) => {
    if (filter.unusedOnly && !isUnused(row)) return false;
    if (!text) return true;
    const haystack = [
      row.volume.name,
      row.volume.driver,
      row.composeProject ?? '',
      row.composeVolume ?? '',
      ...Object.entries(row.volume.labels).map(([k, v]) => `${k}=${v}`),
      ...row.users.map((u) => u.containerName),
    ]
      .join('\n')
      .toLowerCase();
    return haystack.includes(text);
  });
}

/** Size units by display language: French counts in octets (ko, Mo, Go), as its readers expect. */
const SIZE_UNITS: Record<'en' | 'fr', { bytes: string; larger: string[]; unknown: string }> = {
  en: { bytes: 'B', larger: ['kB', 'MB', 'GB', 'TB', 'PB'], unknown: 'n/a' },
  fr: { bytes: 'o', larger: ['ko', 'Mo', 'Go', 'To', 'Po'], unknown: 'n.d.' },
};

/**
 * Sizes the way `docker system df` prints them: decimal units, three significant digits; in the display language's
 * units and decimal separator (`language` is VS Code's, e.g. `fr`: "1,25 Mo").
 */
export function formatBytes(bytes: number, language = 'en'): string {
  const units = SIZE_UNITS[language.toLowerCase().startsWith('fr') ? 'fr' : 'en'];
  if (bytes < 0) return units.unknown;
  if (bytes < 1000) return `${bytes} ${units.bytes}`;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.larger.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${decimalText(value, digits, language)} ${units.larger[unit]}`;
}

function decimalText(value: number, digits: number, language: string): string {
  const options = { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false };
  try {
    return new Intl.NumberFormat(language, options).format(value);
  } catch {
    return value.toFixed(digits);
  }
}

export interface DaemonVolumeState {
  exists: boolean;
  size?: number;
  users: string[];
}

/** A listed volume's state as the editor shows it: its size when measured, the containers using it. */
export function daemonVolumeState(row: VolumeRow): DaemonVolumeState {
  return {
    exists: true,
    ...(row.size !== undefined ? { size: row.size } : {}),
    users: row.users.map((u) => u.containerName),
  };
}
