import * as vscode from 'vscode';
import { commandTable } from './commands';
import { registerCommands, type CommandContext } from './commands/registry';
import { VIEWS } from './constants';
import { DockerodeClient } from './docker/dockerodeClient';
import { WalkthroughKeys } from './learn/walkthroughKeys';
import { Log } from './log';
import { DaemonService } from './services/daemonService';
import { VolumesTreeProvider } from './views/volumesTree';

/** What `activate()` returns: the live services, for the extension-host tests and benchmarks. */
export interface ExtensionApi {
  readonly context: CommandContext;
  /** Milliseconds spent in `activate()`. */
  readonly activationMs: number;
  /** Resolves with the milliseconds from the start of `activate()` to the first answer of the daemon. */
  readonly firstConnection: Promise<number>;
}

export function activate(extensionContext: vscode.ExtensionContext): ExtensionApi {
  const started = Date.now();
  try {
    const log = new Log();
    extensionContext.subscriptions.push(log);

    const steps = new WalkthroughKeys();
    const daemon = new DaemonService(log, (endpoint, timeoutMs) => new DockerodeClient({ endpoint, logger: log, timeoutMs }), steps);
    extensionContext.subscriptions.push(steps, daemon);

    const volumesTree = new VolumesTreeProvider(daemon, log);
    const volumesView = vscode.window.createTreeView(VIEWS.volumes, { treeDataProvider: volumesTree, showCollapseAll: false });
    volumesTree.attach(volumesView);
    extensionContext.subscriptions.push(volumesTree, volumesView);

    const context: CommandContext = { daemon, log, volumesTree };
    registerCommands(extensionContext, context, commandTable);

    const firstConnection = daemon.check().then(() => Date.now() - started);
    return { context, activationMs: Date.now() - started, firstConnection };
  } catch (err) {
    // VS Code only logs a failed activation; say it to the user too, then let VS Code know.
    void vscode.window.showErrorMessage(vscode.l10n.t('Docker Volumes Lab failed to start: {0}', String(err)));
    throw err;
  }
}

export function deactivate(): void {
  /* everything is disposed through extensionContext.subscriptions */
}
