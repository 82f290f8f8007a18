import type { BackupManifest, BackupRequest, RetentionRule } from '../core/backups';
import { dumpSourceOf } from '../core/backupTrust';
import { backupLine, dumpLine } from '../core/cliActions';
import type { DatabasePlan } from '../core/databases';
import type { VolumeSummary } from '../core/engineTypes';
import { maskSecrets } from '../core/networkVolumes';
import { backupVolume } from '../docker/backup';
import type { Progress } from '../docker/tarCounting';
import { dumpDatabase } from '../docker/dump';
import { freeBackupFile, saveManifestAndRetain, withStopped, type DatabaseContainer } from './backupFiles';
import type { FlowDeps, RunningContainer } from './flowDeps';

export interface BackupResult {
  file: string;
  manifest: BackupManifest;
  /** Older backups the retention rule deleted. */
  deleted: string[];
}

export interface ArchiveBackupRequest extends BackupRequest {
  /** Containers to stop for the copy and start again ('stop'); none: a live copy. */
  stop: readonly RunningContainer[];
  onProgress?: (p: Progress) => void;
}

/** Backs up a volume into a `.tar.gz` with its manifest, then applies retention. */
export async function backupArchiveFlow(deps: FlowDeps, request: ArchiveBackupRequest): Promise<BackupResult> {
  const { volume, folder } = request;
  const file = freeBackupFile(deps, folder, volume, 'archive');
  const [volumeInfo, engine] = await Promise.all([
    deps.daemon.use((c) => c.inspectVolume(volume)),
    deps.daemon.use((c) => c.version()),
  ]);
  // Logged inside the work, so that the lines read in the order they happen (after any docker stop).
  const work = () => {
    deps.log.cli(backupLine(volume, file, request.helper, deps.daemon.cliTarget));
    return deps.daemon.use((client) =>
      backupVolume(client, volume, file, { level: request.level, ...signalAndProgress(request) }),
    );
  };
  const result = request.stop.length ? await withStopped(deps, request.stop, work) : await work();
  const manifest = manifestOf({
    volume,
    described: volumeInfo,
    written: {
      bytes: result.contentBytes,
      files: result.files,
      archiveBytes: result.compressedBytes,
      sha256: result.sha256,
    },
    engineVersion: engine.version,
  });
  return { file, manifest, deleted: saveManifestAndRetain(deps, file, manifest, request.keep) };
}

export interface DumpRequest {
  target: DatabaseContainer;
  /** The dump and restore commands for the container, with its credentials. */
  plan: DatabasePlan;
  /**
   * The container as inspected: its name and image go into the manifest, and with its image id and compose files into
   * the record of the dumps this machine wrote.
   */
  details: { id: string; name: string; image: string; imageId?: string; labels?: Record<string, string> };
  folder: string;
  level: number;
  keep: RetentionRule;
  signal?: AbortSignal;
  onBytes?: (sqlBytes: number) => void;
}

/** Dumps a running database into a `.sql.gz` with its manifest, then applies retention. */
export async function dumpFlow(deps: FlowDeps, request: DumpRequest): Promise<BackupResult> {
  const { target, plan, details } = request;
  const file = freeBackupFile(deps, request.folder, target.volume, 'dump');
  deps.log.cli(dumpLine(plan, file, deps.daemon.cliTarget));
  const [engineInfo, volumeInfo] = await Promise.all([
    deps.daemon.use((c) => c.version()),
    target.volume !== target.container.name
      ? deps.daemon.use((c) => c.inspectVolume(target.volume)).catch(() => undefined)
      : Promise.resolve(undefined),
  ]);
  const result = await deps.daemon.use((client) =>
    dumpDatabase(client, details.id, plan.dump, file, {
      level: request.level,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.onBytes ? { onBytes: request.onBytes } : {}),
    }),
  );
  deps.writtenDumps?.remember(result.sha256, dumpSourceOf(details));
  const manifest = manifestOf({
    volume: target.volume,
    described: volumeInfo,
    database: { engine: plan.engine, product: plan.product, image: details.image, container: details.name },
    written: { bytes: result.sqlBytes, files: 1, archiveBytes: result.compressedBytes, sha256: result.sha256 },
    engineVersion: engineInfo.version,
  });
  return { file, manifest, deleted: saveManifestAndRetain(deps, file, manifest, request.keep) };
}

/** The manifest of a backup just written, a volume archive or (with `database`) a dump. */
function manifestOf(parts: {
  volume: string;
  /** The volume as the daemon describes it; a dump of a container whose data is in no named volume has none. */
  described: Pick<VolumeSummary, 'driver' | 'options' | 'labels'> | undefined;
  database?: BackupManifest['database'];
  written: Pick<BackupManifest, 'bytes' | 'files' | 'archiveBytes' | 'sha256'>;
  engineVersion: string;
}): BackupManifest {
  return {
    format: 'docker-volumes-lab/backup@1',
    ...(parts.database ? { kind: 'dump', database: parts.database } : {}),
    volume: parts.volume,
    driver: parts.described?.driver ?? 'local',
    // Network volumes carry credentials in their options: a manifest lies beside the archive, often shared with it.
    options: maskSecrets(parts.described?.options ?? {}),
    labels: parts.described?.labels ?? {},
    ...parts.written,
    engineVersion: parts.engineVersion,
    createdAt: new Date().toISOString(),
  };
}

/** The optional signal and progress callback, spread only when present (exact optional properties). */
export function signalAndProgress(request: { signal?: AbortSignal; onProgress?: (p: Progress) => void }): {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
} {
  return {
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  };
}
