import type { VolumeRow } from '../core/volumeModel';
import { isUnused } from '../core/volumeModel';
import { DockerError, isNotFound } from '../docker/errors';
import type { FlowDeps } from './flowDeps';

export type PruneScope = 'anonymous' | 'all';

/** Unused volumes, those carrying `label` (`key` or `key=value`) only when given, like `--filter label=…`. */
export function unusedVolumes(rows: readonly VolumeRow[], label?: string): VolumeRow[] {
  const [labelKey, labelValue] = label?.split('=', 2) ?? [];
  return rows
    .filter(isUnused)
    .filter(
      (r) =>
        !labelKey ||
        (labelKey in r.volume.labels && (labelValue === undefined || r.volume.labels[labelKey] === labelValue)),
    );
}

/** The bytes of rows whose size is known. */
export function knownBytes(rows: readonly VolumeRow[]): number {
  return rows.reduce((t, r) => t + (r.size && r.size > 0 ? r.size : 0), 0);
}

export interface PruneOutcome {
  removed: string[];
  /** Volumes a container started using after the preview: Docker refused, so they are kept. */
  keptBecauseUsed: string[];
  reclaimedBytes: number;
}

/**
 * Removes exactly the previewed volumes, one by one (never `POST /volumes/prune`, which would also take
 * volumes created after the preview), keeping any that came into use; stops between two when `signal` aborts.
 */
export async function pruneFlow(
  deps: FlowDeps,
  planned: readonly VolumeRow[],
  onVolume: (name: string) => void,
  signal?: AbortSignal,
): Promise<PruneOutcome> {
  const outcome: PruneOutcome = { removed: [], keptBecauseUsed: [], reclaimedBytes: 0 };
  for (const row of planned) {
    if (signal?.aborted) break;
    onVolume(row.volume.name);
    try {
      await deps.daemon.use((client) => client.removeVolume(row.volume.name));
      outcome.removed.push(row.volume.name);
      outcome.reclaimedBytes += row.size && row.size > 0 ? row.size : 0;
    } catch (err) {
      if (err instanceof DockerError && err.kind === 'conflict') outcome.keptBecauseUsed.push(row.volume.name);
      else if (!isNotFound(err)) throw err;
    }
  }
  return outcome;
}
