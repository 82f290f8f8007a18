import { settings } from '../services/settings';
import type { LabCliInputs } from '../core/labCli';
import { labFolder, labImage, labPostgresImage } from '../learn/labProgress';
import { configuredBackupFolder, listBackups } from '../services/backupFolder';
import type { CommandContext } from './registry';

/** What the lab buttons resolve: the image settings, the lab folders, and `-H` when our setting chose the daemon. */
export function labInputs(ctx: CommandContext): LabCliInputs {
  const backupFolder = configuredBackupFolder();
  const target = ctx.daemon.cliTarget;
  const networkMode = settings.runNetworkMode();
  return {
    target,
    labImage: labImage(),
    postgresImage: labPostgresImage(),
    labFolder,
    ...(networkMode ? { networkMode } : {}),
    ...(backupFolder ? { backupFolder } : {}),
    backupFile: (volume) =>
      listBackups(backupFolder)
        .find((b) => b.volume === volume && b.kind === 'archive')
        ?.file.split(/[\\/]/)
        .pop(),
  };
}
