import { COMMANDS } from '../constants';
import { dockerCli } from '../core/cli';
import type { CommandContext, CommandHandler } from './registry';

function refreshVolumes(ctx: CommandContext): void {
  ctx.log.cli(dockerCli(['volume', 'ls']));
  ctx.volumesTree.refresh();
}

export const volumeCommands: Record<string, CommandHandler> = {
  [COMMANDS.refreshVolumes]: refreshVolumes,
};
