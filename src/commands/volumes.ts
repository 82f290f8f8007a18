import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import { volumeMountSnippets } from '../core/cli';
import { diskUsageLine, volumeCreateLine, volumeInspectLine, volumeListLine } from '../core/cliActions';
import { cifsDriverOptions, nfsDriverOptions } from '../core/networkVolumes';
import { readCommandArgument } from '../core/commandArguments';
import { DockerError } from '../docker/errors';
import type { VolumeSummary } from '../core/engineTypes';
import { diskUsageUri, showInspectDocument } from '../views/documents';
import { askCreateOptions, nameProblemMessage, type CreateVolumeOptions } from './createVolumePrompts';
import type { CommandContext, CommandHandler } from './registry';
import { volumeArgument } from './volumeArguments';
import { removeVolumes } from './volumeRemoval';
import { pruneVolumes, type PruneOptions } from './volumePrune';
import { showNotice } from '../messages';

// --- Create ------------------------------------------------------------------------------------------------

/** Creates a volume; from the palette it asks, with `options` (tests, walkthroughs) it does not. */
export async function createVolume(
  ctx: CommandContext,
  options?: CreateVolumeOptions,
): Promise<VolumeSummary | undefined> {
  const spec = options?.name ? options : await askCreateOptions(ctx);
  if (!spec?.name) return undefined;
  await ctx.model.refresh({ sizes: 'skip' }); // Docker would silently hand back an existing volume
  const problem = nameProblemMessage(
    spec.name,
    ctx.model.volumes.map((v) => v.name),
  );
  if (problem) throw new DockerError('invalid', problem, 'create volume');
  const driverOpts = spec.nfs
    ? nfsDriverOptions(spec.nfs)
    : spec.cifs
      ? cifsDriverOptions(spec.cifs)
      : (spec.driverOpts ?? {});
  const request = { name: spec.name, driver: spec.driver ?? 'local', driverOpts, labels: spec.labels ?? {} };
  ctx.log.cli(volumeCreateLine(request, ctx.daemon.cliTarget));
  const volume = await ctx.daemon.use((client) => client.createVolume(request));
  await ctx.model.refresh();
  void showNotice('info', vscode.l10n.t('Volume {0} created.', volume.name));
  return volume;
}

// --- Inspect, copy, reveal ---------------------------------------------------------------------------------

export async function inspectVolume(ctx: CommandContext, arg?: unknown): Promise<vscode.TextDocument | undefined> {
  const name = await volumeArgument(ctx, arg, { placeHolder: vscode.l10n.t('Volume to inspect') });
  if (!name) return undefined;
  ctx.log.cli(volumeInspectLine(name, ctx.daemon.cliTarget));
  return showInspectDocument(ctx.documents, name);
}

async function copyName(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  const name = await volumeArgument(ctx, arg, { placeHolder: vscode.l10n.t('Volume whose name to copy') });
  if (!name) return undefined;
  await vscode.env.clipboard.writeText(name);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', name), 3000);
  return name;
}

interface SnippetOptions {
  form: 'short' | 'long' | 'compose';
  target: string;
}

async function copyMountSnippet(
  ctx: CommandContext,
  arg: unknown,
  options: Partial<SnippetOptions>,
): Promise<string | undefined> {
  const name = await volumeArgument(ctx, arg, { placeHolder: vscode.l10n.t('Volume to mount') }, options);
  if (!name) return undefined;
  const target = options.target ?? ctx.model.row(name)?.users[0]?.destination ?? '/data';
  const snippets = volumeMountSnippets(name, target);
  let form = options.form;
  if (!form) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: snippets.short, description: vscode.l10n.t('short -v syntax'), form: 'short' as const },
        { label: snippets.long, description: vscode.l10n.t('long --mount syntax'), form: 'long' as const },
        {
          label: vscode.l10n.t('Compose file'),
          description: snippets.compose.replace(/\n/g, ' ⏎ '),
          form: 'compose' as const,
        },
      ],
      { title: vscode.l10n.t('Copy a mount of {0} at {1}', name, target) },
    );
    form = pick?.form;
  }
  if (!form) return undefined;
  await vscode.env.clipboard.writeText(snippets[form]);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the mount snippet'), 3000);
  return snippets[form];
}

async function revealVolume(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const name = await volumeArgument(ctx, arg, { placeHolder: vscode.l10n.t('Volume to reveal') });
  if (!name) return false;
  const shown = await ctx.volumesTree.reveal(name);
  if (!shown) void showNotice('warning', vscode.l10n.t('Volume {0} is not on this daemon.', name));
  return shown;
}

// --- Filter, refresh ----------------------------------------------------------------------------------------

type VolumeFilter = { text?: string; unusedOnly?: boolean };

async function filterVolumes(ctx: CommandContext, options: VolumeFilter | undefined): Promise<void> {
  if (options) {
    ctx.volumesTree.setFilter(options);
    return;
  }
  const current = ctx.volumesTree.currentFilter;
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Filter volumes'),
    prompt: vscode.l10n.t(
      'Part of a name, label, driver, Compose project or container; empty for all. Start with "unused:" to show only unused volumes.',
    ),
    value: `${current.unusedOnly ? 'unused: ' : ''}${current.text ?? ''}`,
  });
  if (text === undefined) return;
  const unusedOnly = /^unused:/i.test(text.trim());
  ctx.volumesTree.setFilter({ text: text.trim().replace(/^unused:\s*/i, ''), unusedOnly });
}

/** The disk-usage report as a rendered Markdown preview (theme-aware, no webview of our own). */
export async function showDiskUsage(ctx: CommandContext): Promise<void> {
  ctx.log.cli(diskUsageLine(true, ctx.daemon.cliTarget));
  ctx.documents.refresh(diskUsageUri());
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Measuring disk usage…') },
    async () => {
      await vscode.workspace.openTextDocument(diskUsageUri());
      await vscode.commands.executeCommand('markdown.showPreview', diskUsageUri());
    },
  );
}

function clearFilter(ctx: CommandContext): void {
  ctx.volumesTree.setFilter({});
}

async function refreshVolumes(ctx: CommandContext): Promise<void> {
  ctx.log.cli(volumeListLine(ctx.daemon.cliTarget));
  await ctx.volumesTree.refresh('force');
}

/** Remove and Prune ignore a group node passed by a context menu: they act on volumes, not groups. */
function isGroup(node: unknown): boolean {
  return readCommandArgument(node).group !== undefined;
}

export const volumeCommands: Record<string, CommandHandler> = {
  [COMMANDS.refreshVolumes]: refreshVolumes,
  [COMMANDS.createVolume]: (ctx, arg) => createVolume(ctx, readCommandArgument<CreateVolumeOptions>(arg).options),
  [COMMANDS.inspectVolume]: inspectVolume,
  [COMMANDS.copyVolumeName]: copyName,
  [COMMANDS.copyMountSnippet]: (ctx, arg, extra) =>
    copyMountSnippet(ctx, arg, readCommandArgument<SnippetOptions>(arg, extra).options),
  [COMMANDS.revealVolume]: revealVolume,
  [COMMANDS.removeVolume]: (ctx, arg, selection) => removeVolumes(ctx, isGroup(arg) ? undefined : arg, selection),
  [COMMANDS.pruneVolumes]: (ctx, arg) => pruneVolumes(ctx, readCommandArgument<PruneOptions>(arg).options),
  // Given nothing, it asks; given options (tests, walkthroughs), it applies them.
  [COMMANDS.filterVolumes]: (ctx, arg) =>
    filterVolumes(ctx, arg === undefined ? undefined : readCommandArgument<VolumeFilter>(arg).options),
  [COMMANDS.clearVolumeFilter]: clearFilter,
  [COMMANDS.showDiskUsage]: showDiskUsage,
};
