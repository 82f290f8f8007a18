import * as vscode from 'vscode';
import type { FlowDeps } from '../flows/flowDeps';
import type { LabProgress } from '../learn/labProgress';
import type { Log } from '../log';
import { dockerErrorMessage, isConnectionError, isDockerError, showNotice } from '../messages';
import { mayReadBackups } from '../services/backupFolder';
import type { DaemonEvents } from '../services/daemonEvents';
import type { DaemonService } from '../services/daemonService';
import type { VolumesModel } from '../services/volumesModel';
import type { WrittenDumps } from '../services/writtenDumps';
import type { BackupsNode, BackupsTreeProvider } from '../views/backupsTree';
import type { DaemonDocuments } from '../views/documents';
import type { MountsNode, MountsTreeProvider } from '../views/mountsTree';
import type { VolumeFileSystemProvider } from '../views/volumeFileSystem';
import type { VolumesTreeProvider } from '../views/volumesTree';
import type { VolumesNode } from '../views/volumesTreeItems';
import { LOG_LINE_CHARS, maskedExcerpt } from '../core/networkVolumes';
import { withoutTestOnlyArguments } from '../core/testOnlyOptions';
import { retryConnection } from './daemon';

/** What every command handler may use; built once in `activate()`. */
export interface CommandContext {
  readonly daemon: DaemonService;
  readonly log: Log;
  readonly model: VolumesModel;
  readonly volumesTree: VolumesTreeProvider;
  readonly volumesView: vscode.TreeView<VolumesNode>;
  readonly mountsTree: MountsTreeProvider;
  readonly mountsView: vscode.TreeView<MountsNode>;
  readonly backupsTree: BackupsTreeProvider;
  readonly backupsView: vscode.TreeView<BackupsNode>;
  readonly files: VolumeFileSystemProvider;
  readonly events: DaemonEvents;
  readonly documents: DaemonDocuments;
  /** Walkthrough step state (lab buttons record what they observed). */
  readonly progress: LabProgress;
  /** The checksums of the dumps this extension wrote: a dump it did not write is replayed only after a warning. */
  readonly writtenDumps: WrittenDumps;
  /** The extension's folder (lab templates). */
  readonly extensionUri: vscode.Uri;
  /** Where scheduled backups go when the user's own settings name no backup folder: outside any workspace. */
  readonly scheduledBackupDefault: string;
  /** The extension runs its own tests: options that answer questions in advance are honoured (TEST_ONLY_OPTIONS). */
  readonly testMode: boolean;
}

export type CommandHandler = (ctx: CommandContext, ...args: unknown[]) => unknown;

/** The dependencies every flow takes, from the command context. */
export function flowDeps(ctx: CommandContext): FlowDeps {
  return { daemon: ctx.daemon, log: ctx.log, l10n: vscode.l10n, writtenDumps: ctx.writtenDumps, mayReadBackups };
}

/**
 * Shows a failure once, in a short localized message with a next step; the detail goes to the log.
 * Cancellation is silent.
 */
export function reportError(ctx: CommandContext, commandId: string, err: unknown): void {
  if (isDockerError(err) && err.kind === 'cancelled') return;
  if (err instanceof vscode.CancellationError) return;
  const showLog = vscode.l10n.t('Show Log');
  const retry = vscode.l10n.t('Retry');
  // The daemon's own words may echo a share's mount options, password included, and be megabytes long.
  const message = maskedExcerpt(
    isDockerError(err)
      ? dockerErrorMessage(err, ctx.daemon.endpoint)
      : vscode.l10n.t('Unexpected error: {0}', String(err instanceof Error ? err.message : err)),
    LOG_LINE_CHARS,
  );
  const openSettings = vscode.l10n.t('Open Settings');
  const setting = isDockerError(err) ? err.setting : undefined;
  const actions = isConnectionError(err) ? [retry, showLog] : setting ? [openSettings, showLog] : [showLog];
  // The words shown, then the detail: the log says what the user read and why.
  ctx.log.error(`${commandId} failed: ${message}`, err);
  // Not awaited: the command is over; the message stays until the user answers or dismisses it. A long one shows
  // its first sentence, the rest behind Details.
  void showNotice('error', message, ...actions).then(async (choice) => {
    if (choice === showLog) ctx.log.channel.show(true);
    if (choice === retry) await retryConnection(ctx);
    if (choice === openSettings && setting)
      await vscode.commands.executeCommand('workbench.action.openSettings', setting);
  });
}

/**
 * Runs `handler` as the command `id` would: outside test mode, without the options that skip a question or make a
 * destructive choice (TEST_ONLY_OPTIONS), whoever the caller.
 */
export function runCommandHandler(
  ctx: CommandContext,
  id: string,
  handler: CommandHandler,
  args: readonly unknown[],
): unknown {
  return handler(ctx, ...withoutTestOnlyArguments(id, args, ctx.testMode));
}

/** Registers every handler of `table`, each wrapped so that errors are reported the same way. */
export function registerCommands(
  extensionContext: vscode.ExtensionContext,
  ctx: CommandContext,
  table: Record<string, CommandHandler>,
): void {
  for (const [id, handler] of Object.entries(table)) {
    extensionContext.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await runCommandHandler(ctx, id, handler, args);
        } catch (err) {
          reportError(ctx, id, err);
          return undefined;
        }
      }),
    );
  }
}
