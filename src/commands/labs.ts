import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { withCancellableProgress } from '../services/progress';
import { settings, settingWriters } from '../services/settings';
import { COMMANDS, LABELS, managedLabels, VIEWS } from '../constants';
import { imageListLine, removeContainerLine, resetLines, startLine, swarmStateLine } from '../core/cliActions';
import { findAction, LAB_MODULES } from '../core/labModules';
import { labCliLines, labRunDescription, type LabCliInputs } from '../core/labCli';
import { LAB_FILE_IDS, markKey, moduleObjects, type LabAction, type LabFilesId, type LabRunAction } from '../core/labs';
import { labFolder, labImage, labPostgresImage, labRoots } from '../learn/labProgress';
import { DockerError } from '../docker/errors';
import { dockerErrorMessage, isDockerError } from '../messages';
import { configuredBackupFolder, listBackups } from '../services/backupFolder';
import { confineLabBinds, labFiles, refuseLinkedTargets, writeLabFiles } from '../flows/labFiles';
import { toggleScheduleCommand } from './backups';
import { backupStep } from './labBackupSteps';
import {
  createVolume,
  inspectVolume,
  pruneVolumes,
  removeVolumes,
  showDiskUsage,
  type CreateVolumeOptions,
} from './volumes';
import { runLabContainer, type RunResult } from './mounts';
import type { CommandContext, CommandHandler } from './registry';

/** What the lab buttons resolve: the image settings, the lab folders, and `-H` when our setting chose the daemon. */
function labInputs(ctx: CommandContext): LabCliInputs {
  const backupFolder = configuredBackupFolder();
  const target = ctx.daemon.cliTarget;
  const networkMode = settings.runNetworkMode();
  return {
    target,
    labImage: labImage(),
    postgresImage: labPostgresImage(),
    labFolder,
    ...(networkMode ? { networkMode } : {}),
    ...(backupFolder ? { backupFolder } : {}),
    backupFile: (volume) =>
      listBackups(backupFolder)
        .find((b) => b.volume === volume && b.kind === 'archive')
        ?.file.split(/[\\/]/)
        .pop(),
  };
}

/** Creates a lab volume, labelled with its module, unless it exists (then says so when asked to); returns its name. */
async function createModuleVolume(
  ctx: CommandContext,
  module: string,
  name: string,
  driver?: string,
  sayIfExists = false,
): Promise<string> {
  await ctx.model.refresh({ sizes: 'skip' });
  if (ctx.model.volumes.some((v) => v.name === name)) {
    if (sayIfExists) void vscode.window.showInformationMessage(vscode.l10n.t('{0} already exists.', name));
  } else await createVolume(ctx, { name, ...(driver ? { driver } : {}), labels: managedLabels(module) });
  return name;
}

async function runStep(ctx: CommandContext, module: string, action: LabRunAction): Promise<RunResult | undefined> {
  await ctx.model.refresh({ sizes: 'skip' });
  const existing = ctx.model.containers.find((c) => c.name === action.name);
  if (existing?.state === 'running') {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is already running.', action.name));
    return undefined;
  }
  if (existing) {
    // Stopped since: start it again, as `docker start` would.
    ctx.log.cli(startLine(action.name, ctx.daemon.cliTarget));
    await ctx.daemon.use((client) => client.startContainer(existing.id));
    await ctx.model.refresh();
    return undefined;
  }
  const inputs = labInputs(ctx);
  const description = confineLabBinds(vscode.l10n, action, labRunDescription(action, inputs), labFolder, labRoots());
  for (const m of action.mounts) if (m.type === 'volume') await createModuleVolume(ctx, module, m.source);
  const result = await runLabContainer(ctx, description, module);
  await ctx.model.refresh();
  return result;
}

/** `docker run -it <image> /bin/sh` in a VS Code terminal: a tty container attached through the Engine API. */
async function shellStep(
  ctx: CommandContext,
  module: string,
  action: Extract<LabAction, { kind: 'shell' }>,
): Promise<vscode.Terminal> {
  const image = action.image ?? labImage();
  await ctx.model.refresh({ sizes: 'skip' });
  const old = ctx.model.containers.find((c) => c.name === action.name);
  if (old) {
    ctx.log.cli(removeContainerLine(old.name, true, ctx.daemon.cliTarget));
    await ctx.daemon.use((client) => client.removeContainer(old.id, { force: true }));
  }
  const [cli = ''] = labCliLines(action, labInputs(ctx));
  ctx.log.cli(cli);
  const networkMode = settings.runNetworkMode();
  const created = await ctx.daemon.use((client) =>
    client.runContainer({
      image,
      name: action.name,
      command: ['/bin/sh'],
      mounts: [],
      tty: true,
      start: false,
      labels: managedLabels(module),
      ...(networkMode ? { networkMode } : {}),
    }),
  );
  let stream: NodeJS.ReadWriteStream | undefined;
  return apiTerminal(
    ctx,
    cli,
    async (io, dimensions) => {
      stream = await ctx.daemon.use((client) => client.attach(created.id, io.signal));
      stream.on('data', (chunk: Buffer) => io.write(chunk.toString('utf8')));
      stream.on('end', () => io.close());
      await ctx.daemon.use((client) => client.startContainer(created.id));
      if (dimensions)
        await ctx.daemon
          .use((client) => client.resizeTty(created.id, dimensions.rows, dimensions.columns))
          .catch(() => undefined);
      await ctx.model.refresh();
    },
    {
      handleInput: (data) => {
        stream?.write(data);
      },
      setDimensions: (d) => {
        void ctx.daemon.use((client) => client.resizeTty(created.id, d.rows, d.columns)).catch(() => undefined);
      },
      close: () => {
        stream?.end();
      },
    },
  );
}

interface TerminalIo {
  write(text: string): void;
  close(): void;
  /** Aborted when the user closes the terminal. */
  signal: AbortSignal;
}

/**
 * A terminal fed by the Engine API (no docker CLI): shows the equivalent command line first, runs `start`
 * when it opens, reports a failure in the user's language, and stops the stream when it is closed.
 */
function apiTerminal(
  ctx: CommandContext,
  cli: string,
  start: (io: TerminalIo, dimensions: vscode.TerminalDimensions | undefined) => Promise<void>,
  extra: Partial<Pick<vscode.Pseudoterminal, 'handleInput' | 'setDimensions' | 'close'>> = {},
): vscode.Terminal {
  const write = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<number | void>();
  const controller = new AbortController();
  const pty: vscode.Pseudoterminal = {
    ...extra,
    onDidWrite: write.event,
    onDidClose: closed.event,
    open: (dimensions) => {
      write.fire(`\x1b[2m$ ${cli}\x1b[0m\r\n`);
      start(
        { write: (text) => write.fire(text), close: () => closed.fire(), signal: controller.signal },
        dimensions,
      ).catch((err: unknown) => {
        write.fire(
          `\r\n${isDockerError(err) ? dockerErrorMessage(err, ctx.daemon.endpoint) : String(err instanceof Error ? err.message : err)}\r\n`,
        );
      });
    },
    close: () => {
      controller.abort();
      extra.close?.();
      write.dispose();
      closed.dispose();
    },
  };
  const terminal = vscode.window.createTerminal({ name: cli, pty });
  terminal.show();
  return terminal;
}

async function pullStep(
  ctx: CommandContext,
  action: Extract<LabAction, { kind: 'pull' }>,
): Promise<string | undefined> {
  const image = action.image ?? labImage();
  for (const line of labCliLines({ ...action, image }, labInputs(ctx))) ctx.log.cli(line);
  const present = await ctx.daemon
    .use((client) => client.inspectImage(image))
    .then(
      () => true,
      () => false,
    );
  if (!present) {
    try {
      await withCancellableProgress(vscode.l10n.t('Pulling {0}', image), (report, signal) =>
        ctx.daemon.use((client) => client.pullImage(image, report, signal)),
      );
    } catch (err) {
      // Offline: say so, and offer an image that is already here.
      const local = (await ctx.daemon.use((client) => client.listImages()))
        .flatMap((i) => i.tags)
        .filter((t) => t !== '<none>:<none>');
      const pick = local.length
        ? await vscode.window.showQuickPick(local, {
            placeHolder: vscode.l10n.t(
              '{0} cannot be pulled ({1}). Use an image that is already here for the labs:',
              image,
              err instanceof Error ? err.message : String(err),
            ),
          })
        : undefined;
      if (!pick) throw err;
      await settingWriters.labImage(pick);
      await ctx.progress.update();
      return pick;
    }
  }
  const images = (await ctx.daemon.use((client) => client.listImages())).flatMap((i) => i.tags);
  ctx.log.cli(imageListLine(ctx.daemon.cliTarget));
  void vscode.window.showInformationMessage(
    vscode.l10n.t('{0} is on the daemon. Local images: {1}', image, images.join(', ')),
  );
  await ctx.progress.update();
  return image;
}

async function swarmState(ctx: CommandContext): Promise<string> {
  const info = await ctx.daemon.use((client) => client.info());
  ctx.log.cli(swarmStateLine(ctx.daemon.cliTarget));
  const text =
    info.swarm === 'active'
      ? vscode.l10n.t(
          'This engine ({0}) is part of a Swarm: docker node ls and docker service ls work here.',
          info.name,
        )
      : vscode.l10n.t(
          "Swarm mode is {0} on this engine ({1}). docker swarm init would make it a one-node manager; the lab's three nodes need three engines, such as Play with Docker instances.",
          info.swarm,
          info.name,
        );
  void vscode.window.showInformationMessage(text);
  return info.swarm;
}

/** `docker logs -f <container>` in a terminal, streamed from the Engine API. */
async function showLogs(
  ctx: CommandContext,
  action: Extract<LabAction, { kind: 'logs' }>,
  onLine?: () => void,
): Promise<vscode.Terminal> {
  const { container } = action;
  await ctx.model.refresh({ sizes: 'skip' });
  const target = ctx.model.containers.find((c) => c.name === container);
  if (!target)
    throw new DockerError(
      'notFound',
      vscode.l10n.t('No container named {0}: run the previous step first.', container),
      'logs',
    );
  const [cli = ''] = labCliLines(action, labInputs(ctx));
  ctx.log.cli(cli);
  return apiTerminal(ctx, cli, async (io) => {
    const stream = await ctx.daemon.use((client) => client.containerLogs(target.id, { follow: true }, io.signal));
    let seen = false;
    stream.on('data', (chunk: Buffer) => {
      io.write(chunk.toString('utf8').replace(/\r?\n/g, '\r\n'));
      if (!seen && chunk.length) {
        seen = true;
        onLine?.();
      }
    });
    stream.on('end', () => io.write(`\r\n\x1b[2m${vscode.l10n.t('(the container stopped)')}\x1b[0m\r\n`));
  });
}

/** A database that has just started refuses connections for a few seconds. */
const SERVER_STARTING =
  /could not connect|starting up|not yet accepting|Connection refused|connection to server .* failed/i;

async function execStep(
  ctx: CommandContext,
  key: string,
  action: Extract<LabAction, { kind: 'exec' }>,
): Promise<{ exitCode: number; output: string; expected: boolean }> {
  await ctx.model.refresh({ sizes: 'skip' });
  const target = ctx.model.containers.find((c) => c.name === action.container && c.state === 'running');
  if (!target)
    throw new DockerError(
      'notFound',
      vscode.l10n.t('{0} is not running: run the previous steps first.', action.container),
      'exec',
    );
  for (const line of labCliLines(action, labInputs(ctx))) ctx.log.cli(line);
  let result = await ctx.daemon.use((client) => client.exec(target.id, action.command));
  for (
    let waited = 0;
    result.exitCode !== 0 && SERVER_STARTING.test(result.output) && waited < 30_000;
    waited += 1000
  ) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    result = await ctx.daemon.use((client) => client.exec(target.id, action.command));
  }
  const output = result.output.trim();
  const expected = action.expect.test(output);
  if (expected) {
    await ctx.progress.observe(key);
    void vscode.window.showInformationMessage(
      action.success === 'refused'
        ? vscode.l10n.t('As expected, Docker refused: "{0}". The read-only mount protects the data.', output)
        : vscode.l10n.t('{0} answered: {1}', action.container, output),
    );
  } else {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} answered (exit code {1}): {2}',
        action.container,
        result.exitCode,
        output || vscode.l10n.t('no output'),
      ),
    );
  }
  return { exitCode: result.exitCode, output, expected };
}

async function removeContainers(ctx: CommandContext, names: string[], confirm: boolean): Promise<string[]> {
  await ctx.model.refresh({ sizes: 'skip' });
  const present = ctx.model.containers.filter((c) => names.includes(c.name));
  if (!present.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to remove: {0} already gone.', names.join(', ')));
    return [];
  }
  const volumes = [
    ...new Set(present.flatMap((c) => c.mounts.filter((m) => m.type === 'volume' && m.name).map((m) => m.name!))),
  ];
  if (confirm) {
    const remove = vscode.l10n.t('Remove');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Stop and remove {0}?', present.map((c) => c.name).join(', ')),
      {
        modal: true,
        detail: volumes.length ? vscode.l10n.t('Their volumes stay: {0}.', volumes.join(', ')) : undefined,
      },
      remove,
    );
    if (choice !== remove) return [];
  }
  for (const line of labCliLines({ kind: 'removeContainers', names: present.map((c) => c.name) }, labInputs(ctx)))
    ctx.log.cli(line);
  for (const c of present) await ctx.daemon.use((client) => client.removeContainer(c.id, { force: true }));
  await ctx.model.refresh();
  return present.map((c) => c.name);
}

// --- Reset Module ------------------------------------------------------------------------------------------------

export interface ResetOptions {
  module?: string;
  confirm?: boolean;
  /** From the module's own clean-up step: its progress stays (the run is complete, not restarted). */
  keepProgress?: boolean;
}

async function resetModule(
  ctx: CommandContext,
  arg?: unknown,
): Promise<{ containers: string[]; volumes: string[] } | undefined> {
  const options: ResetOptions = typeof arg === 'string' ? { module: arg } : ((arg as ResetOptions | undefined) ?? {});
  const moduleId =
    options.module ??
    (await vscode.window.showQuickPick(
      LAB_MODULES.map((m) => m.id),
      { placeHolder: vscode.l10n.t('Module to reset') },
    ));
  if (!moduleId) return undefined;
  await ctx.model.refresh({ sizes: 'skip' });
  const objects = moduleObjects(moduleId, ctx.progress.objects());
  const volumes = [...objects.volumes, ...objects.anonymous.filter((v) => !objects.volumes.includes(v))];
  if (!objects.containers.length && !volumes.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This module left nothing on the daemon.'));
    if (!options.keepProgress) await ctx.progress.forget(moduleId);
    return { containers: [], volumes: [] };
  }
  if (!options.confirm) {
    const remove = vscode.l10n.t('Remove');
    const lines = [
      objects.containers.length ? vscode.l10n.t('Containers: {0}', objects.containers.join(', ')) : '',
      volumes.length
        ? vscode.l10n.t(
            'Volumes: {0}',
            volumes
              .map((v) => (objects.anonymous.includes(v) ? `${v.slice(0, 12)}… (${vscode.l10n.t('anonymous')})` : v))
              .join(', '),
          )
        : '',
    ].filter(Boolean);
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove what this module created on the daemon?'),
      {
        modal: true,
        detail: `${lines.join('\n')}\n\n${vscode.l10n.t('Only objects labelled {0}={1} (and the anonymous volumes of those containers) are removed.', LABELS.module, moduleId)}`,
      },
      remove,
    );
    if (choice !== remove) return undefined;
  }
  const containers = ctx.model.containers.filter((c) => objects.containers.includes(c.name));
  for (const line of resetLines(
    containers.map((c) => c.name),
    objects.volumes,
    ctx.daemon.cliTarget,
  ))
    ctx.log.cli(line);
  for (const c of containers)
    await ctx.daemon.use((client) => client.removeContainer(c.id, { force: true, removeVolumes: true }));
  for (const v of volumes)
    await ctx.daemon
      .use((client) => client.removeVolume(v, { force: true }))
      .catch((err) => {
        if (!(err instanceof DockerError && err.kind === 'notFound')) throw err;
      });
  await ctx.model.refresh();
  await ctx.progress.update();
  if (!options.keepProgress) await ctx.progress.forget(moduleId);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Removed {0} containers and {1} volumes of the module.', containers.length, volumes.length),
  );
  return { containers: containers.map((c) => c.name), volumes };
}

// --- Create Lab Files --------------------------------------------------------------------------------------------

async function createLabFiles(
  ctx: CommandContext,
  arg?: unknown,
): Promise<{ folder: string; written: string[] } | undefined> {
  const options = (typeof arg === 'string' ? { lab: arg } : (arg ?? {})) as {
    lab?: string;
    folder?: string;
    overwrite?: boolean;
  };
  const lab =
    options.lab ??
    (await vscode.window.showQuickPick(LAB_FILE_IDS, { placeHolder: vscode.l10n.t('Lab project to write') }));
  if (!lab || !LAB_FILE_IDS.includes(lab as LabFilesId)) return undefined;
  const source = vscode.Uri.joinPath(ctx.extensionUri, 'labs', lab).fsPath;
  let folder = options.folder ?? labFolder(lab);
  if (!folder) {
    const picked = (
      await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        openLabel: vscode.l10n.t('Write the Lab Here'),
      })
    )?.[0]?.fsPath;
    folder = picked && path.join(picked, lab);
  }
  if (!folder) return undefined;
  const files = labFiles(source);
  refuseLinkedTargets(
    vscode.l10n,
    folder,
    files,
    options.folder || !labFolder(lab) ? [path.dirname(folder)] : labRoots(),
  );
  const existing = files.filter((f) => fs.existsSync(path.join(folder, f)));
  let overwrite = options.overwrite ?? false;
  if (existing.length && options.overwrite === undefined) {
    const replace = vscode.l10n.t('Overwrite');
    const keep = vscode.l10n.t('Keep Mine');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already has {1}.', folder, existing.join(', ')),
      { modal: true },
      replace,
      keep,
    );
    if (!choice) return undefined;
    overwrite = choice === replace;
  }
  const written = writeLabFiles(source, folder, files, overwrite);
  ctx.log.info(`lab files ${lab}: wrote ${written.length} file(s) into ${folder}`);
  const main = ['compose.yaml', 'README.md', 'app.py', 'server.js'].find((f) => files.includes(f));
  if (main) await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, main)), { preview: false });
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Wrote {0} files of the {1} lab into {2}.', written.length, lab, folder),
  );
  return { folder, written };
}

// --- The step buttons ------------------------------------------------------------------------------------------------

async function stopOrStart(ctx: CommandContext, names: string[], start: boolean): Promise<string[]> {
  await ctx.model.refresh({ sizes: 'skip' });
  const present = ctx.model.containers.filter((c) => names.includes(c.name));
  for (const line of labCliLines(
    { kind: start ? 'startContainers' : 'stopContainers', names: present.map((c) => c.name) },
    labInputs(ctx),
  ))
    ctx.log.cli(line);
  for (const c of present)
    await ctx.daemon.use((client) => (start ? client.startContainer(c.id) : client.stopContainer(c.id)));
  await ctx.model.refresh();
  return present.map((c) => c.name);
}

async function runLabAction(ctx: CommandContext, ref?: unknown, extra?: unknown): Promise<unknown> {
  const found = typeof ref === 'string' ? findAction(ref) : undefined;
  if (!found) throw new DockerError('invalid', vscode.l10n.t('Unknown lab step: {0}', String(ref)), 'lab');
  const { module, step, action } = found;
  const actionId = String(ref).split('.')[2]!;
  const observeKey = markKey(module.id, step.id, actionId);
  const confirm = !(extra as { confirm?: boolean } | undefined)?.confirm;
  ctx.log.info(`lab ${String(ref)}`);
  switch (action.kind) {
    case 'createVolume':
      return createModuleVolume(ctx, module.id, action.volume, action.driver, true);
    case 'run':
      return runStep(ctx, module.id, action);
    case 'shell':
      return shellStep(ctx, module.id, action);
    case 'pull':
      return pullStep(ctx, action);
    case 'logs':
      return showLogs(ctx, action, () => void ctx.progress.observe(observeKey));
    case 'exec':
      return execStep(ctx, observeKey, action);
    case 'stopContainers':
      return stopOrStart(ctx, action.names, false);
    case 'startContainers':
      return stopOrStart(ctx, action.names, true);
    case 'removeContainers':
      return removeContainers(ctx, action.names, confirm);
    case 'removeVolume':
      return removeVolumes(ctx, confirm ? action.volume : { names: [action.volume], confirm: true });
    case 'backup':
    case 'restore':
    case 'dump':
    case 'exportScript':
      return backupStep(ctx, action, confirm);
    case 'inspect':
      return inspectVolume(ctx, action.volume);
    case 'listVolumes': {
      await vscode.commands.executeCommand(`${VIEWS.volumes}.focus`);
      ctx.volumesTree.setFilter(action.unusedOnly ? { unusedOnly: true, text: '' } : {});
      for (const line of labCliLines(action, labInputs(ctx))) ctx.log.cli(line);
      return undefined;
    }
    case 'prune':
      return pruneVolumes(ctx);
    case 'reset':
      return resetModule(ctx, { module: module.id, keepProgress: true, ...(confirm ? {} : { confirm: true }) });
    case 'diskUsage':
      return showDiskUsage(ctx);
    case 'labFiles':
      return createLabFiles(ctx, { lab: action.lab, ...(confirm ? {} : { overwrite: false }) });
    case 'command': {
      const handler = STEP_COMMANDS[action.command];
      if (!handler) throw new DockerError('invalid', vscode.l10n.t('Unknown lab step: {0}', String(ref)), 'lab');
      return handler(ctx, ...(action.args ?? []));
    }
  }
}

/**
 * The commands a step's button may name (`kind: 'command'`), called directly: the lab button reports their failures
 * once, as its own.
 */
const STEP_COMMANDS: Record<string, CommandHandler> = {
  [COMMANDS.labSwarmState]: swarmState,
  [COMMANDS.toggleSchedule]: toggleScheduleCommand,
  [COMMANDS.createVolume]: (ctx, options) => createVolume(ctx, options as CreateVolumeOptions | undefined),
};

export const labCommands: Record<string, CommandHandler> = {
  [COMMANDS.labRun]: runLabAction,
  [COMMANDS.labReset]: resetModule,
  [COMMANDS.labFiles]: createLabFiles,
  [COMMANDS.labSwarmState]: swarmState,
};
