import * as vscode from 'vscode';
import { COMMANDS, EXTENSION_ID, SETTINGS, VIEWS } from '../constants';
import { versionLine } from '../core/cliActions';
import type { CommandContext, CommandHandler } from './registry';

/** Checks the connection again (after starting Docker or changing settings) and refreshes the views. */
export async function retryConnection(ctx: CommandContext): Promise<string> {
  ctx.log.cli(versionLine(ctx.daemon.cliTarget));
  const state = await vscode.window.withProgress(
    { location: { viewId: VIEWS.volumes }, title: vscode.l10n.t('Connecting to Docker…') },
    () => ctx.daemon.check(undefined, { showConnecting: true }),
  );
  await ctx.volumesTree.refresh();
  return state.kind;
}

async function openSettings(): Promise<void> {
  await vscode.commands.executeCommand(
    'workbench.action.openSettings',
    `@ext:${EXTENSION_ID} ${SETTINGS.section}.docker`,
  );
}

function showLog(ctx: CommandContext): void {
  ctx.log.channel.show(true);
}

export const daemonCommands: Record<string, CommandHandler> = {
  [COMMANDS.retryConnection]: retryConnection,
  [COMMANDS.openSettings]: openSettings,
  [COMMANDS.showLog]: showLog,
};
