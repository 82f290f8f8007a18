import type { DiskUsage, UsageTotals } from '../core/engineTypes';

/**
 * `GET /system/df` answers in two shapes: before API 1.52 with lists (`Images`, `Containers`, `Volumes`,
 * `BuildCache`, `LayersSize`), from 1.52 on with summaries (`ImageUsage`, `ContainerUsage`,
 * `VolumeUsage`, `BuildCacheUsage`, whose `Items` come only with `verbose`). Both become one DiskUsage.
 */

interface RawVolume {
  Name?: string;
  UsageData?: { Size?: number; RefCount?: number } | null;
}
interface RawSummary {
  ActiveCount?: number;
  TotalCount?: number;
  TotalSize?: number;
  Reclaimable?: number;
  Items?: unknown[] | null;
}
interface RawDiskUsage {
  LayersSize?: number;
  Images?: { Size?: number; SharedSize?: number; Containers?: number }[] | null;
  Containers?: { SizeRw?: number; State?: string }[] | null;
  Volumes?: RawVolume[] | null;
  BuildCache?: { Size?: number; InUse?: boolean; Shared?: boolean }[] | null;
  ImageUsage?: RawSummary;
  ContainerUsage?: RawSummary;
  VolumeUsage?: RawSummary;
  BuildCacheUsage?: RawSummary;
}

const positive = (n: number | undefined) => (typeof n === 'number' && n > 0 ? n : 0);

function fromSummary(s: RawSummary | undefined): UsageTotals {
  return {
    count: s?.TotalCount ?? 0,
    active: s?.ActiveCount ?? 0,
    size: positive(s?.TotalSize),
    reclaimable: positive(s?.Reclaimable),
  };
}

function volumeSizes(volumes: RawVolume[]): DiskUsage['volumeSizes'] {
  const sizes: DiskUsage['volumeSizes'] = {};
  for (const v of volumes) {
    if (!v.Name) continue;
    sizes[v.Name] = { size: v.UsageData?.Size ?? -1, refCount: v.UsageData?.RefCount ?? 0 };
  }
  return sizes;
}

export function normalizeDiskUsage(raw: unknown): DiskUsage {
  const df = (raw ?? {}) as RawDiskUsage;
  if (df.VolumeUsage || df.ImageUsage || df.ContainerUsage || df.BuildCacheUsage) {
    return {
      images: fromSummary(df.ImageUsage),
      containers: fromSummary(df.ContainerUsage),
      volumes: fromSummary(df.VolumeUsage),
      buildCache: fromSummary(df.BuildCacheUsage),
      volumeSizes: volumeSizes((df.VolumeUsage?.Items ?? []) as RawVolume[]),
    };
  }
  const images = df.Images ?? [];
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];
  const sizes = volumeSizes(volumes);
  const volumeValues = Object.values(sizes);
  return {
    images: {
      count: images.length,
      active: images.filter((i) => positive(i.Containers) > 0).length,
      size: positive(df.LayersSize),
      // What only unused images hold (their layers shared with used images stay).
      reclaimable: images
        .filter((i) => positive(i.Containers) === 0)
        .reduce((t, i) => t + positive(positive(i.Size) - positive(i.SharedSize)), 0),
    },
    containers: {
      count: containers.length,
      active: containers.filter((c) => c.State === 'running').length,
      size: containers.reduce((t, c) => t + positive(c.SizeRw), 0),
      reclaimable: containers.filter((c) => c.State !== 'running').reduce((t, c) => t + positive(c.SizeRw), 0),
    },
    volumes: {
      count: volumes.length,
      active: volumeValues.filter((v) => v.refCount > 0).length,
      size: volumeValues.reduce((t, v) => t + positive(v.size), 0),
      reclaimable: volumeValues.filter((v) => v.refCount === 0).reduce((t, v) => t + positive(v.size), 0),
    },
    buildCache: {
      count: cache.length,
      active: cache.filter((c) => c.InUse).length,
      size: cache.reduce((t, c) => t + positive(c.Size), 0),
      reclaimable: cache.filter((c) => !c.InUse && !c.Shared).reduce((t, c) => t + positive(c.Size), 0),
    },
    volumeSizes: sizes,
  };
}
