import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackupManifest } from '../core/backups';
import type { HelperRun } from '../core/cliActions';
import { managedLabels } from '../constants';
import { contentLimit, entryLimit, spaceDecision, type SpaceDecision } from '../core/restoreLimits';
import { volumeFreeSpace, type FreeSpace } from '../docker/freeSpace';
import type { FlowDeps } from './flowDeps';

/** What a restore may write: bytes against the daemon's free space, entries against its free inodes. */
export interface RestoreSpace {
  bytes: SpaceDecision;
  entries: SpaceDecision;
}

/**
 * The content and entry limits of a restore of `file` into `target`, after a look at the free space and inodes
 * where the daemon will write: on its disk for a local volume (existing, or where a new one is created), unknown
 * for another driver.
 */
export async function restoreSpace(
  deps: FlowDeps,
  request: {
    file: string;
    target: string;
    exists: boolean;
    create: { driver?: string } | undefined;
    manifest: BackupManifest | undefined;
    helper: HelperRun;
  },
): Promise<RestoreSpace> {
  const { file, target, exists, create, manifest, helper } = request;
  const archiveBytes = fs.statSync(file).size;
  const limit = contentLimit(archiveBytes, manifest?.bytes);
  const entries = entryLimit(archiveBytes, manifest?.files);
  // Another driver keeps its data elsewhere (a share, a plugin): the daemon's disk says nothing about it.
  const local = exists
    ? (await deps.daemon.use((c) => c.inspectVolume(target))).driver === 'local'
    : !create?.driver || create.driver === 'local';
  const free: FreeSpace = local
    ? await deps.daemon
        .use((c) =>
          volumeFreeSpace(c, exists ? target : undefined, {
            shellImage: helper.image,
            ...(helper.networkMode ? { networkMode: helper.networkMode } : {}),
            labels: managedLabels(),
          }),
        )
        .catch(() => ({}))
    : {};
  const onDaemon = `${free.bytes ?? 'unknown'} bytes, ${free.inodes ?? 'unknown'} inodes free`;
  deps.log.info(`restore ${path.basename(file)}: limits ${limit} bytes, ${entries} entries; on the daemon ${onDaemon}`);
  // Without a manifest, the least the archive holds: its compressed size, and one entry.
  return {
    bytes: spaceDecision(manifest ? limit : archiveBytes, limit, free.bytes),
    entries: spaceDecision(manifest ? entries : 1, entries, free.inodes),
  };
}
