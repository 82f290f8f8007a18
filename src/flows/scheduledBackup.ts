import type { ScheduledBackupRequest } from '../core/backups';
import { databasePlan } from '../core/databases';
import { DockerError } from '../docker/errors';
import { backupArchiveFlow, dumpFlow, type BackupResult } from './backup';
import { runningDatabases, runningUsers } from './backupFiles';
import { ensureWritableFolder } from './backupFolderCheck';
import type { FlowDeps } from './flowDeps';

/**
 * One scheduled backup, with nobody to ask: a dump takes the first database using the volume and fails
 * (with the reason) when it needs a password its environment does not hold. Failures are thrown as they are,
 * for the scheduler to log.
 */
export async function scheduledBackupFlow(deps: FlowDeps, request: ScheduledBackupRequest): Promise<BackupResult> {
  const { volume, folder } = request;
  ensureWritableFolder(folder);
  const signal = request.signal ? { signal: request.signal } : {};
  if (request.consistency === 'dump') {
    const target = (await runningDatabases(deps, volume))[0];
    if (!target)
      throw new DockerError(
        'notFound',
        deps.l10n.t(
          'No running PostgreSQL, MySQL or MariaDB container uses {0}. A dump asks the running server: start its container first.',
          volume,
        ),
        'dump',
      );
    const details = await deps.daemon.use((client) => client.inspectContainer(target.container.id));
    const plan = databasePlan(target.engine, details.env, details.name);
    if (plan.needsPassword)
      throw new DockerError(
        'invalid',
        deps.l10n.t(
          'The scheduled dump of {0} needs the root password, which its environment does not hold: dump it once by hand, or set the schedule\'s "when in use" to stop or live.',
          details.name,
        ),
        'dump',
      );
    return dumpFlow(deps, { target, plan, details, folder, level: request.level, keep: request.keep, ...signal });
  }
  const stop =
    request.consistency === 'stop' ? (await runningUsers(deps, volume)).map((c) => ({ id: c.id, name: c.name })) : [];
  return backupArchiveFlow(deps, {
    volume,
    folder,
    stop,
    level: request.level,
    keep: request.keep,
    helper: request.helper,
    ...signal,
  });
}
