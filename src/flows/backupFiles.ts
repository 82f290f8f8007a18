import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLine } from '../core/cliActions';
import {
  backupFileName,
  backupsToDelete,
  manifestFileName,
  type BackupManifest,
  type RetentionRule,
} from '../core/backups';
import { DATABASE_DATA_PATHS, detectDatabase, type DatabaseEngine } from '../core/databases';
import { containersUsing } from '../core/volumeModel';
import { listBackups } from '../docker/backupFolderScan';
import { DockerError } from '../docker/errors';
import { writeFileReplacing } from '../docker/streams';
import type { ContainerSummary } from '../core/engineTypes';
import { stopContainers } from './containerStops';
import type { FlowDeps, RunningContainer } from './flowDeps';

export type BackupKind = 'archive' | 'dump';

/** A backup file name for now, or for the next free second when two backups fall in the same one. */
export function freeBackupFile(deps: FlowDeps, folder: string, volume: string, kind: BackupKind): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(volume)) {
    throw new DockerError(
      'invalid',
      deps.l10n.t(
        'The daemon names this volume "{0}": a name with other characters than letters, digits, "_", "." and "-" cannot name a backup file.',
        volume,
      ),
      'backup',
    );
  }
  const now = Date.now();
  for (let second = 0; ; second++) {
    const file = path.join(folder, backupFileName(volume, new Date(now + second * 1000), kind));
    if (!fs.existsSync(file)) return file;
  }
}

/**
 * Finishes a backup of either kind: writes its manifest beside it, then deletes what the retention rule
 * condemns among the same volume's backups of that kind, never the file just written. Returns the files deleted.
 */
export function saveManifestAndRetain(
  deps: FlowDeps,
  file: string,
  manifest: BackupManifest,
  keep: RetentionRule,
): string[] {
  writeFileReplacing(manifestFileName(file), `${JSON.stringify(manifest, null, 2)}\n`);
  const kind: BackupKind = manifest.kind === 'dump' ? 'dump' : 'archive';
  const doomed = backupsToDelete(
    listBackups(path.dirname(file), deps.mayReadBackups).filter((b) => b.volume === manifest.volume && b.kind === kind),
    keep,
    new Date(),
    (b) => path.resolve(b.file) === path.resolve(file),
  );
  for (const b of doomed) {
    fs.rmSync(b.file, { force: true });
    fs.rmSync(manifestFileName(b.file), { force: true });
    deps.log.info(`retention: deleted ${b.file}`);
  }
  return doomed.map((b) => b.file);
}

/** Stops `running`, does the work, and starts them again whatever happened. */
export async function withStopped<T>(
  deps: FlowDeps,
  running: readonly RunningContainer[],
  work: () => Promise<T>,
): Promise<T> {
  await stopContainers(deps, running);
  try {
    return await work();
  } finally {
    for (const c of running) {
      deps.log.cli(startLine(c.name, deps.daemon.cliTarget));
      await deps.daemon
        .use((client) => client.startContainer(c.id))
        .catch((err) => deps.log.error(`starting ${c.name} again`, err));
    }
  }
}

/** Running containers that use `volume`, as the consistency question names them. */
export async function runningUsers(deps: FlowDeps, volume: string): Promise<ContainerSummary[]> {
  return containersUsing(await deps.daemon.use((client) => client.listContainers({ all: false })), volume);
}

export interface DatabaseContainer {
  container: ContainerSummary;
  engine: DatabaseEngine;
  /** The volume holding its data (named after it in the dump file), else the container's name. */
  volume: string;
}

function databaseContainer(container: ContainerSummary): DatabaseContainer | undefined {
  const engine = detectDatabase(container.image);
  if (!engine) return undefined;
  const volumes = container.mounts.filter((m) => m.type === 'volume' && m.name);
  const data = volumes.find((m) => m.destination === DATABASE_DATA_PATHS[engine]) ?? volumes[0];
  return { container, engine, volume: data?.name ?? container.name };
}

/** Running database containers, those using `volume` only when given, that named `container` only when given. */
export async function runningDatabases(
  deps: FlowDeps,
  volume?: string,
  container?: string,
): Promise<DatabaseContainer[]> {
  const containers = await deps.daemon.use((client) => client.listContainers({ all: false }));
  return (volume ? containersUsing(containers, volume) : containers)
    .flatMap((c) => databaseContainer(c) ?? [])
    .filter((d) => !container || d.container.name === container || d.container.id.startsWith(container));
}
