import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import { readCommandArgument } from '../core/commandArguments';
import { removeContainerLine, stopLine } from '../core/cliActions';
import {
  checkTarget,
  convertHostPath,
  parsePorts,
  parseSize,
  type MountSpec,
  type PortMapping,
  type RunDescription,
} from '../core/mounts';
import { checkVolumeName } from '../core/naming';
import { DockerError } from '../docker/errors';
import {
  DEFAULT_IMAGE,
  ensureVolume,
  imagePresent,
  pullImageFlow,
  runContainerFlow,
  shareVolumeFlow,
  testVolumeFlow,
  type RunOptions,
  type RunResult,
  type ShareResult,
  type TestVolumeResult,
} from '../flows/run';
import { runOutcomeText } from '../flows/runOutcome';
import { withCancellableProgress } from '../services/progress';
import { settings } from '../services/settings';
import { flowDeps } from './backupPrompts';
import { askNewVolumeName } from './createVolumePrompts';
import type { CommandContext, CommandHandler } from './registry';

export type { RunOptions, RunResult } from '../flows/run';

function targetProblem(target: string): string | undefined {
  switch (checkTarget(target)) {
    case 'empty':
      return vscode.l10n.t('Enter the path inside the container.');
    case 'relative':
      return vscode.l10n.t('The path inside the container must be absolute, like /app.');
    case 'root':
      return vscode.l10n.t('Mounting over / would hide the whole container: choose a folder such as /app.');
    default:
      return undefined;
  }
}

/** The target path given, or asked (prefilled with `suggested`); refused when not an absolute folder. */
async function targetOrAsk(
  title: string,
  given: string | undefined,
  suggested: string,
  prompt = vscode.l10n.t('Path inside the container'),
): Promise<string | undefined> {
  const target =
    given ?? (await vscode.window.showInputBox({ title, prompt, value: suggested, validateInput: targetProblem }));
  if (!target) return undefined;
  const problem = targetProblem(target);
  if (problem) throw new DockerError('invalid', problem, 'mount');
  return target;
}

/** Read-only or not: as given, or asked. */
async function readOnlyOrAsk(title: string, given: boolean | undefined): Promise<boolean | undefined> {
  if (given !== undefined) return given;
  const ro = vscode.l10n.t('Read-only');
  const mode = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Read-write'), description: vscode.l10n.t('the container can change the files') },
      { label: ro, description: vscode.l10n.t('the container only reads them (:ro)') },
    ],
    { title },
  );
  return mode ? mode.label === ro : undefined;
}

/** Picks a local image, or any name typed; a missing image is pulled later, with progress. */
async function askImage(ctx: CommandContext, title: string): Promise<string | undefined> {
  const images = await ctx.daemon.use((client) => client.listImages()).catch(() => []);
  const other = vscode.l10n.t('Another image…');
  const pick = await vscode.window.showQuickPick(
    [
      ...images
        .flatMap((i) => i.tags)
        .sort()
        .map((tag) => ({ label: tag, description: vscode.l10n.t('local') })),
      { label: other, description: vscode.l10n.t('pulled if it is not here') },
    ],
    { title, placeHolder: vscode.l10n.t('Image to run') },
  );
  if (!pick) return undefined;
  if (pick.label !== other) return pick.label;
  return vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Image name, e.g. nginx:alpine'),
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter an image name.')),
  });
}

/** Makes sure the image is on the daemon: pulls it with progress (cancellable) when it is not. */
async function ensureImage(ctx: CommandContext, image: string): Promise<void> {
  const deps = flowDeps(ctx);
  if (await imagePresent(deps, image)) return;
  await withCancellableProgress(vscode.l10n.t('Pulling {0}', image), (report, signal) =>
    pullImageFlow(deps, image, report, signal),
  );
}

/** Runs a lab step's container (the walkthrough buttons), like the Run commands do after their prompts. */
export function runLabContainer(ctx: CommandContext, description: RunDescription, module: string): Promise<RunResult> {
  const { mounts, workingDir, detach, ...options } = description;
  void detach;
  // Every other field of the description must be a run option, or it would be dropped on the way.
  const everyFieldCarried: [Exclude<keyof typeof options, keyof RunOptions>] extends [never] ? true : never = true;
  void everyFieldCarried;
  // The start is watched as for any run: the step reports "exited with code …" only when it is true.
  return startContainer(ctx, { ...options, module }, mounts, workingDir);
}

async function startContainer(
  ctx: CommandContext,
  options: RunOptions,
  mounts: MountSpec[],
  workingDir?: string,
  settleMs?: number,
): Promise<RunResult> {
  const image = options.image ?? DEFAULT_IMAGE;
  const networkMode = options.networkMode ?? settings.runNetworkMode();
  await ensureImage(ctx, image);
  const result = await runContainerFlow(
    flowDeps(ctx),
    { ...options, image, ...(networkMode ? { networkMode } : {}) },
    mounts,
    workingDir,
    settleMs,
  );
  void ctx.model.refresh();
  const copy = vscode.l10n.t('Copy CLI');
  const failed = result.outcome?.state === 'exited' && result.outcome.exitCode !== 0;
  const said = result.outcome
    ? runOutcomeText(result.name, result.outcome, result.cli.short, vscode.l10n)
    : vscode.l10n.t('Container {0} created, not started. The same from a terminal: {1}', result.name, result.cli.short);
  void (failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(said, copy).then(
    async (choice) => {
      if (choice === copy) await vscode.env.clipboard.writeText(`${result.cli.short}\n${result.cli.long}`);
    },
  );
  return result;
}

// --- Bind mount ------------------------------------------------------------------------------------------------

export interface BindOptions extends RunOptions {
  hostPath?: string;
  target?: string;
  readOnly?: boolean;
  selinux?: 'z' | 'Z';
  /** When the host folder is missing: create it (true), refuse (false), or ask (undefined). */
  createMissing?: boolean;
}

function daemonIsLocal(ctx: CommandContext): boolean {
  const t = ctx.daemon.endpoint?.transport;
  return t === 'unix' || t === 'npipe';
}

function clientKind(): 'windows' | 'wsl' | 'unix' {
  if (process.platform === 'win32') return 'windows';
  return process.env.WSL_DISTRO_NAME ? 'wsl' : 'unix';
}

/** The host folder: the workspace's or one browsed to. */
async function askHostFolder(title: string): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const useWorkspace = folder ? vscode.l10n.t('This workspace: {0}', folder.fsPath) : undefined;
  const browse = vscode.l10n.t('Browse…');
  const choice = await vscode.window.showQuickPick(
    [useWorkspace, browse].filter((x): x is string => Boolean(x)),
    { title, placeHolder: vscode.l10n.t('Host folder to share with the container') },
  );
  if (!choice) return undefined;
  if (choice !== browse) return folder!.fsPath;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    ...(folder ? { defaultUri: folder } : {}),
  });
  return picked?.[0]?.fsPath;
}

/**
 * The host path as the daemon sees it, with a warning for each known pitfall; a missing local folder created when
 * allowed.
 */
async function daemonHostPath(
  ctx: CommandContext,
  hostPath: string,
  createMissing: boolean | undefined,
): Promise<string> {
  const converted = convertHostPath(hostPath, clientKind());
  if (converted.notes.includes('relative'))
    throw new DockerError(
      'invalid',
      vscode.l10n.t('The host folder must be an absolute path: {0}', hostPath),
      'bind mount',
    );
  for (const note of converted.notes) {
    const text = {
      windowsFilesystemSlow: vscode.l10n.t(
        'Files on a Windows drive reach Linux containers slowly; for live reload, keep the project inside WSL.',
      ),
      wslDistroPath: vscode.l10n.t(
        'Using {0}, the path inside the WSL distribution: the Docker daemon must run there (or in Docker Desktop with WSL integration).',
        converted.path,
      ),
      networkShare: vscode.l10n.t('Bind-mounting a network share usually fails: a CIFS volume is the reliable way.'),
      relative: '',
    }[note];
    if (text) void vscode.window.showWarningMessage(text);
  }
  // The long Mounts form refuses a missing folder; offer to create it rather than let Docker fail.
  if (daemonIsLocal(ctx) && !fs.existsSync(converted.path)) {
    let create = createMissing;
    if (create === undefined) {
      const yes = vscode.l10n.t('Create Folder');
      create =
        (await vscode.window.showWarningMessage(
          vscode.l10n.t('{0} does not exist. Create it?', converted.path),
          { modal: true },
          yes,
        )) === yes;
    }
    if (!create)
      throw new DockerError(
        'invalid',
        vscode.l10n.t('The host folder does not exist: {0}', converted.path),
        'bind mount',
      );
    fs.mkdirSync(converted.path, { recursive: true });
  }
  return converted.path;
}

/** On a local Linux daemon, the SELinux label (none, :z, :Z); null when the user cancels. */
async function askSelinux(title: string): Promise<'z' | 'Z' | undefined | null> {
  const none = vscode.l10n.t('No SELinux label');
  const pick = await vscode.window.showQuickPick(
    [
      { label: none, description: vscode.l10n.t('most systems') },
      { label: ':z', description: vscode.l10n.t('shared label: several containers may use the folder') },
      { label: ':Z', description: vscode.l10n.t('private label: only this container') },
    ],
    { title, placeHolder: vscode.l10n.t('On SELinux systems (Fedora, RHEL) a bind mount needs a label') },
  );
  if (!pick) return null;
  return pick.label === ':z' ? 'z' : pick.label === ':Z' ? 'Z' : undefined;
}

/** Ports to publish and the command; undefined when the user cancels. */
async function askPortsAndCommand(title: string): Promise<{ ports: PortMapping[]; command?: string[] } | undefined> {
  const portText = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Ports to publish, host:container (optional)'),
    placeHolder: '8080:80',
    validateInput: (v) => {
      const r = parsePorts(v);
      return typeof r === 'string' ? vscode.l10n.t('"{0}" is not host:container', r) : undefined;
    },
  });
  if (portText === undefined) return undefined;
  const commandText = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Command (optional; empty for the image default)'),
  });
  if (commandText === undefined) return undefined;
  return {
    ports: parsePorts(portText) as PortMapping[],
    ...(commandText.trim() ? { command: ['sh', '-c', commandText] } : {}),
  };
}

async function runWithBindMount(ctx: CommandContext, options: BindOptions = {}): Promise<RunResult | undefined> {
  const title = vscode.l10n.t('Run Container with Bind Mount');
  const image = options.image ?? (await askImage(ctx, title));
  const hostPath = image && (options.hostPath ?? (await askHostFolder(title)));
  if (!image || !hostPath) return undefined;
  const source = await daemonHostPath(ctx, hostPath, options.createMissing);
  const workingDir = options.target
    ? undefined
    : (await ctx.daemon.use((client) => client.inspectImage(image)).catch(() => undefined))?.workingDir;
  const target = await targetOrAsk(title, options.target, workingDir || '/app');
  if (!target) return undefined;
  const readOnly = await readOnlyOrAsk(title, options.readOnly);
  if (readOnly === undefined) return undefined;
  const asksAll = !options.hostPath;
  const selinux =
    options.selinux ??
    (asksAll && process.platform === 'linux' && daemonIsLocal(ctx) ? await askSelinux(title) : undefined);
  const asked = asksAll ? await askPortsAndCommand(title) : {};
  if (selinux === null || !asked) return undefined;
  return startContainer(ctx, { ...options, image, ...asked }, [
    { type: 'bind', source, target, readOnly, ...(selinux ? { selinux } : {}) },
  ]);
}

// --- Volume, tmpfs -----------------------------------------------------------------------------------------------

/**
 * The command and the container name, asked as the bind-mount wizard asks its command: empty keeps the
 * image's default command and lets Docker pick a name. Undefined when the user cancels.
 */
async function askCommandAndName(
  ctx: CommandContext,
  title: string,
): Promise<{ command?: string[]; name?: string } | undefined> {
  const commandText = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Command (optional; empty for the image default)'),
    placeHolder: 'sleep 3600',
  });
  if (commandText === undefined) return undefined;
  const taken = ctx.model.containers.map((c) => c.name);
  const name = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Container name (optional; empty lets Docker choose one)'),
    validateInput: (v) =>
      !v.trim()
        ? undefined
        : checkVolumeName(v.trim(), taken)?.problem === 'exists'
          ? vscode.l10n.t('A container named {0} already exists.', v.trim())
          : checkVolumeName(v.trim())
            ? vscode.l10n.t('Use letters, digits, "_", "." and "-", starting with a letter or digit.')
            : undefined,
  });
  if (name === undefined) return undefined;
  return {
    ...(commandText.trim() ? { command: ['sh', '-c', commandText] } : {}),
    ...(name.trim() ? { name: name.trim() } : {}),
  };
}

export interface VolumeRunOptions extends RunOptions {
  volume?: string;
  target?: string;
  readOnly?: boolean;
}

async function askVolume(ctx: CommandContext, title: string): Promise<string | undefined> {
  await ctx.model.ensureLoaded();
  const create = vscode.l10n.t('New volume…');
  const pick = await vscode.window.showQuickPick(
    [{ label: create }, ...ctx.model.rows.filter((r) => !r.volume.anonymous).map((r) => ({ label: r.volume.name }))],
    { title, placeHolder: vscode.l10n.t('Volume to mount') },
  );
  if (!pick) return undefined;
  if (pick.label !== create) return pick.label;
  const names = ctx.model.volumes.map((v) => v.name);
  return askNewVolumeName(title, names);
}

async function runWithVolume(ctx: CommandContext, options: VolumeRunOptions = {}): Promise<RunResult | undefined> {
  const title = vscode.l10n.t('Run Container with Volume');
  const volume = options.volume ?? (await askVolume(ctx, title));
  if (!volume) return undefined;
  const image = options.image ?? (await askImage(ctx, title));
  if (!image) return undefined;
  const target = await targetOrAsk(title, options.target, '/data');
  if (!target) return undefined;
  const readOnly = await readOnlyOrAsk(title, options.readOnly);
  if (readOnly === undefined) return undefined;
  // Docker creates a missing named volume on first use; we do it explicitly, so that it is visible in the log.
  await ctx.model.ensureLoaded();
  await ensureVolume(
    flowDeps(ctx),
    volume,
    ctx.model.volumes.map((v) => v.name),
    options.module,
  );
  const asked = options.target ? {} : await askCommandAndName(ctx, title);
  if (!asked) return undefined;
  return startContainer(ctx, { ...asked, ...options, image }, [{ type: 'volume', source: volume, target, readOnly }]);
}

export interface TmpfsRunOptions extends RunOptions {
  target?: string;
  sizeBytes?: number;
  mode?: number;
}

function askTmpfsSize(title: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Size limit (e.g. 64m; empty for none)'),
    value: '64m',
    validateInput: (v) => (!v.trim() || parseSize(v) ? undefined : vscode.l10n.t('Write a size like 64m, 512k or 1g.')),
  });
}

function askTmpfsMode(title: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Permissions in octal (e.g. 1777 for a shared /tmp; empty for the default)'),
    value: '',
    validateInput: (v) =>
      !v.trim() || /^[0-7]{3,4}$/.test(v.trim()) ? undefined : vscode.l10n.t('Write an octal mode like 755 or 1777.'),
  });
}

async function runWithTmpfs(ctx: CommandContext, options: TmpfsRunOptions = {}): Promise<RunResult | undefined> {
  const title = vscode.l10n.t('Run Container with tmpfs');
  const image = options.image ?? (await askImage(ctx, title));
  if (!image) return undefined;
  const target = await targetOrAsk(
    title,
    options.target,
    '/cache',
    vscode.l10n.t('Path inside the container (kept in memory, gone when the container stops)'),
  );
  if (!target) return undefined;
  const ask = !options.target;
  const sizeText = options.sizeBytes === undefined && ask ? await askTmpfsSize(title) : '';
  if (sizeText === undefined) return undefined;
  const sizeBytes = options.sizeBytes ?? (sizeText.trim() ? parseSize(sizeText) : undefined);
  const modeText = options.mode === undefined && ask ? await askTmpfsMode(title) : '';
  if (modeText === undefined) return undefined;
  const mode = options.mode ?? (modeText.trim() ? parseInt(modeText.trim(), 8) : undefined);
  const asked = options.target ? {} : await askCommandAndName(ctx, title);
  if (!asked) return undefined;
  return startContainer(ctx, { ...asked, ...options, image }, [
    { type: 'tmpfs', target, ...(sizeBytes ? { sizeBytes } : {}), ...(mode !== undefined ? { mode } : {}) },
  ]);
}

// --- Share a volume ----------------------------------------------------------------------------------------------

export interface ShareOptions extends RunOptions {
  volume?: string;
  writerTarget?: string;
  readerTarget?: string;
}

/**
 * The sidecar lab: a writer appends log lines to a volume, a reader mounts the same volume read-only and
 * reads them; then the reader tries to delete the log, and the refusal is reported.
 */
function askSharedVolume(title: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Volume the two containers share'),
    value: 'shared-logs',
    validateInput: (v) =>
      checkVolumeName(v)
        ? vscode.l10n.t('Use letters, digits, "_", "." and "-", starting with a letter or digit.')
        : undefined,
  });
}

/** What the reader of a shared volume could do: see the writer's log, and (read-only) not delete it. */
function shareOutcomeText({ reader, readerSaw, refusal }: Omit<ShareResult, 'volume'>): string {
  return refusal.exitCode !== 0
    ? vscode.l10n.t(
        'The reader {0} sees the log ("{1}") but could not delete it: {2}',
        reader.name,
        readerSaw,
        refusal.output.trim(),
      )
    : vscode.l10n.t('Unexpected: the reader {0} could delete the log although its mount is read-only.', reader.name);
}

async function shareVolume(ctx: CommandContext, options: ShareOptions = {}): Promise<ShareResult | undefined> {
  const title = vscode.l10n.t('Share a Volume Between Containers');
  const volume = options.volume ?? (await askSharedVolume(title));
  const image = volume && (options.image ?? (await askImage(ctx, title)));
  if (!volume || !image) return undefined;
  await ctx.model.ensureLoaded();
  const deps = flowDeps(ctx);
  await ensureVolume(
    deps,
    volume,
    ctx.model.volumes.map((v) => v.name),
    options.module,
  );
  const { writerTarget = '/var/log/app', readerTarget = '/logs' } = options;
  const shared = await shareVolumeFlow(
    deps,
    {
      volume,
      base: { ...options, image },
      writerTarget,
      readerTarget,
      ...(options.name ? { writerName: options.name } : {}),
    },
    (run, mounts) => startContainer(ctx, run, mounts),
  );
  const message = shareOutcomeText(shared);
  void vscode.window.showInformationMessage(message);
  ctx.log.info(message);
  return { volume, ...shared };
}

// --- Test a volume ---------------------------------------------------------------------------------------------

/**
 * Mounts a volume in a throwaway container and lists it (see testVolumeFlow), with progress and the outcome in words.
 */
async function testVolume(ctx: CommandContext, arg?: unknown, extra?: unknown): Promise<TestVolumeResult | undefined> {
  const a = readCommandArgument<RunOptions>(arg, extra);
  const volume = a.volume ?? a.text ?? (await askVolume(ctx, vscode.l10n.t('Test a Volume')));
  if (!volume) return undefined;
  const { image = DEFAULT_IMAGE, module } = a.options;
  const networkMode = a.options.networkMode ?? settings.runNetworkMode();
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Mounting {0} in a test container…', volume),
    },
    () =>
      testVolumeFlow(
        flowDeps(ctx),
        volume,
        { image, ...(networkMode ? { networkMode } : {}), ...(module ? { module } : {}) },
        (needed) => ensureImage(ctx, needed),
      ),
  );
  if (result.ok) void vscode.window.showInformationMessage(vscode.l10n.t('Volume {0} mounts fine.', volume));
  else
    void vscode.window.showErrorMessage(vscode.l10n.t('Volume {0} could not be mounted: {1}', volume, result.detail));
  ctx.log.info(`${volume}: ${result.ok ? 'mounted' : 'failed'}\n${result.detail}`);
  return result;
}

// --- Containers in the Mounts view --------------------------------------------------------------------------------

type ContainerRef = { id?: string; name: string; running?: boolean };

/** The container of a node of the Mounts or Volumes view, or of `{ container }` options. */
function containerArg(arg: unknown, extra?: unknown): { container: ContainerRef | undefined; confirm: boolean } {
  const a = readCommandArgument<{ container: ContainerRef; confirm: boolean }>(arg, extra);
  return { container: a.container ?? a.options.container, confirm: a.options.confirm === true };
}

async function stopContainer(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const c = containerArg(arg).container;
  if (!c) return false;
  ctx.log.cli(stopLine(c.name, ctx.daemon.cliTarget));
  await ctx.daemon.use((client) => client.stopContainer(c.id ?? c.name));
  ctx.mountsTree.refresh();
  return true;
}

async function removeContainer(ctx: CommandContext, arg?: unknown, extra?: unknown): Promise<boolean> {
  const { container: c, confirm } = containerArg(arg, extra);
  if (!c) return false;
  if (!confirm) {
    const remove = vscode.l10n.t('Remove');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove container {0}?', c.name),
      {
        modal: true,
        detail: c.running
          ? vscode.l10n.t('It is running: it will be stopped first. Its named volumes stay.')
          : vscode.l10n.t('Its named volumes stay.'),
      },
      remove,
    );
    if (choice !== remove) return false;
  }
  const running = c.running === true;
  ctx.log.cli(removeContainerLine(c.name, running, ctx.daemon.cliTarget));
  await ctx.daemon.use((client) => client.removeContainer(c.id ?? c.name, { force: running }));
  ctx.mountsTree.refresh();
  void ctx.model.refresh();
  return true;
}

async function openHostFolder(_ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const source = readCommandArgument<never>(arg).mount?.source;
  if (!source || !fs.existsSync(source)) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('This folder is not on this machine (the Docker daemon is remote, or the folder is gone).'),
    );
    return false;
  }
  const uri = vscode.Uri.file(source);
  if (fs.statSync(source).isDirectory())
    await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
  else await vscode.window.showTextDocument(uri);
  return true;
}

export const mountCommands: Record<string, CommandHandler> = {
  [COMMANDS.runWithBindMount]: (ctx, options) => runWithBindMount(ctx, options as BindOptions | undefined),
  [COMMANDS.runWithVolume]: (ctx, arg, extra) => {
    const a = readCommandArgument<VolumeRunOptions>(arg, extra);
    return runWithVolume(ctx, { ...a.options, ...((a.volume ?? a.text) ? { volume: a.volume ?? a.text } : {}) });
  },
  [COMMANDS.runWithTmpfs]: (ctx, options) => runWithTmpfs(ctx, options as TmpfsRunOptions | undefined),
  [COMMANDS.shareVolume]: (ctx, options) => shareVolume(ctx, options as ShareOptions | undefined),
  [COMMANDS.testVolume]: testVolume,
  [COMMANDS.refreshMounts]: (ctx) => ctx.mountsTree.refresh(),
  [COMMANDS.stopContainer]: stopContainer,
  [COMMANDS.removeContainer]: removeContainer,
  [COMMANDS.openHostFolder]: openHostFolder,
};
