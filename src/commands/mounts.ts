import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import { readCommandArgument } from '../core/commandArguments';
import { parseSize } from '../core/mounts';
import { checkVolumeName } from '../core/naming';
import {
  DEFAULT_IMAGE,
  ensureVolume,
  shareVolumeFlow,
  testVolumeFlow,
  type RunOptions,
  type RunResult,
  type ShareResult,
  type TestVolumeResult,
} from '../flows/run';
import { showNotice } from '../messages';
import { settings } from '../services/settings';
import { runWithBindMount, type BindOptions } from './bindMount';
import { askImage, ensureImage, readOnlyOrAsk, startContainer, targetOrAsk } from './runPrompts';
import { flowDeps, type CommandContext, type CommandHandler } from './registry';
import { volumeArgument } from './volumeArguments';

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

/**
 * The volume to mount: named ones only (an anonymous volume belongs to its container), or a new one. The options'
 * `name` is the container's; the Mounts view's title bar starts these wizards, so no stale Volumes row is taken.
 */
function volumeToMount(ctx: CommandContext, arg: unknown, extra: unknown, title: string): Promise<string | undefined> {
  const placeHolder = vscode.l10n.t('Volume to mount');
  const prompt = { title, placeHolder, anonymous: false, offerNew: true, nameIsVolume: false, focusedRow: false };
  return volumeArgument(ctx, arg, prompt, extra);
}

async function runWithVolume(ctx: CommandContext, arg?: unknown, extra?: unknown): Promise<RunResult | undefined> {
  const { options } = readCommandArgument<VolumeRunOptions>(arg, extra);
  const title = vscode.l10n.t('Run Container with Volume');
  const volume = await volumeToMount(ctx, arg, extra, title);
  if (!volume) return undefined;
  const image = options.image ?? (await askImage(ctx, vscode.l10n.t('Run Container with Volume {0}', volume)));
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

/**
 * The sidecar lab: a writer appends log lines to a volume, a reader mounts the same volume read-only and
 * reads them; then the reader tries to delete the log, and the refusal is reported.
 */
async function shareVolume(ctx: CommandContext, options: ShareOptions = {}): Promise<ShareResult | undefined> {
  const title = vscode.l10n.t('Share a Volume Between Containers');
  const volume = options.volume ?? (await askSharedVolume(title));
  const image =
    volume && (options.image ?? (await askImage(ctx, vscode.l10n.t('Share {0} Between Containers', volume))));
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
  void showNotice('info', message);
  ctx.log.info(message);
  return { volume, ...shared };
}

// --- Test a volume ---------------------------------------------------------------------------------------------

/**
 * Mounts a volume in a throwaway container and lists it (see testVolumeFlow), with progress and the outcome in words.
 */
async function testVolume(ctx: CommandContext, arg?: unknown, extra?: unknown): Promise<TestVolumeResult | undefined> {
  const a = readCommandArgument<RunOptions>(arg, extra);
  const volume = await volumeToMount(ctx, arg, extra, vscode.l10n.t('Test a Volume'));
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
  if (result.ok) void showNotice('info', vscode.l10n.t('Volume {0} mounts fine.', volume));
  else void showNotice('error', vscode.l10n.t('Volume {0} could not be mounted: {1}', volume, result.detail));
  ctx.log.info(`${volume}: ${result.ok ? 'mounted' : 'failed'}\n${result.detail}`);
  return result;
}

// --- Bind mounts in the Mounts view -------------------------------------------------------------------------------

async function openHostFolder(_ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const { mount } = readCommandArgument<never>(arg);
  // A volume's mount point belongs to the daemon, not to the user: only a bind mount's folder is theirs to open.
  const source = mount?.type === 'bind' ? mount.source : undefined;
  if (!source) {
    void showNotice(
      'warning',
      vscode.l10n.t('Open Host Folder opens the folder of a bind mount: choose a bind mount in the Mounts view.'),
    );
    return false;
  }
  if (!fs.existsSync(source)) {
    void showNotice(
      'warning',
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
  [COMMANDS.runWithBindMount]: (ctx, arg, extra) =>
    runWithBindMount(ctx, readCommandArgument<BindOptions>(arg, extra).options),
  [COMMANDS.runWithVolume]: runWithVolume,
  [COMMANDS.runWithTmpfs]: (ctx, arg, extra) =>
    runWithTmpfs(ctx, readCommandArgument<TmpfsRunOptions>(arg, extra).options),
  [COMMANDS.shareVolume]: (ctx, arg, extra) => {
    const a = readCommandArgument<ShareOptions>(arg, extra);
    // One precedence (volumeArgument): the options' volume, then the node's; asked (a new name) when neither says.
    const volume = a.options.volume ?? a.volume ?? a.text;
    return shareVolume(ctx, { ...a.options, ...(volume ? { volume } : {}) });
  },
  [COMMANDS.testVolume]: testVolume,
  [COMMANDS.refreshMounts]: (ctx) => ctx.mountsTree.refresh(),
  [COMMANDS.openHostFolder]: openHostFolder,
};
