import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import { volumeMountSnippets } from '../core/cli';
import {
  diskUsageLine,
  pruneLines,
  removeContainerLine,
  stopLine,
  volumeCreateLine,
  volumeInspectLine,
  volumeListLine,
  volumeRemoveLine,
} from '../core/cliActions';
import { displayVolumeName } from '../core/naming';
import { cifsDriverOptions, nfsDriverOptions } from '../core/networkVolumes';
import { apiAtLeast } from '../core/apiVersion';
import { readCommandArgument } from '../core/commandArguments';
import { containersUsing, formatBytes, isUnused, type VolumeRow } from '../core/volumeModel';
import { DockerError } from '../docker/errors';
import { knownBytes, pruneFlow, unusedVolumes, type PruneScope } from '../flows/prune';
import { withCancellableProgress } from '../services/progress';
import { flowDeps } from './backupPrompts';
import type { ContainerSummary, VolumeSummary } from '../core/engineTypes';
import { VolumeItem, type VolumesNode } from '../views/volumesTree';
import { diskUsageUri, showInspectDocument } from '../views/documents';
import { askCreateOptions, nameProblemMessage, type CreateVolumeOptions } from './createVolumePrompts';
import type { CommandContext, CommandHandler } from './registry';
import { containersText, volumesText } from '../messages';

export type { CreateVolumeOptions } from './createVolumePrompts';

/** `docker` flags that point the CLI at the daemon our setting chose, when it is not the CLI's default. */
function cliTarget(ctx: CommandContext) {
  return ctx.daemon.cliTarget;
}

/** The volume a command acts on: a tree node, a name, or one picked from a quick pick. */
async function volumeArgument(ctx: CommandContext, arg: unknown, placeHolder: string): Promise<string | undefined> {
  const a = readCommandArgument<{ name: string }>(arg);
  const given = a.volume ?? a.text ?? (typeof a.options.name === 'string' ? a.options.name : undefined);
  if (given) return given;
  // From a keybinding: the focused row of the Volumes view.
  const selected = ctx.volumesView.selection.find((n): n is VolumeItem => n instanceof VolumeItem);
  if (arg === undefined && selected && ctx.volumesView.visible) return selected.volume.name;
  await ctx.model.ensureLoaded();
  const pick = await vscode.window.showQuickPick(
    ctx.model.rows.map((r) => ({
      label: displayVolumeName(r.volume.name),
      description: isUnused(r) ? vscode.l10n.t('unused') : vscode.l10n.t('used by {0}', containersText(r.users.length)),
      name: r.volume.name,
    })),
    { placeHolder, matchOnDescription: true },
  );
  return pick?.name;
}

/** Several volumes: the tree's multi-selection, a list of names, or one volume. */
async function volumesArgument(
  ctx: CommandContext,
  arg: unknown,
  selection: unknown,
  placeHolder: string,
): Promise<string[]> {
  if (Array.isArray(selection) && selection.length > 1) {
    return (selection as VolumesNode[])
      .filter((n): n is VolumeItem => n instanceof VolumeItem)
      .map((n) => n.volume.name);
  }
  if (Array.isArray(arg)) return arg.filter((n): n is string => typeof n === 'string');
  const names = arg && typeof arg === 'object' && 'names' in arg ? (arg as { names: string[] }).names : undefined;
  if (names) return names;
  const one = await volumeArgument(ctx, arg, placeHolder);
  return one ? [one] : [];
}

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
  ctx.log.cli(volumeCreateLine(request, cliTarget(ctx)));
  const volume = await ctx.daemon.use((client) => client.createVolume(request));
  await ctx.model.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Volume {0} created.', volume.name));
  return volume;
}

// --- Inspect, copy, reveal ---------------------------------------------------------------------------------

export async function inspectVolume(ctx: CommandContext, arg?: unknown): Promise<vscode.TextDocument | undefined> {
  const name = await volumeArgument(ctx, arg, vscode.l10n.t('Volume to inspect'));
  if (!name) return undefined;
  ctx.log.cli(volumeInspectLine(name, cliTarget(ctx)));
  return showInspectDocument(ctx.documents, name);
}

async function copyName(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  const name = await volumeArgument(ctx, arg, vscode.l10n.t('Volume whose name to copy'));
  if (!name) return undefined;
  await vscode.env.clipboard.writeText(name);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', name), 3000);
  return name;
}

async function copyMountSnippet(
  ctx: CommandContext,
  arg?: unknown,
  options?: { form?: 'short' | 'long' | 'compose'; target?: string },
): Promise<string | undefined> {
  const name = await volumeArgument(ctx, arg, vscode.l10n.t('Volume to mount'));
  if (!name) return undefined;
  const target = options?.target ?? ctx.model.row(name)?.users[0]?.destination ?? '/data';
  const snippets = volumeMountSnippets(name, target);
  let form = options?.form;
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
  const name = await volumeArgument(ctx, arg, vscode.l10n.t('Volume to reveal'));
  if (!name) return false;
  const shown = await ctx.volumesTree.reveal(name);
  if (!shown) void vscode.window.showWarningMessage(vscode.l10n.t('Volume {0} is not on this daemon.', name));
  return shown;
}

// --- Remove ------------------------------------------------------------------------------------------------

export interface RemoveOptions {
  names?: string[];
  /** Skip the confirmation (tests, scripted use). */
  confirm?: boolean;
  /** When a volume is in use by stopped containers only: remove those containers first. */
  removeStoppedContainers?: boolean;
  /** When running containers use a volume: stop and remove them, then the volume (else it is kept). */
  removeRunningContainers?: boolean;
}

export interface RemoveResult {
  removed: string[];
  kept: { name: string; reason: string }[];
  removedContainers: string[];
}

export async function removeVolumes(ctx: CommandContext, arg?: unknown, selection?: unknown): Promise<RemoveResult> {
  const { options } = readCommandArgument<RemoveOptions>(arg);
  const names = options.names ?? (await volumesArgument(ctx, arg, selection, vscode.l10n.t('Volume to remove')));
  const result: RemoveResult = { removed: [], kept: [], removedContainers: [] };
  if (!names.length) return result;
  await ctx.model.refresh({ sizes: 'skip' });
  let removeRunning = options.removeRunningContainers;
  let targets = names;
  if (!options.confirm) {
    const answer = await confirmRemoval(ctx, names);
    if (!answer) return result;
    targets = answer.names;
    removeRunning = answer.removeRunning;
  }
  const inUse = { ...options, ...(removeRunning !== undefined ? { removeRunningContainers: removeRunning } : {}) };
  for (const name of targets) await removeOne(ctx, name, inUse, result);
  await ctx.model.refresh();
  reportRemoval(result);
  return result;
}

/** Removes one volume; one gone meanwhile is kept with why, one in use goes through `removeInUse`. */
async function removeOne(
  ctx: CommandContext,
  name: string,
  options: RemoveOptions,
  result: RemoveResult,
): Promise<void> {
  ctx.log.cli(volumeRemoveLine(name, cliTarget(ctx)));
  try {
    await ctx.daemon.use((client) => client.removeVolume(name));
    result.removed.push(name);
  } catch (err) {
    if (!(err instanceof DockerError)) throw err;
    if (err.kind === 'notFound') result.kept.push({ name, reason: vscode.l10n.t('it no longer exists') });
    else if (err.kind === 'conflict') await removeInUse(ctx, name, options, result);
    else throw err;
  }
}

function reportRemoval(result: RemoveResult): void {
  if (result.removed.length) {
    void vscode.window.showInformationMessage(
      result.removed.length === 1
        ? vscode.l10n.t('Volume {0} removed.', result.removed[0]!)
        : vscode.l10n.t('{0} volumes removed.', result.removed.length),
    );
  }
  for (const kept of result.kept)
    void vscode.window.showWarningMessage(vscode.l10n.t('Volume {0} was kept: {1}.', kept.name, kept.reason));
}

const isRunning = (c: ContainerSummary) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting';

/**
 * Asks before removing: when running containers use some of the volumes, the question says so and
 * offers what can be done (stop and remove those containers with the volume, remove only the free
 * volumes, or cancel) instead of a Remove that Docker would then refuse.
 */
async function confirmRemoval(
  ctx: CommandContext,
  names: string[],
): Promise<{ names: string[]; removeRunning: boolean } | undefined> {
  const sizeOf = (n: string) => {
    const size = ctx.model.row(n)?.size;
    return size !== undefined && size >= 0 ? ` (${formatBytes(size)})` : '';
  };
  const busy = names.filter((n) => containersUsing(ctx.model.containers, n).some(isRunning));
  const lines = names
    .map((n) => {
      const users = containersUsing(ctx.model.containers, n);
      const running = users
        .filter(isRunning)
        .map((c) => c.name)
        .join(', ');
      const stopped = users
        .filter((c) => !isRunning(c))
        .map((c) => c.name)
        .join(', ');
      return `• ${n}${sizeOf(n)}${running ? ` — ${vscode.l10n.t('in use by running containers: {0}', running)}` : ''}${stopped ? ` — ${vscode.l10n.t('used by {0}', stopped)}` : ''}`;
    })
    .join('\n');
  if (!busy.length) {
    const remove = vscode.l10n.t('Remove');
    const choice = await vscode.window.showWarningMessage(
      names.length === 1
        ? vscode.l10n.t('Remove volume {0} and all its data?', names[0]!)
        : vscode.l10n.t('Remove {0} volumes and all their data?', names.length),
      { modal: true, detail: `${lines}\n\n${vscode.l10n.t('This cannot be undone.')}` },
      remove,
    );
    return choice === remove ? { names, removeRunning: false } : undefined;
  }
  const containers = [...new Set(busy.flatMap((n) => containersUsing(ctx.model.containers, n).map((c) => c.name)))];
  const stopAndRemove = vscode.l10n.t('Stop and Remove the Containers, Then the Volume');
  const free = names.filter((n) => !busy.includes(n));
  const onlyFree = free.length ? vscode.l10n.t('Remove Only the {0} Volumes Not in Use', free.length) : undefined;
  const choice = await vscode.window.showWarningMessage(
    names.length === 1
      ? vscode.l10n.t(
          'Volume {0} is in use by running containers ({1}): Docker will not remove it while a container refers to it.',
          names[0]!,
          containersUsing(ctx.model.containers, names[0]!)
            .filter(isRunning)
            .map((c) => c.name)
            .join(', '),
        )
      : vscode.l10n.t(
          '{0} of these {1} volumes are in use by running containers: Docker will not remove them while a container refers to them.',
          busy.length,
          names.length,
        ),
    {
      modal: true,
      detail: `${lines}\n\n${vscode.l10n.t('Stopping is not enough: a stopped container still holds its volumes. You can stop and remove these containers ({0}), then the volumes and all their data. This cannot be undone.', containers.join(', '))}`,
    },
    ...[stopAndRemove, ...(onlyFree ? [onlyFree] : [])],
  );
  if (choice === stopAndRemove) return { names, removeRunning: true };
  if (choice && choice === onlyFree) return { names: free, removeRunning: false };
  return undefined;
}

/** A volume in use: name the containers; remove them with it when the user agreed, else keep it. */
async function removeInUse(
  ctx: CommandContext,
  name: string,
  options: RemoveOptions,
  result: RemoveResult,
): Promise<boolean> {
  const containers = containersUsing(await ctx.daemon.use((client) => client.listContainers({ all: true })), name);
  const running = containers.filter(isRunning);
  const list = (cs: typeof containers) => cs.map((c) => c.name).join(', ');
  if (running.length && !options.removeRunningContainers) {
    result.kept.push({
      name,
      reason: vscode.l10n.t('running containers use it ({0}); stop them first', list(running)),
    });
    return false;
  }
  for (const c of running) {
    ctx.log.cli(stopLine(c.name, cliTarget(ctx)));
    await ctx.daemon.use((client) => client.stopContainer(c.id));
  }
  const stopped = containers;
  let removeThem = running.length ? true : options.removeStoppedContainers;
  if (removeThem === undefined) {
    const both = vscode.l10n.t('Remove Containers and Volume');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Volume {0} is used by stopped containers: {1}.', name, list(stopped)),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Docker keeps a volume while any container refers to it, even a stopped one. Remove these containers, then the volume?',
        ),
      },
      both,
    );
    removeThem = choice === both;
  }
  if (!removeThem) {
    result.kept.push({ name, reason: vscode.l10n.t('stopped containers use it ({0})', list(stopped)) });
    return false;
  }
  for (const c of stopped) {
    ctx.log.cli(removeContainerLine(c.name, false, cliTarget(ctx)));
    await ctx.daemon.use((client) => client.removeContainer(c.id));
    result.removedContainers.push(c.name);
  }
  ctx.log.cli(volumeRemoveLine(name, cliTarget(ctx)));
  await ctx.daemon.use((client) => client.removeVolume(name));
  result.removed.push(name);
  return true;
}

// --- Prune -------------------------------------------------------------------------------------------------

export interface PruneOptions {
  scope?: 'anonymous' | 'all';
  confirm?: boolean;
  /** Only volumes carrying this label (`key` or `key=value`), like `docker volume prune --filter label=…`. */
  label?: string;
}

export interface PruneResult {
  previewed: string[];
  /** The docker line shown for what was removed ('' when nothing was planned). */
  cli: string;
  removed: string[];
  keptBecauseUsed: string[];
  reclaimedBytes: number;
}

/** Which unused volumes to prune: only the anonymous ones (Engine 23+), or all; undefined when the user cancels. */
async function askPruneScope(unused: VolumeRow[]): Promise<PruneScope | undefined> {
  const anonymous = unused.filter((r) => r.volume.anonymous);
  const pick = await vscode.window.showQuickPick(
    [
      {
        label: vscode.l10n.t('Anonymous unused volumes'),
        description: `${volumesText(anonymous.length)} · ${formatBytes(knownBytes(anonymous))}`,
        detail: vscode.l10n.t('What docker volume prune removes on Docker Engine 23 and later (API 1.42+).'),
        scope: 'anonymous' as const,
      },
      {
        label: vscode.l10n.t('All unused volumes, named ones too'),
        description: `${volumesText(unused.length)} · ${formatBytes(knownBytes(unused))}`,
        detail: vscode.l10n.t('What docker volume prune --all removes (and plain prune before API 1.42).'),
        scope: 'all' as const,
      },
    ],
    { title: vscode.l10n.t('Prune unused volumes') },
  );
  return pick?.scope;
}

/** Shows exactly what a prune removes, the engine's own rule and the CLI line; true when the user agrees. */
async function confirmPrune(planned: VolumeRow[], engineApi: string | undefined, cli: string): Promise<boolean> {
  const remove = vscode.l10n.t('Remove {0} Volumes', planned.length);
  const lines = planned
    .slice(0, 30)
    .map(
      (r) =>
        `• ${displayVolumeName(r.volume.name)}${r.size !== undefined ? ` (${r.size < 0 ? 'n/a' : formatBytes(r.size)})` : ''}`,
    );
  if (planned.length > 30) lines.push(vscode.l10n.t('… and {0} more', planned.length - 30));
  const rule = apiAtLeast(engineApi, '1.42')
    ? vscode.l10n.t('This engine (API {0}) prunes only anonymous volumes unless --all is given.', engineApi ?? '?')
    : vscode.l10n.t('This engine (API {0}) prunes every unused volume, named ones too.', engineApi ?? '?');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Remove these {0} unused volumes ({1})?', planned.length, formatBytes(knownBytes(planned))),
    {
      modal: true,
      detail: `${lines.join('\n')}\n\n${rule}\n${vscode.l10n.t('Exactly the volumes listed are removed; one that a container starts using meanwhile is kept. CLI: {0}', cli)}`,
    },
    remove,
  );
  return choice === remove;
}

/** Removes unused volumes after showing exactly which (see pruneFlow). */
export async function pruneVolumes(ctx: CommandContext, options: PruneOptions = {}): Promise<PruneResult> {
  await ctx.model.refresh({ sizes: 'skip' });
  await ctx.model.refreshSizes(true);
  const unused = unusedVolumes(ctx.model.rows, options.label);
  const engineApi = ctx.daemon.state.kind === 'reachable' ? ctx.daemon.state.engine.apiVersion : undefined;
  const scope = options.scope ?? (await askPruneScope(unused));
  const result: PruneResult = { previewed: [], cli: '', removed: [], keptBecauseUsed: [], reclaimedBytes: 0 };
  if (!scope) return result;
  const planned = unused.filter((r) => scope === 'all' || r.volume.anonymous);
  result.previewed = planned.map((r) => r.volume.name);
  if (!planned.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No unused volumes to remove.'));
    return result;
  }
  const cli = pruneLines(scope, apiAtLeast(engineApi, '1.42'), options.label, result.previewed, cliTarget(ctx));
  result.cli = cli.prune ?? cli.exact;
  if (!options.confirm && !(await confirmPrune(planned, engineApi, result.cli))) return result;
  ctx.log.cli(cli.prune ? `${cli.prune}  # ${vscode.l10n.t('here, exactly: {0}', cli.exact)}` : cli.exact);
  const outcome = await withCancellableProgress(vscode.l10n.t('Removing unused volumes'), (report, signal) =>
    pruneFlow(flowDeps(ctx), planned, (name) => report(displayVolumeName(name), 100 / planned.length), signal),
  );
  Object.assign(result, outcome);
  await ctx.model.refresh();
  const kept = result.keptBecauseUsed.length
    ? ` ${vscode.l10n.t('Kept {0} that came into use: {1}.', result.keptBecauseUsed.length, result.keptBecauseUsed.join(', '))}`
    : '';
  void vscode.window.showInformationMessage(
    `${vscode.l10n.t('Removed {0}, reclaimed {1}.', volumesText(result.removed.length), formatBytes(result.reclaimedBytes))}${kept}`,
  );
  return result;
}

// --- Filter, refresh ----------------------------------------------------------------------------------------

async function filterVolumes(ctx: CommandContext, options?: { text?: string; unusedOnly?: boolean }): Promise<void> {
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
  ctx.log.cli(diskUsageLine(true, cliTarget(ctx)));
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
  ctx.log.cli(volumeListLine(cliTarget(ctx)));
  await ctx.volumesTree.refresh('force');
}

/** Remove and Prune ignore a group node passed by a context menu: they act on volumes, not groups. */
function isGroup(node: unknown): boolean {
  return readCommandArgument(node).group !== undefined;
}

export const volumeCommands: Record<string, CommandHandler> = {
  [COMMANDS.refreshVolumes]: refreshVolumes,
  [COMMANDS.createVolume]: (ctx, options) => createVolume(ctx, options as CreateVolumeOptions | undefined),
  [COMMANDS.inspectVolume]: inspectVolume,
  [COMMANDS.copyVolumeName]: copyName,
  [COMMANDS.copyMountSnippet]: (ctx, arg, options) =>
    copyMountSnippet(ctx, arg, options as { form?: 'short' | 'long' | 'compose'; target?: string } | undefined),
  [COMMANDS.revealVolume]: revealVolume,
  [COMMANDS.removeVolume]: (ctx, arg, selection) => removeVolumes(ctx, isGroup(arg) ? undefined : arg, selection),
  [COMMANDS.pruneVolumes]: (ctx, arg) => pruneVolumes(ctx, readCommandArgument<PruneOptions>(arg).options),
  [COMMANDS.filterVolumes]: (ctx, options) =>
    filterVolumes(ctx, options as { text?: string; unusedOnly?: boolean } | undefined),
  [COMMANDS.clearVolumeFilter]: clearFilter,
  [COMMANDS.showDiskUsage]: showDiskUsage,
};
