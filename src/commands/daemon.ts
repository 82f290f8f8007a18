import * as vscode from 'vscode';
import { COMMANDS, EXTENSION_ID, SETTINGS, VIEWS } from '../constants';
import { versionLine } from '../core/cliActions';
import { notConnectedLine } from '../core/engineDetailsLine';
import type { Endpoint } from '../docker/endpoint';
import { dockerErrorMessage, endpointText, showNotice } from '../messages';
import type { DaemonState } from '../services/daemonService';
import { engineLine } from '../views/volumesHeader';
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

/** Why there is no engine line: the reason the views give, and where the address came from. */
function notConnected(state: DaemonState, endpoint: Endpoint | undefined): string {
  const reason =
    state.kind === 'unreachable' ? dockerErrorMessage(state.error, endpoint) : vscode.l10n.t('Connecting to Docker…');
  if (!endpoint) return vscode.l10n.t('No usable Docker address: {0}', reason);
  return notConnectedLine(endpointText(endpoint), endpoint.source, endpoint.contextName, reason, {
    t: vscode.l10n.t,
    language: vscode.env.language,
  });
}

/**
 * The engine line in full (the view's title shortens it, and the top line's tooltip is out of reach of a keyboard, an
 * empty daemon or a filter), with Copy and Open Settings. Answers what was done, undefined when dismissed.
 */
async function showEngineDetails(ctx: CommandContext): Promise<'copied' | 'settings' | undefined> {
  const endpoint = ctx.daemon.endpoint;
  const line = engineLine(ctx.daemon.state, endpoint) ?? notConnected(ctx.daemon.state, endpoint);
  const copy = vscode.l10n.t('Copy');
  const settings = vscode.l10n.t('Open Settings');
  const choice = await showNotice('info', line, copy, settings);
  if (choice === copy) {
    await vscode.env.clipboard.writeText(line);
    return 'copied';
  }
  if (choice === settings) {
    await openSettings();
    return 'settings';
  }
  return undefined;
}

function showLog(ctx: CommandContext): void {
  ctx.log.channel.show(true);
}

export const daemonCommands: Record<string, CommandHandler> = {
  [COMMANDS.retryConnection]: retryConnection,
  [COMMANDS.openSettings]: openSettings,
  [COMMANDS.engineDetails]: showEngineDetails,
  [COMMANDS.showLog]: showLog,
};
