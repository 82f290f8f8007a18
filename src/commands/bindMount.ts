/** Run Container with Bind Mount: the host folder as the daemon sees it, SELinux labels, ports and a command. */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { convertHostPath, parsePorts, type PortMapping } from '../core/mounts';
import { endpointShortName } from '../docker/endpoint';
import { DockerError } from '../docker/errors';
import type { RunOptions, RunResult } from '../flows/run';
import { askImage, readOnlyOrAsk, startContainer, targetOrAsk } from './runPrompts';
import { askCreateFolder, refuseWorkspaceLinkWhenRestricted } from '../services/hostFolderPrompt';
import { askPath } from '../services/pathPrompt';
import type { CommandContext } from './registry';
import { showNotice } from '../messages';

export interface BindOptions extends RunOptions {
  hostPath?: string;
  target?: string;
  readOnly?: boolean;
  selinux?: 'z' | 'Z';
  /** When the host folder is missing: create it (true), refuse (false), or ask (undefined). */
  createMissing?: boolean;
}

function clientKind(): 'windows' | 'wsl' | 'unix' {
  if (process.platform === 'win32') return 'windows';
  return process.env.WSL_DISTRO_NAME ? 'wsl' : 'unix';
}

/**
 * The host folder: the workspace's, a typed path (a missing one is offered to be created later), or one browsed to.
 * A remote daemon's host is not this machine: nothing is looked at here, and the picker says so.
 */
function askHostFolder(ctx: CommandContext, title: string): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const endpoint = ctx.daemon.endpoint;
  const remote = !ctx.daemon.isLocal && endpoint ? (endpointShortName(endpoint) ?? endpoint.host) : undefined;
  return askPath({
    title,
    placeHolder: vscode.l10n.t('Host folder to share with the container'),
    want: 'folder',
    missingFolder: 'ask',
    ...(remote
      ? { unchecked: vscode.l10n.t('On {0}, where the Docker daemon runs: not checked from here.', remote) }
      : {}),
    choices:
      folder && !remote ? [{ label: vscode.l10n.t('This workspace: {0}', folder.fsPath), path: folder.fsPath }] : [],
  });
}

/**
 * The host path as the daemon sees it, with a warning for each known pitfall, and whether it is a missing local
 * folder to create (allowed, or the user said yes). Undefined: the user declined to create it.
 */
async function daemonHostPath(
  ctx: CommandContext,
  hostPath: string,
  createMissing: boolean | undefined,
): Promise<{ path: string; create: boolean } | undefined> {
  const converted = convertHostPath(hostPath, clientKind());
  if (converted.notes.includes('relative'))
    throw new DockerError(
      'invalid',
      vscode.l10n.t('The host folder must be an absolute path: {0}', hostPath),
      'bind mount',
    );
  warnOfPitfalls(converted);
  if (ctx.daemon.isLocal) refuseWorkspaceLinkWhenRestricted(converted.path);
  // The long Mounts form refuses a missing folder; offer to create it rather than let Docker fail.
  if (ctx.daemon.isLocal && !fs.existsSync(converted.path)) {
    const create = createMissing ?? (await askCreateFolder(converted.path));
    if (create === undefined) return undefined;
    if (!create)
      throw new DockerError(
        'invalid',
        vscode.l10n.t('The host folder {0} does not exist and was not created: nothing was run.', converted.path),
        'bind mount',
      );
    return { path: converted.path, create: true };
  }
  return { path: converted.path, create: false };
}

/** A warning for each known pitfall of the host path (a Windows drive, a path inside WSL, a network share). */
function warnOfPitfalls(converted: ReturnType<typeof convertHostPath>): void {
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
    if (text) void showNotice('warning', text);
  }
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

export async function runWithBindMount(ctx: CommandContext, options: BindOptions = {}): Promise<RunResult | undefined> {
  const title = vscode.l10n.t('Run Container with Bind Mount');
  const image = options.image ?? (await askImage(ctx, title));
  const hostPath = image && (options.hostPath ?? (await askHostFolder(ctx, title)));
  if (!image || !hostPath) return undefined;
  const host = await daemonHostPath(ctx, hostPath, options.createMissing);
  if (!host) return undefined;
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
    (asksAll && process.platform === 'linux' && ctx.daemon.isLocal ? await askSelinux(title) : undefined);
  const asked = asksAll ? await askPortsAndCommand(title) : {};
  if (selinux === null || !asked) return undefined;
  // Created once every question is answered: a wizard cancelled halfway leaves no empty folder behind.
  if (host.create) fs.mkdirSync(host.path, { recursive: true });
  return startContainer(ctx, { ...options, image, ...asked }, [
    { type: 'bind', source: host.path, target, readOnly, ...(selinux ? { selinux } : {}) },
  ]);
}
