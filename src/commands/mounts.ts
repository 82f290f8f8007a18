import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { COMMANDS, LABELS, SETTINGS } from '../constants';
import { checkVolumeName } from '../core/naming';
import { maskSecretsInText } from '../core/networkVolumes';
import { execLine, removeContainerLine, stopLine, testVolumeLine, volumeCreateLine } from '../core/cliActions';
import { checkTarget, classifyRunFailure, convertHostPath, parsePorts, parseSize, runCliLines, runRequest, type MountSpec, type PortMapping, type RunDescription } from '../core/mounts';
import { DockerError } from '../docker/errors';
import { observeRunOutcome, runOutcomeText, type RunOutcome } from '../flows/runOutcome';
import type { CommandContext, CommandHandler } from './registry';

/**
 * What every "Run Container with …" command accepts, so tests and walkthroughs can skip the prompts. Made
 * of the shown run's own fields (`RunDescription`), so none can be accepted and then dropped: the CLI lines
 * and the Engine request are both built from the description these fields go into.
 */
export type RunOptions = Partial<Omit<RunDescription, 'mounts' | 'workingDir' | 'detach'>> & {
  /** Label `volumes-lab.module` (walkthrough modules clean up by it). */
  module?: string;
};

export interface RunResult {
  id: string;
  name: string;
  cli: { short: string; long: string };
  /** Whether it still ran a moment after the start, or how it ended; absent for a container only created. */
  outcome?: RunOutcome;
}

const DEFAULT_IMAGE = 'busybox';

function targetProblem(target: string): string | undefined {
  switch (checkTarget(target)) {
    case 'empty': return vscode.l10n.t('Enter the path inside the container.');
    case 'relative': return vscode.l10n.t('The path inside the container must be absolute, like /app.');
    case 'root': return vscode.l10n.t('Mounting over / would hide the whole container: choose a folder such as /app.');
    default: return undefined;
  }
}

/** The target path given, or asked (prefilled with `suggested`); refused when not an absolute folder. */
async function targetOrAsk(title: string, given: string | undefined, suggested: string, prompt = vscode.l10n.t('Path inside the container')): Promise<string | undefined> {
  const target = given ?? await vscode.window.showInputBox({ title, prompt, value: suggested, validateInput: targetProblem });
  if (!target) return undefined;
  const problem = targetProblem(target);
  if (problem) throw new DockerError('invalid', problem, 'mount');
  return target;
}

/** Read-only or not: as given, or asked. */
async function readOnlyOrAsk(title: string, given: boolean | undefined): Promise<boolean | undefined> {
  if (given !== undefined) return given;
  const ro = vscode.l10n.t('Read-only');
  const mode = await vscode.window.showQuickPick([
    { label: vscode.l10n.t('Read-write'), description: vscode.l10n.t('the container can change the files') },
    { label: ro, description: vscode.l10n.t('the container only reads them (:ro)') },
  ], { title });
  return mode ? mode.label === ro : undefined;
}

/** Picks a local image, or any name typed; a missing image is pulled later, with progress. */
async function askImage(ctx: CommandContext, title: string): Promise<string | undefined> {
  const images = await ctx.daemon.use(client => client.listImages()).catch(() => []);
  const other = vscode.l10n.t('Another image…');
  const pick = await vscode.window.showQuickPick([
    ...images.flatMap(i => i.tags).sort().map(tag => ({ label: tag, description: vscode.l10n.t('local') })),
    { label: other, description: vscode.l10n.t('pulled if it is not here') },
  ], { title, placeHolder: vscode.l10n.t('Image to run') });
  if (!pick) return undefined;
  if (pick.label !== other) return pick.label;
  return vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Image name, e.g. nginx:alpine'), validateInput: v => (v.trim() ? undefined : vscode.l10n.t('Enter an image name.')) });
}

/** Makes sure the image is on the daemon: pulls it with progress (cancellable) when it is not. */
async function ensureImage(ctx: CommandContext, image: string): Promise<void> {
  try {
    await ctx.daemon.use(client => client.inspectImage(image));
    return;
  } catch (err) {
    if (!(err instanceof DockerError && err.kind === 'notFound')) throw err;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Pulling {0}', image), cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    try {
      await ctx.daemon.use(client => client.pullImage(image, status => progress.report({ message: status }), controller.signal));
    } catch (err) {
      if (err instanceof DockerError && err.kind === 'cancelled') throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw new DockerError('engine', vscode.l10n.t('Image {0} is not on this Docker host and cannot be pulled ({1}). Pick a local image, or check the network.', image, reason), 'pull');
    }
  });
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

function settingNetworkMode(): string | undefined {
  return vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.runNetworkMode, '') || undefined;
}

async function startContainer(ctx: CommandContext, options: RunOptions, mounts: MountSpec[], workingDir?: string, settleMs?: number): Promise<RunResult> {
  const { module, image = DEFAULT_IMAGE, networkMode = settingNetworkMode(), ...shown } = options;
  await ensureImage(ctx, image);
  const description: RunDescription = { ...shown, image, mounts, ...(workingDir ? { workingDir } : {}), ...(networkMode ? { networkMode } : {}) };
  const cli = runCliLines(description, ctx.daemon.cliTarget);
  ctx.log.cli(cli.short);
  ctx.log.cli(cli.long);
  try {
    const started = await ctx.daemon.use(client => client.runContainer(runRequest(description,
      { [LABELS.managed]: '1', ...(module ? { [LABELS.module]: module } : {}) })));
    const outcome = description.start === false ? undefined
      : await ctx.daemon.use(client => observeRunOutcome(client, started.id, settleMs !== undefined ? { settleMs } : {}));
    void ctx.model.refresh();
    const copy = vscode.l10n.t('Copy CLI');
    const failed = outcome?.state === 'exited' && outcome.exitCode !== 0;
    const said = outcome ? runOutcomeText(started.name, outcome, cli.short, vscode.l10n)
      : vscode.l10n.t('Container {0} created, not started. The same from a terminal: {1}', started.name, cli.short);
    void (failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(said, copy).then(async choice => {
      if (choice === copy) await vscode.env.clipboard.writeText(`${cli.short}\n${cli.long}`);
    });
    return { ...started, cli, ...(outcome ? { outcome } : {}) };
  } catch (err) {
    if (err instanceof DockerError) throw explainRunError(err, options);
    throw err;
  }
}

/** The engine's run errors in words a learner can act on. */
function explainRunError(err: DockerError, options: RunOptions): DockerError {
  const message = err.message;
  const failure = classifyRunFailure(message);
  if (failure === 'portInUse') {
    const ports = (options.ports ?? []).map(p => p.host).join(', ');
    return new DockerError('conflict', vscode.l10n.t('Port {0} is already in use on the host: pick another host port, or stop what uses it.', ports || '?'), err.operation, message);
  }
  if (failure === 'nameTaken') {
    return new DockerError('conflict', vscode.l10n.t('A container named {0} already exists: choose another name, or remove that container.', options.name ?? ''), err.operation, message);
  }
  if (failure === 'bindSourceMissing') {
    return new DockerError('invalid', vscode.l10n.t('The host folder does not exist: {0}', message.replace(/^.*does not exist:\s*/i, '')), err.operation, message);
  }
  return err;
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

async function runWithBindMount(ctx: CommandContext, options: BindOptions = {}): Promise<RunResult | undefined> {
  const title = vscode.l10n.t('Run Container with Bind Mount');
  const image = options.image ?? await askImage(ctx, title);
  if (!image) return undefined;
  let hostPath = options.hostPath;
  if (!hostPath) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const useWorkspace = folder ? vscode.l10n.t('This workspace: {0}', folder.fsPath) : undefined;
    const browse = vscode.l10n.t('Browse…');
    const choice = await vscode.window.showQuickPick([useWorkspace, browse].filter((x): x is string => Boolean(x)), { title, placeHolder: vscode.l10n.t('Host folder to share with the container') });
    if (!choice) return undefined;
    if (choice === browse) {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, ...(folder ? { defaultUri: folder } : {}) });
      hostPath = picked?.[0]?.fsPath;
    } else hostPath = folder!.fsPath;
  }
  if (!hostPath) return undefined;
  const converted = convertHostPath(hostPath, clientKind());
  if (converted.notes.includes('relative')) throw new DockerError('invalid', vscode.l10n.t('The host folder must be an absolute path: {0}', hostPath), 'bind mount');
  for (const note of converted.notes) {
    const text = {
      windowsFilesystemSlow: vscode.l10n.t('Files on a Windows drive reach Linux containers slowly; for live reload, keep the project inside WSL.'),
      wslDistroPath: vscode.l10n.t('Using {0}, the path inside the WSL distribution: the Docker daemon must run there (or in Docker Desktop with WSL integration).', converted.path),
      networkShare: vscode.l10n.t('Bind-mounting a network share usually fails: a CIFS volume is the reliable way.'),
      relative: '',
    }[note];
    if (text) void vscode.window.showWarningMessage(text);
  }
  // The long Mounts form refuses a missing folder; offer to create it rather than let Docker fail.
  if (daemonIsLocal(ctx) && !fs.existsSync(converted.path)) {
    let create = options.createMissing;
    if (create === undefined) {
      const yes = vscode.l10n.t('Create Folder');
      create = (await vscode.window.showWarningMessage(vscode.l10n.t('{0} does not exist. Create it?', converted.path), { modal: true }, yes)) === yes;
    }
    if (!create) throw new DockerError('invalid', vscode.l10n.t('The host folder does not exist: {0}', converted.path), 'bind mount');
    fs.mkdirSync(converted.path, { recursive: true });
  }
  const workingDir = options.target ? undefined : (await ctx.daemon.use(client => client.inspectImage(image)).catch(() => undefined))?.workingDir;
  const target = await targetOrAsk(title, options.target, workingDir || '/app');
  if (!target) return undefined;
  const readOnly = await readOnlyOrAsk(title, options.readOnly);
  if (readOnly === undefined) return undefined;
  let selinux = options.selinux;
  if (selinux === undefined && !options.hostPath && process.platform === 'linux' && daemonIsLocal(ctx)) {
    const none = vscode.l10n.t('No SELinux label');
    const pick = await vscode.window.showQuickPick([
      { label: none, description: vscode.l10n.t('most systems') },
      { label: ':z', description: vscode.l10n.t('shared label: several containers may use the folder') },
      { label: ':Z', description: vscode.l10n.t('private label: only this container') },
    ], { title, placeHolder: vscode.l10n.t('On SELinux systems (Fedora, RHEL) a bind mount needs a label') });
    if (!pick) return undefined;
    selinux = pick.label === ':z' ? 'z' : pick.label === ':Z' ? 'Z' : undefined;
  }
  let ports = options.ports;
  let command = options.command;
  if (!options.hostPath) {
    const portText = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Ports to publish, host:container (optional)'), placeHolder: '8080:80',
      validateInput: v => { const r = parsePorts(v); return typeof r === 'string' ? vscode.l10n.t('"{0}" is not host:container', r) : undefined; } });
    if (portText === undefined) return undefined;
    ports = parsePorts(portText) as PortMapping[];
    const commandText = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Command (optional; empty for the image default)') });
    if (commandText === undefined) return undefined;
    command = commandText.trim() ? ['sh', '-c', commandText] : undefined;
  }
  return startContainer(ctx, { ...options, image, ...(ports ? { ports } : {}), ...(command ? { command } : {}) },
    [{ type: 'bind', source: converted.path, target, readOnly, ...(selinux ? { selinux } : {}) }]);
}

// --- Volume, tmpfs -----------------------------------------------------------------------------------------------

/**
 * The command and the container name, asked as the bind-mount wizard asks its command: empty keeps the
 * image's default command and lets Docker pick a name. Undefined when the user cancels.
 */
async function askCommandAndName(ctx: CommandContext, title: string): Promise<{ command?: string[]; name?: string } | undefined> {
  const commandText = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Command (optional; empty for the image default)'), placeHolder: 'sleep 3600' });
  if (commandText === undefined) return undefined;
  const taken = ctx.model.containers.map(c => c.name);
  const name = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Container name (optional; empty lets Docker choose one)'),
    validateInput: v => (!v.trim() ? undefined : checkVolumeName(v.trim(), taken)?.problem === 'exists' ? vscode.l10n.t('A container named {0} already exists.', v.trim())
      : checkVolumeName(v.trim()) ? vscode.l10n.t('Use letters, digits, "_", "." and "-", starting with a letter or digit.') : undefined) });
  if (name === undefined) return undefined;
  return { ...(commandText.trim() ? { command: ['sh', '-c', commandText] } : {}), ...(name.trim() ? { name: name.trim() } : {}) };
}

export interface VolumeRunOptions extends RunOptions {
  volume?: string;
  target?: string;
  readOnly?: boolean;
}

async function askVolume(ctx: CommandContext, title: string): Promise<string | undefined> {
  await ctx.model.ensureLoaded();
  const create = vscode.l10n.t('New volume…');
  const pick = await vscode.window.showQuickPick([{ label: create }, ...ctx.model.rows.filter(r => !r.volume.anonymous).map(r => ({ label: r.volume.name }))], { title, placeHolder: vscode.l10n.t('Volume to mount') });
  if (!pick) return undefined;
  if (pick.label !== create) return pick.label;
  const names = ctx.model.volumes.map(v => v.name);
  return vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Name of the new volume'), validateInput: v => (checkVolumeName(v, names) ? vscode.l10n.t('Use letters, digits, "_", "." and "-", starting with a letter or digit, and a name not taken.') : undefined) });
}

async function runWithVolume(ctx: CommandContext, options: VolumeRunOptions = {}): Promise<RunResult | undefined> {
  const title = vscode.l10n.t('Run Container with Volume');
  const volume = options.volume ?? await askVolume(ctx, title);
  if (!volume) return undefined;
  const image = options.image ?? await askImage(ctx, title);
  if (!image) return undefined;
  const target = await targetOrAsk(title, options.target, '/data');
  if (!target) return undefined;
  const readOnly = await readOnlyOrAsk(title, options.readOnly);
  if (readOnly === undefined) return undefined;
  // Docker creates a missing named volume on first use; we do it explicitly, so that it is visible in the log.
  await ctx.model.ensureLoaded();
  if (!ctx.model.volumes.some(v => v.name === volume)) {
    ctx.log.cli(volumeCreateLine({ name: volume }, ctx.daemon.cliTarget));
    await ctx.daemon.use(client => client.createVolume({ name: volume, labels: { [LABELS.managed]: '1', ...(options.module ? { [LABELS.module]: options.module } : {}) } }));
  }
  const asked = options.target ? {} : await askCommandAndName(ctx, title);
  if (!asked) return undefined;
  return startContainer(ctx, { ...asked, ...options, image }, [{ type: 'volume', source: volume, target, readOnly }]);
}

export interface TmpfsRunOptions extends RunOptions {
  target?: string;
  sizeBytes?: number;
  mode?: number;
}

async function runWithTmpfs(ctx: CommandContext, options: TmpfsRunOptions = {}): Promise<RunResult | undefined> {
  const title = vscode.l10n.t('Run Container with tmpfs');
  const image = options.image ?? await askImage(ctx, title);
  if (!image) return undefined;
  const target = await targetOrAsk(title, options.target, '/cache', vscode.l10n.t('Path inside the container (kept in memory, gone when the container stops)'));
  if (!target) return undefined;
  let sizeBytes = options.sizeBytes;
  if (sizeBytes === undefined && !options.target) {
    const text = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Size limit (e.g. 64m; empty for none)'), value: '64m',
      validateInput: v => (!v.trim() || parseSize(v) ? undefined : vscode.l10n.t('Write a size like 64m, 512k or 1g.')) });
    if (text === undefined) return undefined;
    sizeBytes = text.trim() ? parseSize(text) : undefined;
  }
  let mode = options.mode;
  if (mode === undefined && !options.target) {
    const text = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Permissions in octal (e.g. 1777 for a shared /tmp; empty for the default)'), value: '',
      validateInput: v => (!v.trim() || /^[0-7]{3,4}$/.test(v.trim()) ? undefined : vscode.l10n.t('Write an octal mode like 755 or 1777.')) });
    if (text === undefined) return undefined;
    mode = text.trim() ? parseInt(text.trim(), 8) : undefined;
  }
  const asked = options.target ? {} : await askCommandAndName(ctx, title);
  if (!asked) return undefined;
  return startContainer(ctx, { ...asked, ...options, image }, [{ type: 'tmpfs', target, ...(sizeBytes ? { sizeBytes } : {}), ...(mode !== undefined ? { mode } : {}) }]);
}

// --- Share a volume ----------------------------------------------------------------------------------------------

export interface ShareOptions extends RunOptions {
  volume?: string;
  writerTarget?: string;
  readerTarget?: string;
}

export interface ShareResult {
  volume: string;
  writer: RunResult;
  reader: RunResult;
  /** What the reader saw of the writer's data. */
  readerSaw: string;
  /** The refusal when the reader tried to write (its exit code and message). */
  refusal: { exitCode: number; output: string };
}

/**
 * The sidecar lab: a writer appends log lines to a volume, a reader mounts the same volume read-only and
 * reads them; then the reader tries to delete the log, and the refusal is reported.
 */
async function shareVolume(ctx: CommandContext, options: ShareOptions = {}): Promise<ShareResult | undefined> {
  const title = vscode.l10n.t('Share a Volume Between Containers');
  const volume = options.volume ?? await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Volume the two containers share'), value: 'shared-logs',
    validateInput: v => (checkVolumeName(v) ? vscode.l10n.t('Use letters, digits, "_", "." and "-", starting with a letter or digit.') : undefined) });
  if (!volume) return undefined;
  const image = options.image ?? await askImage(ctx, title);
  if (!image) return undefined;
  const writerTarget = options.writerTarget ?? '/var/log/app';
  const readerTarget = options.readerTarget ?? '/logs';
  const suffix = Date.now().toString(36).slice(-4);
  await ctx.model.ensureLoaded();
  if (!ctx.model.volumes.some(v => v.name === volume)) {
    ctx.log.cli(volumeCreateLine({ name: volume }, ctx.daemon.cliTarget));
    await ctx.daemon.use(client => client.createVolume({ name: volume, labels: { [LABELS.managed]: '1', ...(options.module ? { [LABELS.module]: options.module } : {}) } }));
  }
  const base: RunOptions = { ...options, image };
  const writer = await startContainer(ctx, { ...base, name: options.name ?? `app-server-${suffix}`,
    command: ['sh', '-c', 'while true; do echo "$(date) : User logged in" >> "$1/access.log"; sleep 2; done', 'sh', writerTarget] },
  [{ type: 'volume', source: volume, target: writerTarget }]);
  const reader = await startContainer(ctx, { ...base, name: `log-shipper-${suffix}`, command: ['sh', '-c', 'touch "$1/.ready" 2>/dev/null; while true; do sleep 3600; done', 'sh', readerTarget] },
    [{ type: 'volume', source: volume, target: readerTarget, readOnly: true }]);
  // Let the writer write once, then look from the reader, then try to write from the reader.
  let readerSaw = '';
  for (let i = 0; i < 20 && !readerSaw; i++) {
    await new Promise(r => setTimeout(r, 250));
    readerSaw = (await ctx.daemon.use(client => client.exec(reader.id, ['sh', '-c', 'tail -n 1 "$1/access.log" 2>/dev/null', 'sh', readerTarget]))).output.trim();
  }
  const tryDelete = ['rm', `${readerTarget}/access.log`];
  ctx.log.cli(execLine(reader.name, tryDelete, ctx.daemon.cliTarget));
  const refusal = await ctx.daemon.use(client => client.exec(reader.id, tryDelete));
  const message = refusal.exitCode !== 0
    ? vscode.l10n.t('The reader {0} sees the log ("{1}") but could not delete it: {2}', reader.name, readerSaw, refusal.output.trim())
    : vscode.l10n.t('Unexpected: the reader {0} could delete the log although its mount is read-only.', reader.name);
  void vscode.window.showInformationMessage(message);
  ctx.log.info(message);
  return { volume, writer, reader, readerSaw, refusal };
}

// --- Test a volume ---------------------------------------------------------------------------------------------

export interface TestVolumeResult {
  volume: string;
  ok: boolean;
  /** `ls` of the mounted volume, or the engine's mount error. */
  detail: string;
}

/**
 * Mounts a volume in a throwaway container and lists it: for NFS / CIFS volumes this is the moment the
 * kernel really mounts the share, so a wrong address or credential shows here rather than in an app.
 */
async function testVolume(ctx: CommandContext, arg?: unknown, options: RunOptions = {}): Promise<TestVolumeResult | undefined> {
  const volume = typeof arg === 'string' ? arg
    : arg && typeof arg === 'object' && 'row' in arg ? (arg as { row: { volume: { name: string } } }).row.volume.name
      : await askVolume(ctx, vscode.l10n.t('Test a Volume'));
  if (!volume) return undefined;
  const image = options.image ?? DEFAULT_IMAGE;
  const networkMode = options.networkMode ?? settingNetworkMode();
  ctx.log.cli(testVolumeLine(volume, { image, ...(networkMode ? { networkMode } : {}) }, ctx.daemon.cliTarget));
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Mounting {0} in a test container…', volume) }, async () => {
    let result: TestVolumeResult;
    try {
      await ensureImage(ctx, image);
      const probe = await ctx.daemon.use(client => client.runContainer({
        image, command: ['sleep', '60'], mounts: [{ type: 'volume', source: volume, target: '/probe', readOnly: true }],
        labels: { [LABELS.managed]: '1', ...(options.module ? { [LABELS.module]: options.module } : {}) },
        ...(networkMode ? { networkMode } : {}),
      }));
      try {
        const listing = await ctx.daemon.use(client => client.exec(probe.id, ['ls', '-la', '/probe']));
        result = { volume, ok: listing.exitCode === 0, detail: listing.output.trim() };
      } finally {
        await ctx.daemon.use(client => client.removeContainer(probe.id, { force: true })).catch(() => undefined);
      }
    } catch (err) {
      if (!(err instanceof DockerError) || err.kind === 'unreachable' || err.kind === 'permissionDenied') throw err;
      result = { volume, ok: false, detail: maskSecretsInText(err.message) };
    }
    if (result.ok) void vscode.window.showInformationMessage(vscode.l10n.t('Volume {0} mounts fine.', volume));
    else void vscode.window.showErrorMessage(vscode.l10n.t('Volume {0} could not be mounted: {1}', volume, result.detail));
    ctx.log.info(`${volume}: ${result.ok ? 'mounted' : 'failed'}\n${result.detail}`);
    return result;
  });
}

// --- Containers in the Mounts view --------------------------------------------------------------------------------

function containerArg(arg: unknown): { id: string; name: string; running: boolean } | undefined {
  if (arg && typeof arg === 'object' && 'container' in arg) return (arg as { container: { id: string; name: string; running: boolean } }).container;
  if (arg && typeof arg === 'object' && 'id' in arg) return arg as { id: string; name: string; running: boolean };
  return undefined;
}

async function stopContainer(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const c = containerArg(arg);
  if (!c) return false;
  ctx.log.cli(stopLine(c.name, ctx.daemon.cliTarget));
  await ctx.daemon.use(client => client.stopContainer(c.id));
  ctx.mountsTree.refresh();
  return true;
}

async function removeContainer(ctx: CommandContext, arg?: unknown, options?: { confirm?: boolean }): Promise<boolean> {
  const c = containerArg(arg);
  if (!c) return false;
  if (!options?.confirm) {
    const remove = vscode.l10n.t('Remove');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Remove container {0}?', c.name),
      { modal: true, detail: c.running ? vscode.l10n.t('It is running: it will be stopped first. Its named volumes stay.') : vscode.l10n.t('Its named volumes stay.') }, remove);
    if (choice !== remove) return false;
  }
  ctx.log.cli(removeContainerLine(c.name, c.running, ctx.daemon.cliTarget));
  await ctx.daemon.use(client => client.removeContainer(c.id, { force: c.running }));
  ctx.mountsTree.refresh();
  void ctx.model.refresh();
  return true;
}

async function openHostFolder(_ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const source = arg && typeof arg === 'object' && 'mount' in arg ? (arg as { mount: { source: string } }).mount.source : undefined;
  if (!source || !fs.existsSync(source)) {
    void vscode.window.showWarningMessage(vscode.l10n.t('This folder is not on this machine (the Docker daemon is remote, or the folder is gone).'));
    return false;
  }
  const uri = vscode.Uri.file(source);
  if (fs.statSync(source).isDirectory()) await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
  else await vscode.window.showTextDocument(uri);
  return true;
}

export const mountCommands: Record<string, CommandHandler> = {
  [COMMANDS.runWithBindMount]: (ctx, options) => runWithBindMount(ctx, options as BindOptions | undefined),
  [COMMANDS.runWithVolume]: (ctx, options) => runWithVolume(ctx, (options && typeof options === 'object' && 'row' in options ? { volume: (options as { row: { volume: { name: string } } }).row.volume.name } : options) as VolumeRunOptions | undefined),
  [COMMANDS.runWithTmpfs]: (ctx, options) => runWithTmpfs(ctx, options as TmpfsRunOptions | undefined),
  [COMMANDS.shareVolume]: (ctx, options) => shareVolume(ctx, options as ShareOptions | undefined),
  [COMMANDS.testVolume]: (ctx, arg, options) => testVolume(ctx, arg, (options ?? {})),
  [COMMANDS.refreshMounts]: ctx => ctx.mountsTree.refresh(),
  [COMMANDS.stopContainer]: stopContainer,
  [COMMANDS.removeContainer]: (ctx, arg, options) => removeContainer(ctx, arg, options as { confirm?: boolean } | undefined),
  [COMMANDS.openHostFolder]: openHostFolder,
};

