import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import { volumeMountSnippets } from '../core/cli';
import { diskUsageLine, pruneLines, removeContainerLine, stopLine, volumeCreateLine, volumeInspectLine, volumeListLine, volumeRemoveLine } from '../core/cliActions';
import { checkVolumeName, displayVolumeName } from '../core/naming';
import { cifsDriverOptions, nfsDriverOptions, parseShare } from '../core/networkVolumes';
import { apiAtLeast } from '../core/apiVersion';
import { formatBytes, isUnused, type VolumeRow } from '../core/volumeModel';
import { DockerError } from '../docker/errors';
import type { ContainerSummary, VolumeSummary } from '../core/engineTypes';
import { GroupItem, VolumeItem, type VolumesNode } from '../views/volumesTree';
import { diskUsageUri, showInspectDocument } from '../views/documents';
import type { CommandContext, CommandHandler } from './registry';

/** `docker` flags that point the CLI at the daemon our setting chose, when it is not the CLI's default. */
function cliTarget(ctx: CommandContext) {
  return ctx.daemon.cliTarget;
}

/** The volume a command acts on: a tree node, a name, or one picked from a quick pick. */
async function volumeArgument(ctx: CommandContext, arg: unknown, placeHolder: string): Promise<string | undefined> {
  if (arg instanceof VolumeItem) return arg.volume.name;
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'name' in arg && typeof (arg).name === 'string') return (arg as { name: string }).name;
  // From a keybinding: the focused row of the Volumes view.
  const selected = ctx.volumesView.selection.find((n): n is VolumeItem => n instanceof VolumeItem);
  if (arg === undefined && selected && ctx.volumesView.visible) return selected.volume.name;
  await ctx.model.ensureLoaded();
  const pick = await vscode.window.showQuickPick(ctx.model.rows.map(r => ({
    label: displayVolumeName(r.volume.name),
    description: isUnused(r) ? vscode.l10n.t('unused') : vscode.l10n.t('used by {0}', r.users.length),
    name: r.volume.name,
  })), { placeHolder, matchOnDescription: true });
  return pick?.name;
}

/** Several volumes: the tree's multi-selection, a list of names, or one volume. */
async function volumesArgument(ctx: CommandContext, arg: unknown, selection: unknown, placeHolder: string): Promise<string[]> {
  if (Array.isArray(selection) && selection.length > 1) {
    return (selection as VolumesNode[]).filter((n): n is VolumeItem => n instanceof VolumeItem).map(n => n.volume.name);
  }
  if (Array.isArray(arg)) return arg.filter((n): n is string => typeof n === 'string');
  const names = (arg && typeof arg === 'object' && 'names' in arg) ? (arg as { names: string[] }).names : undefined;
  if (names) return names;
  const one = await volumeArgument(ctx, arg, placeHolder);
  return one ? [one] : [];
}

// --- Create ------------------------------------------------------------------------------------------------

export interface CreateVolumeOptions {
  name?: string;
  driver?: string;
  kind?: 'plain' | 'nfs' | 'cifs' | 'options';
  driverOpts?: Record<string, string>;
  labels?: Record<string, string>;
  nfs?: { server: string; exportPath: string; options?: string };
  cifs?: { share: string; user?: string; password?: string; options?: string };
}

function nameProblemMessage(name: string, existing: Iterable<string>): string | undefined {
  const problem = checkVolumeName(name, existing);
  if (!problem) return undefined;
  switch (problem.problem) {
    case 'empty': return vscode.l10n.t('Give the volume a name.');
    case 'tooShort': return vscode.l10n.t('A volume name needs at least 2 characters.');
    case 'badStart': return vscode.l10n.t('A volume name starts with a letter or a digit.');
    case 'badCharacter': return vscode.l10n.t('"{0}" is not allowed: use letters, digits, "_", "." and "-".', problem.character ?? '');
    case 'exists': return vscode.l10n.t('A volume named {0} already exists.', name);
  }
}

function parseKeyValues(text: string): Record<string, string> | string {
  const result: Record<string, string> = {};
  for (const part of text.split(/[\s;]+/).map(p => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return vscode.l10n.t('"{0}" is not key=value.', part);
    result[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return result;
}

async function askCreateOptions(ctx: CommandContext): Promise<CreateVolumeOptions | undefined> {
  await ctx.model.ensureLoaded();
  const existing = new Set(ctx.model.volumes.map(v => v.name));
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Create Volume (1/3): name'),
    prompt: vscode.l10n.t('Letters, digits, "_", "." and "-"; it starts with a letter or a digit.'),
    placeHolder: 'my-data',
    validateInput: value => nameProblemMessage(value, existing),
  });
  if (name === undefined) return undefined;
  type KindPick = vscode.QuickPickItem & { choice: NonNullable<CreateVolumeOptions['kind']> };
  const kind = await vscode.window.showQuickPick<KindPick>([
    { label: vscode.l10n.t('Local volume'), description: vscode.l10n.t('driver local, stored on the Docker host'), choice: 'plain' },
    { label: vscode.l10n.t('NFS share'), description: vscode.l10n.t('driver local, type nfs'), choice: 'nfs' },
    { label: vscode.l10n.t('CIFS / SMB share'), description: vscode.l10n.t('driver local, type cifs'), choice: 'cifs' },
    { label: vscode.l10n.t('Other driver or options…'), description: vscode.l10n.t('any driver, any --opt'), choice: 'options' },
  ], { title: vscode.l10n.t('Create Volume (2/3): kind') });
  if (!kind) return undefined;
  const options: CreateVolumeOptions = { name, kind: kind.choice };
  if (kind.choice === 'nfs') {
    const server = await vscode.window.showInputBox({ title: vscode.l10n.t('NFS server'), placeHolder: '192.168.1.10', validateInput: v => (v.trim() ? undefined : vscode.l10n.t('Enter the server address.')) });
    if (!server) return undefined;
    const exportPath = await vscode.window.showInputBox({ title: vscode.l10n.t('Exported path on the server'), placeHolder: '/srv/data', validateInput: v => (v.trim() ? undefined : vscode.l10n.t('Enter the exported path.')) });
    if (!exportPath) return undefined;
    const extra = await vscode.window.showInputBox({ title: vscode.l10n.t('Mount options'), value: 'rw,nfsvers=4', prompt: vscode.l10n.t('Comma-separated, as for mount -o.') });
    if (extra === undefined) return undefined;
    options.nfs = { server: server.trim(), exportPath: exportPath.trim(), options: extra };
  } else if (kind.choice === 'cifs') {
    const share = await vscode.window.showInputBox({ title: vscode.l10n.t('Share'), placeHolder: '//fileserver/share', validateInput: v => (parseShare(v) ? undefined : vscode.l10n.t('Write it as //server/share.')) });
    if (!share) return undefined;
    const user = await vscode.window.showInputBox({ title: vscode.l10n.t('User name (empty for guest)') });
    if (user === undefined) return undefined;
    const password = user ? await vscode.window.showInputBox({ title: vscode.l10n.t('Password'), password: true, prompt: vscode.l10n.t('Kept in the volume options by Docker; never shown or logged here.') }) : '';
    if (password === undefined) return undefined;
    options.cifs = { share, ...(user ? { user } : {}), ...(password ? { password } : {}), options: 'vers=3.0' };
  } else if (kind.choice === 'options') {
    const driver = await vscode.window.showInputBox({ title: vscode.l10n.t('Driver'), value: 'local' });
    if (driver === undefined) return undefined;
    const opts = await vscode.window.showInputBox({
      title: vscode.l10n.t('Driver options'), placeHolder: 'type=tmpfs device=tmpfs o=size=100m',
      validateInput: v => { const r = parseKeyValues(v); return typeof r === 'string' ? r : undefined; },
    });
    if (opts === undefined) return undefined;
    options.driver = driver || 'local';
    options.driverOpts = parseKeyValues(opts) as Record<string, string>;
  }
  const labels = await vscode.window.showInputBox({
    title: vscode.l10n.t('Create Volume (3/3): labels (optional)'), placeHolder: 'project=course env=dev',
    validateInput: v => { const r = parseKeyValues(v); return typeof r === 'string' ? r : undefined; },
  });
  if (labels === undefined) return undefined;
  options.labels = parseKeyValues(labels) as Record<string, string>;
  return options;
}

/** Creates a volume; from the palette it asks, with `options` (tests, walkthroughs) it does not. */
async function createVolume(ctx: CommandContext, options?: CreateVolumeOptions): Promise<VolumeSummary | undefined> {
  const spec = options?.name ? options : await askCreateOptions(ctx);
  if (!spec?.name) return undefined;
  await ctx.model.refresh({ sizes: 'skip' }); // Docker would silently hand back an existing volume
  const problem = nameProblemMessage(spec.name, ctx.model.volumes.map(v => v.name));
  if (problem) throw new DockerError('invalid', problem, 'create volume');
  const driverOpts = spec.nfs ? nfsDriverOptions(spec.nfs) : spec.cifs ? cifsDriverOptions(spec.cifs) : spec.driverOpts ?? {};
  const request = { name: spec.name, driver: spec.driver ?? 'local', driverOpts, labels: spec.labels ?? {} };
  ctx.log.cli(volumeCreateLine(request, cliTarget(ctx)));
  const volume = await ctx.daemon.use(client => client.createVolume(request));
  await ctx.model.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Volume {0} created.', volume.name));
  return volume;
}

// --- Inspect, copy, reveal ---------------------------------------------------------------------------------

async function inspectVolume(ctx: CommandContext, arg?: unknown): Promise<vscode.TextDocument | undefined> {
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

async function copyMountSnippet(ctx: CommandContext, arg?: unknown, options?: { form?: 'short' | 'long' | 'compose'; target?: string }): Promise<string | undefined> {
  const name = await volumeArgument(ctx, arg, vscode.l10n.t('Volume to mount'));
  if (!name) return undefined;
  const target = options?.target ?? ctx.model.row(name)?.users[0]?.destination ?? '/data';
  const snippets = volumeMountSnippets(name, target);
  let form = options?.form;
  if (!form) {
    const pick = await vscode.window.showQuickPick([
      { label: snippets.short, description: vscode.l10n.t('short -v syntax'), form: 'short' as const },
      { label: snippets.long, description: vscode.l10n.t('long --mount syntax'), form: 'long' as const },
      { label: vscode.l10n.t('Compose file'), description: snippets.compose.replace(/\n/g, ' ⏎ '), form: 'compose' as const },
    ], { title: vscode.l10n.t('Copy a mount of {0} at {1}', name, target) });
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

async function removeVolumes(ctx: CommandContext, arg?: unknown, selection?: unknown): Promise<RemoveResult> {
  const options = (arg && typeof arg === 'object' && !(arg instanceof VolumeItem) && !Array.isArray(arg)) ? arg as RemoveOptions : {};
  const names = options.names ?? await volumesArgument(ctx, arg, selection, vscode.l10n.t('Volume to remove'));
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
  for (const name of targets) {
    ctx.log.cli(volumeRemoveLine(name, cliTarget(ctx)));
    try {
      await ctx.daemon.use(client => client.removeVolume(name));
      result.removed.push(name);
    } catch (err) {
      if (!(err instanceof DockerError)) throw err;
      if (err.kind === 'notFound') {
        result.kept.push({ name, reason: vscode.l10n.t('it no longer exists') });
        continue;
      }
      if (err.kind !== 'conflict') throw err;
      const handled = await removeInUse(ctx, name, { ...options, ...(removeRunning !== undefined ? { removeRunningContainers: removeRunning } : {}) }, result);
      if (!handled) continue;
    }
  }
  await ctx.model.refresh();
  if (result.removed.length) {
    void vscode.window.showInformationMessage(result.removed.length === 1
      ? vscode.l10n.t('Volume {0} removed.', result.removed[0]!)
      : vscode.l10n.t('{0} volumes removed.', result.removed.length));
  }
  for (const kept of result.kept) void vscode.window.showWarningMessage(vscode.l10n.t('Volume {0} was kept: {1}.', kept.name, kept.reason));
  return result;
}

const isRunning = (c: ContainerSummary) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
const usersOf = (containers: ContainerSummary[], volume: string) => containers.filter(c => c.mounts.some(m => m.type === 'volume' && m.name === volume));

/**
 * Asks before removing: when running containers use some of the volumes, the question says so and
 * offers what can be done (stop and remove those containers with the volume, remove only the free
 * volumes, or cancel) instead of a Remove that Docker would then refuse.
 */
async function confirmRemoval(ctx: CommandContext, names: string[]): Promise<{ names: string[]; removeRunning: boolean } | undefined> {
  const sizeOf = (n: string) => { const size = ctx.model.row(n)?.size; return size !== undefined && size >= 0 ? ` (${formatBytes(size)})` : ''; };
  const busy = names.filter(n => usersOf(ctx.model.containers, n).some(isRunning));
  const lines = names.map(n => {
    const users = usersOf(ctx.model.containers, n);
    const running = users.filter(isRunning).map(c => c.name).join(', ');
    const stopped = users.filter(c => !isRunning(c)).map(c => c.name).join(', ');
    return `• ${n}${sizeOf(n)}${running ? ` — ${vscode.l10n.t('in use by running containers: {0}', running)}` : ''}${stopped ? ` — ${vscode.l10n.t('used by {0}', stopped)}` : ''}`;
  }).join('\n');
  if (!busy.length) {
    const remove = vscode.l10n.t('Remove');
    const choice = await vscode.window.showWarningMessage(
      names.length === 1 ? vscode.l10n.t('Remove volume {0} and all its data?', names[0]!) : vscode.l10n.t('Remove {0} volumes and all their data?', names.length),
      { modal: true, detail: `${lines}\n\n${vscode.l10n.t('This cannot be undone.')}` }, remove);
    return choice === remove ? { names, removeRunning: false } : undefined;
  }
  const containers = [...new Set(busy.flatMap(n => usersOf(ctx.model.containers, n).map(c => c.name)))];
  const stopAndRemove = vscode.l10n.t('Stop and Remove the Containers, Then the Volume');
  const free = names.filter(n => !busy.includes(n));
  const onlyFree = free.length ? vscode.l10n.t('Remove Only the {0} Volumes Not in Use', free.length) : undefined;
  const choice = await vscode.window.showWarningMessage(
    names.length === 1
      ? vscode.l10n.t('Volume {0} is in use by running containers ({1}): Docker will not remove it while a container refers to it.', names[0]!, usersOf(ctx.model.containers, names[0]!).filter(isRunning).map(c => c.name).join(', '))
      : vscode.l10n.t('{0} of these {1} volumes are in use by running containers: Docker will not remove them while a container refers to them.', busy.length, names.length),
    { modal: true, detail: `${lines}\n\n${vscode.l10n.t('Stopping is not enough: a stopped container still holds its volumes. You can stop and remove these containers ({0}), then the volumes and all their data. This cannot be undone.', containers.join(', '))}` },
    ...[stopAndRemove, ...(onlyFree ? [onlyFree] : [])]);
  if (choice === stopAndRemove) return { names, removeRunning: true };
  if (choice && choice === onlyFree) return { names: free, removeRunning: false };
  return undefined;
}

/** A volume in use: name the containers; remove them with it when the user agreed, else keep it. */
async function removeInUse(ctx: CommandContext, name: string, options: RemoveOptions, result: RemoveResult): Promise<boolean> {
  const containers = usersOf(await ctx.daemon.use(client => client.listContainers({ all: true })), name);
  const running = containers.filter(isRunning);
  const list = (cs: typeof containers) => cs.map(c => c.name).join(', ');
  if (running.length && !options.removeRunningContainers) {
    result.kept.push({ name, reason: vscode.l10n.t('running containers use it ({0}); stop them first', list(running)) });
    return false;
  }
  for (const c of running) {
    ctx.log.cli(stopLine(c.name, cliTarget(ctx)));
    await ctx.daemon.use(client => client.stopContainer(c.id));
  }
  const stopped = containers;
  let removeThem = running.length ? true : options.removeStoppedContainers;
  if (removeThem === undefined) {
    const both = vscode.l10n.t('Remove Containers and Volume');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Volume {0} is used by stopped containers: {1}.', name, list(stopped)),
      { modal: true, detail: vscode.l10n.t('Docker keeps a volume while any container refers to it, even a stopped one. Remove these containers, then the volume?') },
      both);
    removeThem = choice === both;
  }
  if (!removeThem) {
    result.kept.push({ name, reason: vscode.l10n.t('stopped containers use it ({0})', list(stopped)) });
    return false;
  }
  for (const c of stopped) {
    ctx.log.cli(removeContainerLine(c.name, false, cliTarget(ctx)));
    await ctx.daemon.use(client => client.removeContainer(c.id));
    result.removedContainers.push(c.name);
  }
  ctx.log.cli(volumeRemoveLine(name, cliTarget(ctx)));
  await ctx.daemon.use(client => client.removeVolume(name));
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

/**
 * Removes unused volumes after showing exactly which. It removes the previewed volumes one by one (never
 * `POST /volumes/prune`, which would also take volumes created after the preview), and keeps any that
 * became used in the meantime.
 */
async function pruneVolumes(ctx: CommandContext, options: PruneOptions = {}): Promise<PruneResult> {
  await ctx.model.refresh({ sizes: 'skip' });
  await ctx.model.refreshSizes(true);
  const [labelKey, labelValue] = options.label?.split('=', 2) ?? [];
  const unused = ctx.model.rows.filter(isUnused).filter(r => !labelKey
    || (labelKey in r.volume.labels && (labelValue === undefined || r.volume.labels[labelKey] === labelValue)));
  const engineApi = ctx.daemon.state.kind === 'reachable' ? ctx.daemon.state.engine.apiVersion : undefined;
  let scope = options.scope;
  if (!scope) {
    const anonymous = unused.filter(r => r.volume.anonymous);
    const sum = (rows: VolumeRow[]) => formatBytes(rows.reduce((t, r) => t + (r.size && r.size > 0 ? r.size : 0), 0));
    const pick = await vscode.window.showQuickPick([
      { label: vscode.l10n.t('Anonymous unused volumes'), description: vscode.l10n.t('{0} volumes · {1}', anonymous.length, sum(anonymous)), detail: vscode.l10n.t('What docker volume prune removes on Docker Engine 23 and later (API 1.42+).'), scope: 'anonymous' as const },
      { label: vscode.l10n.t('All unused volumes, named ones too'), description: vscode.l10n.t('{0} volumes · {1}', unused.length, sum(unused)), detail: vscode.l10n.t('What docker volume prune --all removes (and plain prune before API 1.42).'), scope: 'all' as const },
    ], { title: vscode.l10n.t('Prune unused volumes') });
    scope = pick?.scope;
  }
  const result: PruneResult = { previewed: [], cli: '', removed: [], keptBecauseUsed: [], reclaimedBytes: 0 };
  if (!scope) return result;
  const planned = unused.filter(r => scope === 'all' || r.volume.anonymous);
  result.previewed = planned.map(r => r.volume.name);
  if (!planned.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No unused volumes to remove.'));
    return result;
  }
  const cli = pruneLines(scope, apiAtLeast(engineApi, '1.42'), options.label, result.previewed, cliTarget(ctx));
  result.cli = cli.prune ?? cli.exact;
  if (!options.confirm) {
    const remove = vscode.l10n.t('Remove {0} Volumes', planned.length);
    const total = planned.reduce((t, r) => t + (r.size && r.size > 0 ? r.size : 0), 0);
    const lines = planned.slice(0, 30).map(r => `• ${displayVolumeName(r.volume.name)}${r.size !== undefined ? ` (${r.size < 0 ? 'n/a' : formatBytes(r.size)})` : ''}`);
    if (planned.length > 30) lines.push(vscode.l10n.t('… and {0} more', planned.length - 30));
    const rule = apiAtLeast(engineApi, '1.42')
      ? vscode.l10n.t('This engine (API {0}) prunes only anonymous volumes unless --all is given.', engineApi ?? '?')
      : vscode.l10n.t('This engine (API {0}) prunes every unused volume, named ones too.', engineApi ?? '?');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove these {0} unused volumes ({1})?', planned.length, formatBytes(total)),
      { modal: true, detail: `${lines.join('\n')}\n\n${rule}\n${vscode.l10n.t('Exactly the volumes listed are removed; one that a container starts using meanwhile is kept. CLI: {0}', cli.prune ?? cli.exact)}` },
      remove);
    if (choice !== remove) return result;
  }
  ctx.log.cli(cli.prune ? `${cli.prune}  # ${vscode.l10n.t('here, exactly: {0}', cli.exact)}` : cli.exact);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Removing unused volumes'), cancellable: true }, async (progress, token) => {
    for (const row of planned) {
      if (token.isCancellationRequested) break;
      progress.report({ message: displayVolumeName(row.volume.name), increment: 100 / planned.length });
      try {
        await ctx.daemon.use(client => client.removeVolume(row.volume.name));
        result.removed.push(row.volume.name);
        result.reclaimedBytes += row.size && row.size > 0 ? row.size : 0;
      } catch (err) {
        if (err instanceof DockerError && err.kind === 'conflict') result.keptBecauseUsed.push(row.volume.name);
        else if (!(err instanceof DockerError && err.kind === 'notFound')) throw err;
      }
    }
  });
  await ctx.model.refresh();
  const kept = result.keptBecauseUsed.length ? ` ${vscode.l10n.t('Kept {0} that came into use: {1}.', result.keptBecauseUsed.length, result.keptBecauseUsed.join(', '))}` : '';
  void vscode.window.showInformationMessage(`${vscode.l10n.t('Removed {0} volumes, reclaimed {1}.', result.removed.length, formatBytes(result.reclaimedBytes))}${kept}`);
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
    prompt: vscode.l10n.t('Part of a name, label, driver, Compose project or container; empty for all. Start with "unused:" to show only unused volumes.'),
    value: `${current.unusedOnly ? 'unused: ' : ''}${current.text ?? ''}`,
  });
  if (text === undefined) return;
  const unusedOnly = /^unused:/i.test(text.trim());
  ctx.volumesTree.setFilter({ text: text.trim().replace(/^unused:\s*/i, ''), unusedOnly });
}

/** The disk-usage report as a rendered Markdown preview (theme-aware, no webview of our own). */
async function showDiskUsage(ctx: CommandContext): Promise<void> {
  ctx.log.cli(diskUsageLine(true, cliTarget(ctx)));
  ctx.documents.refresh(diskUsageUri());
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Measuring disk usage…') }, async () => {
    await vscode.workspace.openTextDocument(diskUsageUri());
    await vscode.commands.executeCommand('markdown.showPreview', diskUsageUri());
  });
}

function clearFilter(ctx: CommandContext): void {
  ctx.volumesTree.setFilter({});
}

async function refreshVolumes(ctx: CommandContext): Promise<void> {
  ctx.log.cli(volumeListLine(cliTarget(ctx)));
  await ctx.volumesTree.refresh('force');
}

/** Remove and Prune ignore a group node passed by a context menu: they act on volumes, not groups. */
function isGroup(node: unknown): node is GroupItem {
  return node instanceof GroupItem;
}

export const volumeCommands: Record<string, CommandHandler> = {
  [COMMANDS.refreshVolumes]: refreshVolumes,
  [COMMANDS.createVolume]: (ctx, options) => createVolume(ctx, options as CreateVolumeOptions | undefined),
  [COMMANDS.inspectVolume]: inspectVolume,
  [COMMANDS.copyVolumeName]: copyName,
  [COMMANDS.copyMountSnippet]: (ctx, arg, options) => copyMountSnippet(ctx, arg, options as { form?: 'short' | 'long' | 'compose'; target?: string } | undefined),
  [COMMANDS.revealVolume]: revealVolume,
  [COMMANDS.removeVolume]: (ctx, arg, selection) => removeVolumes(ctx, isGroup(arg) ? undefined : arg, selection),
  [COMMANDS.pruneVolumes]: (ctx, options) => pruneVolumes(ctx, (options && !(options instanceof GroupItem) ? options : {})),
  [COMMANDS.filterVolumes]: (ctx, options) => filterVolumes(ctx, options as { text?: string; unusedOnly?: boolean } | undefined),
  [COMMANDS.clearVolumeFilter]: clearFilter,
  [COMMANDS.showDiskUsage]: showDiskUsage,
};
