import { backupFolderCommands } from './backupFolderChoice';
import { backupCommands } from './backups';
import { containerCommands } from './containers';
import { courseCommands } from './course';
import { daemonCommands } from './daemon';
import { labCommands } from './labs';
import { mountCommands } from './mounts';
import type { CommandHandler } from './registry';
import { volumeCommands } from './volumes';

/** Every command the extension registers: one table, so tests can check it against the manifest. */
export const commandTable: Record<string, CommandHandler> = {
  ...daemonCommands,
  ...volumeCommands,
  ...mountCommands,
  ...containerCommands,
  ...backupCommands,
  ...backupFolderCommands,
  ...labCommands,
  ...courseCommands,
};
