import * as path from 'node:path';
import type { BackupManifest } from '../core/backups';
import { cloneLines, restoreDumpLine, restoreLines, type HelperRun } from '../core/cliActions';
import type { DatabasePlan } from '../core/databases';
import { LABELS } from '../core/labels';
import { managedLabels } from '../constants';
import { restoreVolume, type RestoreMode, type RestoreResult } from '../docker/restore';
import type { Progress } from '../docker/tarCounting';
import { copyVolumeContent } from '../docker/upload';
import { measureVolume } from '../docker/volumeCounting';
import { restoreDump, verifyDump, type DumpRestoreResult } from '../docker/dump';
import { signalAndProgress } from './backup';
import { withStopped } from './backupFiles';
import type { FlowDeps, RunningContainer } from './flowDeps';

/** What an existing volume holds ('.' counts as one entry), to choose between replace and merge. */
export function volumeHolds(deps: FlowDeps, volume: string): Promise<{ files: number; contentBytes: number }> {
  return deps.daemon.use((client) => measureVolume(client, volume));
}

/** How a new volume is created: the manifest's driver and options once the user accepted them. */
export interface VolumeCreation {
  driver?: string;
  driverOpts?: Record<string, string>;
  labels: Record<string, string>;
}

export interface ArchiveRestoreRequest {
  file: string;
  target: string;
  mode: RestoreMode;
  manifest: BackupManifest | undefined;
  /** For a new volume: how to create it. */
  create: VolumeCreation | undefined;
  /** Content past which the restore fails (archiveTooLarge); undefined: no limit. */
  maxContentBytes: number | undefined;
  /** Entries past which the restore fails (archiveTooLarge); undefined: no limit. */
  maxEntries: number | undefined;
  stop: readonly RunningContainer[];
  helper: HelperRun;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

/** Restores a `.tar.gz` into a volume, checked first: a bad archive leaves the volume as it was. */
export function restoreArchiveFlow(deps: FlowDeps, request: ArchiveRestoreRequest): Promise<RestoreResult> {
  const { file, target, mode, manifest, create, helper } = request;
  // The lines shown are those of what is done: the volume created as `create` says, after any docker stop.
  const work = () => {
    for (const line of restoreLines(target, file, mode, helper, deps.daemon.cliTarget, create)) deps.log.cli(line);
    return deps.daemon.use((client) =>
      restoreVolume(
        client,
        {
          archive: file,
          target,
          mode,
          ...(request.maxContentBytes !== undefined ? { maxContentBytes: request.maxContentBytes } : {}),
          ...(request.maxEntries !== undefined ? { maxEntries: request.maxEntries } : {}),
          ...(manifest ? { expectedSha256: manifest.sha256 } : {}),
          ...(create ? { create } : {}),
          shellImage: helper.image,
          ...(helper.networkMode ? { networkMode: helper.networkMode } : {}),
          labels: managedLabels(),
        },
        signalAndProgress(request),
      ),
    );
  };
  return request.stop.length ? withStopped(deps, request.stop, work) : work();
}

/** Where a dump comes from, as far as this machine can tell: `recorded` when this extension wrote these very bytes. */
export interface DumpOrigin {
  sha256: string;
  sqlBytes: number;
  recorded: boolean;
}

/**
 * Reads the dump whole (a damaged file, or one that does not match its manifest's checksum, throws) and looks its
 * checksum up in the record of the dumps this extension wrote. Its manifest cannot say: anyone can write one.
 */
export async function dumpOrigin(
  file: string,
  manifest: BackupManifest | undefined,
  written: (sha256: string) => boolean,
  signal?: AbortSignal,
): Promise<DumpOrigin> {
  const { sha256, sqlBytes } = await verifyDump(file, manifest?.sha256, signal);
  return { sha256, sqlBytes, recorded: written(sha256) };
}

export interface DumpRestoreRequest {
  file: string;
  manifest: BackupManifest | undefined;
  /** The checksum the file had when its origin was judged: a file changed since then is refused. */
  sha256?: string;
  details: { id: string; name: string };
  plan: DatabasePlan;
  signal?: AbortSignal;
  onBytes?: (sqlBytes: number) => void;
}

/** Replays a `.sql.gz` into a running database; the statements that failed are logged and returned. */
export async function restoreDumpFlow(deps: FlowDeps, request: DumpRestoreRequest): Promise<DumpRestoreResult> {
  const { file, manifest, details, plan } = request;
  deps.log.cli(restoreDumpLine(plan, file, deps.daemon.cliTarget));
  const result = await deps.daemon.use((client) =>
    restoreDump(client, details.id, plan.restore, file, {
      ...(request.sha256 || manifest ? { expectedSha256: request.sha256 ?? manifest?.sha256 ?? '' } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.onBytes ? { onBytes: request.onBytes } : {}),
    }),
  );
  for (const line of result.errors) deps.log.warn(`restore ${path.basename(file)}: ${line}`);
  return result;
}

export interface CloneRequest {
  source: string;
  target: string;
  helper: HelperRun;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

/** Creates `target` like `source` (driver, options, labels) and copies the content; a failed copy removes it. */
export async function cloneFlow(deps: FlowDeps, request: CloneRequest): Promise<Progress & { contentBytes: number }> {
  const { source, target } = request;
  const info = await deps.daemon.use((client) => client.inspectVolume(source));
  const clone = {
    name: target,
    driver: info.driver,
    driverOpts: info.options,
    labels: { ...info.labels, [LABELS.clonedFrom]: source },
  };
  for (const line of cloneLines(source, clone, request.helper, deps.daemon.cliTarget)) deps.log.cli(line);
  await deps.daemon.use((client) => client.createVolume(clone));
  try {
    return await deps.daemon.use((client) => copyVolumeContent(client, source, target, signalAndProgress(request)));
  } catch (err) {
    await deps.daemon.use((client) => client.removeVolume(target, { force: true })).catch(() => undefined);
    throw err;
  }
}
