import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, LABELS, SETTINGS, VIEWS } from '../constants';
import { dockerCli } from '../core/cli';
import { findAction, LAB_MODULES, moduleObjects, stepKey, type LabAction, type LabFilesId, type LabMount } from '../core/labs';
import type { MountSpec } from '../core/mounts';
import { DockerError } from '../docker/errors';
import { runLabContainer, type RunResult } from './mounts';
import type { CommandContext, CommandHandler } from './registry';

/** The image lab containers run (alpine, as the course uses; a local image where nothing can be pulled). */
function labImage(): string {
  return vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.labImage, 'alpine') || 'alpine';
}

function toMountSpec(m: LabMount): MountSpec {
  switch (m.type) {
    case 'anonymous': return { type: 'volume', source: '', target: m.target };
    case 'volume': return { type: 'volume', source: m.source, target: m.target, readOnly: m.readOnly ?? false };
    case 'bind': return { type: 'bind', source: m.source, target: m.target, readOnly: m.readOnly ?? false };
    case 'tmpfs': return { type: 'tmpfs', target: m.target, ...(m.sizeBytes ? { sizeBytes: m.sizeBytes } : {}) };
  }
}

async function createModuleVolume(ctx: CommandContext, module: string, name: string): Promise<boolean> {
  await ctx.model.refresh({ sizes: 'skip' });
  if (ctx.model.volumes.some(v => v.name === name)) return false;
  await vscode.commands.executeCommand(COMMANDS.createVolume, { name, labels: { [LABELS.module]: module, [LABELS.managed]: '1' } });
  return true;
}

async function runStep(ctx: CommandContext, module: string, action: Extract<LabAction, { kind: 'run' }>): Promise<RunResult | undefined> {
  await ctx.model.refresh({ sizes: 'skip' });
  const existing = ctx.model.containers.find(c => c.name === action.name);
  if (existing?.state === 'running') {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is already running.', action.name));
    return undefined;
  }
  if (existing) {
    // Stopped since: start it again, as `docker start` would.
    ctx.log.cli(dockerCli(['start', action.name]));
    await ctx.daemon.use(client => client.startContainer(existing.id));
    await ctx.model.refresh();
    return undefined;
  }
  for (const m of action.mounts) if (m.type === 'volume') await createModuleVolume(ctx, module, m.source);
  return runLabContainer(ctx, {
    image: action.image ?? labImage(), name: action.name, command: action.command, module,
    ...(action.env ? { env: action.env } : {}), ...(action.ports ? { ports: action.ports } : {}),
  }, action.mounts.map(toMountSpec));
}

/** `docker logs -f <container>` in a terminal, streamed from the Engine API. */
async function showLogs(ctx: CommandContext, container: string, onLine?: () => void): Promise<vscode.Terminal> {
  await ctx.model.refresh({ sizes: 'skip' });
  const target = ctx.model.containers.find(c => c.name === container);
  if (!target) throw new DockerError('notFound', vscode.l10n.t('No container named {0}: run the previous step first.', container), 'logs');
  const write = new vscode.EventEmitter<string>();
  const controller = new AbortController();
  const cli = dockerCli(['logs', '-f', container]);
  ctx.log.cli(cli);
  const terminal = vscode.window.createTerminal({
    name: cli,
    pty: {
      onDidWrite: write.event,
      open: () => {
        write.fire(`\x1b[2m$ ${cli}\x1b[0m\r\n`);
        ctx.daemon.use(client => client.containerLogs(target.id, { follow: true, tail: 20 }, controller.signal)).then(stream => {
          let seen = false;
          stream.on('data', (chunk: Buffer) => {
            write.fire(chunk.toString('utf8').replace(/\r?\n/g, '\r\n'));
            if (!seen && chunk.length) {
              seen = true;
              onLine?.();
            }
          });
          stream.on('end', () => write.fire(`\r\n\x1b[2m${vscode.l10n.t('(the container stopped)')}\x1b[0m\r\n`));
        }, (err: unknown) => write.fire(`\r\n${String(err instanceof Error ? err.message : err)}\r\n`));
      },
      close: () => {
        controller.abort();
        write.dispose();
      },
    },
  });
  terminal.show();
  return terminal;
}

async function execStep(ctx: CommandContext, module: string, step: string, action: Extract<LabAction, { kind: 'exec' }>): Promise<{ exitCode: number; output: string; expected: boolean }> {
  await ctx.model.refresh({ sizes: 'skip' });
  const target = ctx.model.containers.find(c => c.name === action.container && c.state === 'running');
  if (!target) throw new DockerError('notFound', vscode.l10n.t('{0} is not running: run the previous steps first.', action.container), 'exec');
  ctx.log.cli(dockerCli(['exec', action.container, ...action.command]));
  const result = await ctx.daemon.use(client => client.exec(target.id, action.command));
  const output = result.output.trim();
  const expected = action.expect.test(output);
  if (expected) {
    await ctx.progress.observe(stepKey(module, step));
    void vscode.window.showInformationMessage(vscode.l10n.t('As expected, Docker refused: "{0}". The read-only mount protects the data.', output));
  } else {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} answered (exit code {1}): {2}', action.container, result.exitCode, output || vscode.l10n.t('no output')));
  }
  return { exitCode: result.exitCode, output, expected };
}

async function removeContainers(ctx: CommandContext, names: string[], confirm: boolean): Promise<string[]> {
  await ctx.model.refresh({ sizes: 'skip' });
  const present = ctx.model.containers.filter(c => names.includes(c.name));
  if (!present.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to remove: {0} already gone.', names.join(', ')));
    return [];
  }
  const volumes = [...new Set(present.flatMap(c => c.mounts.filter(m => m.type === 'volume' && m.name).map(m => m.name!)))];
  if (confirm) {
    const remove = vscode.l10n.t('Remove');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Stop and remove {0}?', present.map(c => c.name).join(', ')),
      { modal: true, detail: volumes.length ? vscode.l10n.t('Their volumes stay: {0}.', volumes.join(', ')) : undefined }, remove);
    if (choice !== remove) return [];
  }
  ctx.log.cli(dockerCli(['rm', '-f', ...present.map(c => c.name)]));
  for (const c of present) await ctx.daemon.use(client => client.removeContainer(c.id, { force: true }));
  await ctx.model.refresh();
  return present.map(c => c.name);
}

// --- Reset Module ------------------------------------------------------------------------------------------------

export interface ResetOptions {
  module?: string;
  confirm?: boolean;
}

async function resetModule(ctx: CommandContext, arg?: unknown): Promise<{ containers: string[]; volumes: string[] } | undefined> {
  const options: ResetOptions = typeof arg === 'string' ? { module: arg } : (arg as ResetOptions | undefined) ?? {};
  const moduleId = options.module ?? (await vscode.window.showQuickPick(LAB_MODULES.map(m => m.id), { placeHolder: vscode.l10n.t('Module to reset') }));
  if (!moduleId) return undefined;
  await ctx.model.refresh({ sizes: 'skip' });
  const objects = moduleObjects(moduleId, ctx.progress.facts());
  const volumes = [...objects.volumes, ...objects.anonymous.filter(v => !objects.volumes.includes(v))];
  if (!objects.containers.length && !volumes.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This module left nothing on the daemon.'));
    await ctx.progress.forget(`volumesLab.step.${moduleId}.`);
    return { containers: [], volumes: [] };
  }
  if (!options.confirm) {
    const remove = vscode.l10n.t('Remove');
    const lines = [
      objects.containers.length ? vscode.l10n.t('Containers: {0}', objects.containers.join(', ')) : '',
      volumes.length ? vscode.l10n.t('Volumes: {0}', volumes.map(v => (objects.anonymous.includes(v) ? `${v.slice(0, 12)}… (${vscode.l10n.t('anonymous')})` : v)).join(', ')) : '',
    ].filter(Boolean);
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Remove what this module created on the daemon?'),
      { modal: true, detail: `${lines.join('\n')}\n\n${vscode.l10n.t('Only objects labelled {0}={1} (and the anonymous volumes of those containers) are removed.', LABELS.module, moduleId)}` }, remove);
    if (choice !== remove) return undefined;
  }
  const containers = ctx.model.containers.filter(c => objects.containers.includes(c.name));
  if (containers.length) ctx.log.cli(dockerCli(['rm', '-f', '-v', ...containers.map(c => c.name)]));
  for (const c of containers) await ctx.daemon.use(client => client.removeContainer(c.id, { force: true, removeVolumes: true }));
  if (objects.volumes.length) ctx.log.cli(dockerCli(['volume', 'rm', ...objects.volumes]));
  for (const v of volumes) await ctx.daemon.use(client => client.removeVolume(v, { force: true })).catch(err => {
    if (!(err instanceof DockerError && err.kind === 'notFound')) throw err;
  });
  await ctx.model.refresh();
  // Publish the clean state first (it completes the clean-up step), then forget the module's history.
  await ctx.progress.update();
  await ctx.progress.forget(`volumesLab.step.${moduleId}.`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Removed {0} containers and {1} volumes of the module.', containers.length, volumes.length));
  return { containers: containers.map(c => c.name), volumes };
}

// --- Create Lab Files --------------------------------------------------------------------------------------------

const LAB_FILES: LabFilesId[] = ['sidecar', 'flask', 'flask-postgres', 'nginx', 'node', 'lamp'];

function labFiles(root: string): string[] {
  return fs.readdirSync(root, { withFileTypes: true }).flatMap(e => {
    const full = path.join(root, e.name);
    return e.isDirectory() ? labFiles(full).map(f => path.join(e.name, f)) : [e.name];
  });
}

async function createLabFiles(ctx: CommandContext, arg?: unknown): Promise<{ folder: string; written: string[] } | undefined> {
  const options = (typeof arg === 'string' ? { lab: arg } : arg ?? {}) as { lab?: string; folder?: string; overwrite?: boolean };
  const lab = options.lab ?? (await vscode.window.showQuickPick(LAB_FILES, { placeHolder: vscode.l10n.t('Lab project to write') }));
  if (!lab || !LAB_FILES.includes(lab as LabFilesId)) return undefined;
  const source = vscode.Uri.joinPath(ctx.extensionUri, 'labs', lab).fsPath;
  let folder = options.folder;
  if (!folder) {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (workspace) folder = path.join(workspace, lab);
    else folder = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Write the Lab Here') }))?.[0]?.fsPath;
  }
  if (!folder) return undefined;
  const files = labFiles(source);
  const existing = files.filter(f => fs.existsSync(path.join(folder, f)));
  let overwrite = options.overwrite ?? false;
  if (existing.length && options.overwrite === undefined) {
    const replace = vscode.l10n.t('Overwrite');
    const keep = vscode.l10n.t('Keep Mine');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0} already has {1}.', folder, existing.join(', ')), { modal: true }, replace, keep);
    if (!choice) return undefined;
    overwrite = choice === replace;
  }
  const written: string[] = [];
  for (const f of files) {
    const target = path.join(folder, f);
    if (fs.existsSync(target) && !overwrite) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(source, f), target);
    written.push(f);
  }
  ctx.log.info(`lab files ${lab}: wrote ${written.length} file(s) into ${folder}`);
  const main = ['compose.yaml', 'README.md', 'app.py', 'server.js'].find(f => files.includes(f));
  if (main) await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, main)), { preview: false });
  void vscode.window.showInformationMessage(vscode.l10n.t('Wrote {0} files of the {1} lab into {2}.', written.length, lab, folder));
  return { folder, written };
}

// --- The step buttons ------------------------------------------------------------------------------------------------

async function runLabAction(ctx: CommandContext, ref?: unknown, extra?: unknown): Promise<unknown> {
  const found = typeof ref === 'string' ? findAction(ref) : undefined;
  if (!found) throw new DockerError('invalid', vscode.l10n.t('Unknown lab step: {0}', String(ref)), 'lab');
  const { module, step, action } = found;
  const confirm = !(extra as { confirm?: boolean } | undefined)?.confirm;
  ctx.log.info(`lab ${String(ref)}`);
  switch (action.kind) {
    case 'createVolume': {
      if (!(await createModuleVolume(ctx, module.id, action.volume))) void vscode.window.showInformationMessage(vscode.l10n.t('{0} already exists.', action.volume));
      return action.volume;
    }
    case 'run': return runStep(ctx, module.id, action);
    case 'logs': {
      const key = stepKey(module.id, step.id);
      return showLogs(ctx, action.container, () => void ctx.progress.observe(key));
    }
    case 'exec': return execStep(ctx, module.id, step.id, action);
    case 'removeContainers': return removeContainers(ctx, action.names, confirm);
    case 'removeVolume': return vscode.commands.executeCommand(COMMANDS.removeVolume, action.volume);
    case 'backup': return vscode.commands.executeCommand(COMMANDS.backupVolume, { volume: action.volume });
    case 'restore': return vscode.commands.executeCommand(COMMANDS.restoreBackup, undefined, { target: action.target });
    case 'inspect': return vscode.commands.executeCommand(COMMANDS.inspectVolume, action.volume);
    case 'listVolumes': {
      await vscode.commands.executeCommand(`${VIEWS.volumes}.focus`);
      if (action.unusedOnly) await vscode.commands.executeCommand(COMMANDS.filterVolumes, { unusedOnly: true, text: '' });
      else ctx.volumesTree.setFilter({});
      ctx.log.cli(dockerCli(['volume', 'ls', ...(action.unusedOnly ? ['-f', 'dangling=true'] : [])]));
      return undefined;
    }
    case 'prune': return vscode.commands.executeCommand(COMMANDS.pruneVolumes);
    case 'reset': return resetModule(ctx, { module: module.id, ...(confirm ? {} : { confirm: true }) });
    case 'diskUsage': return vscode.commands.executeCommand(COMMANDS.showDiskUsage);
    case 'labFiles': return createLabFiles(ctx, { lab: action.lab });
    case 'command': return vscode.commands.executeCommand(action.command);
  }
}

export const labCommands: Record<string, CommandHandler> = {
  [COMMANDS.labRun]: runLabAction,
  [COMMANDS.labReset]: resetModule,
  [COMMANDS.labFiles]: createLabFiles,
};

