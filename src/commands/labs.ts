import * as vscode from 'vscode';
import { settingWriters } from '../services/settings';
import { COMMANDS, managedLabels, VIEWS } from '../constants';
import { imageListLine, startLine, swarmStateLine } from '../core/cliActions';
import { readCommandArgument } from '../core/commandArguments';
import { findAction } from '../core/labModules';
import { labCliLines, labRunDescription } from '../core/labCli';
import { markKey, type LabAction, type LabRunAction } from '../core/labs';
import { labFolder, labImage, labRoots } from '../learn/labProgress';
import { DockerError } from '../docker/errors';
import { confineLabBinds } from '../flows/labFiles';
import { execWhenServerAnswers, removeLabContainers, stopOrStartContainers } from '../flows/labActions';
import { toggleScheduleCommand } from './backups';
import { backupStep } from './labBackupSteps';
import { createVolume, inspectVolume, showDiskUsage, volumeCommands } from './volumes';
import { pruneVolumes } from './volumePrune';
import { removeVolumes } from './volumeRemoval';
import type { RunResult } from '../flows/run';
import { ensureImage, runLabContainer } from './runPrompts';
import { createLabFiles } from './labFilesCommand';
import { labInputs } from './labInputs';
import { resetModule } from './labReset';
import { shellStep, showLogs } from './labTerminals';
import { flowDeps, runCommandHandler, type CommandContext, type CommandHandler } from './registry';
import { askModal, showNotice } from '../messages';

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
    if (sayIfExists) void showNotice('info', vscode.l10n.t('{0} already exists.', name));
  } else await createVolume(ctx, { name, ...(driver ? { driver } : {}), labels: managedLabels(module) });
  return name;
}

async function runStep(ctx: CommandContext, module: string, action: LabRunAction): Promise<RunResult | undefined> {
  await ctx.model.refresh({ sizes: 'skip' });
  const existing = ctx.model.containers.find((c) => c.name === action.name);
  if (existing?.state === 'running') {
    void showNotice('info', vscode.l10n.t('{0} is already running.', action.name));
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

async function pullStep(
  ctx: CommandContext,
  action: Extract<LabAction, { kind: 'pull' }>,
): Promise<string | undefined> {
  const image = action.image ?? labImage();
  for (const line of labCliLines({ ...action, image }, labInputs(ctx))) ctx.log.cli(line);
  try {
    await ensureImage(ctx, image);
  } catch (err) {
    // Only a failed pull (offline) has a way out here; an unreachable daemon or a Cancel is reported as it is.
    if (!(err instanceof DockerError && err.operation === 'pull')) throw err;
    return localLabImage(ctx, image, err);
  }
  const images = (await ctx.daemon.use((client) => client.listImages())).flatMap((i) => i.tags);
  ctx.log.cli(imageListLine(ctx.daemon.cliTarget));
  void showNotice('info', vscode.l10n.t('{0} is on the daemon. Local images: {1}', image, images.join(', ')));
  await ctx.progress.update();
  return image;
}

/** Offline: offers an image that is already here for the labs, and keeps it in the setting; else the pull's failure. */
async function localLabImage(ctx: CommandContext, image: string, failure: DockerError): Promise<string> {
  const local = (await ctx.daemon.use((client) => client.listImages()))
    .flatMap((i) => i.tags)
    .filter((t) => t !== '<none>:<none>');
  const pick = local.length
    ? await vscode.window.showQuickPick(local, {
        placeHolder: vscode.l10n.t(
          '{0} cannot be pulled ({1}). Use an image that is already here for the labs:',
          image,
          failure.detail ?? failure.message,
        ),
      })
    : undefined;
  if (!pick) throw failure;
  await settingWriters.labImage(pick);
  await ctx.progress.update();
  return pick;
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
  void showNotice('info', text);
  return info.swarm;
}

async function execStep(
  ctx: CommandContext,
  key: string,
  action: Extract<LabAction, { kind: 'exec' }>,
): Promise<{ exitCode: number; output: string; expected: boolean }> {
  const result = await execWhenServerAnswers(flowDeps(ctx), action.container, action.command);
  const output = result.output.trim();
  const expected = action.expect.test(output);
  if (expected) await ctx.progress.observe(key);
  reportExec(action, result.exitCode, output, expected);
  return { exitCode: result.exitCode, output, expected };
}

function reportExec(
  action: Extract<LabAction, { kind: 'exec' }>,
  exitCode: number,
  output: string,
  expected: boolean,
): void {
  if (expected)
    void showNotice(
      'info',
      action.success === 'refused'
        ? vscode.l10n.t('As expected, Docker refused: "{0}". The read-only mount protects the data.', output)
        : vscode.l10n.t('{0} answered: {1}', action.container, output),
    );
  else
    void showNotice(
      'warning',
      vscode.l10n.t(
        '{0} answered (exit code {1}): {2}',
        action.container,
        exitCode,
        output || vscode.l10n.t('no output'),
      ),
    );
}

/** Asks before removing a lab's containers, naming the volumes that stay. */
async function confirmRemoveContainers(containers: string[], keptVolumes: string[]): Promise<boolean> {
  const remove = vscode.l10n.t('Remove');
  const choice = await askModal(
    vscode.l10n.t('Stop and remove {0}?', containers.join(', ')),
    { detail: keptVolumes.length ? vscode.l10n.t('Their volumes stay: {0}.', keptVolumes.join(', ')) : undefined },
    remove,
  );
  return choice === remove;
}

async function removeContainers(ctx: CommandContext, names: string[], confirm: boolean): Promise<string[]> {
  const outcome = await removeLabContainers(flowDeps(ctx), names, confirm ? confirmRemoveContainers : undefined);
  if (outcome.status === 'absent')
    void showNotice('info', vscode.l10n.t('Nothing to remove: {0} already gone.', names.join(', ')));
  if (outcome.status !== 'removed') return [];
  await ctx.model.refresh();
  return outcome.containers;
}

// --- The step buttons ------------------------------------------------------------------------------------------------

async function stopOrStart(ctx: CommandContext, names: string[], start: boolean): Promise<string[]> {
  const { containers } = await stopOrStartContainers(flowDeps(ctx), names, start);
  await ctx.model.refresh();
  return containers;
}

/**
 * The commands a step's button may name (`kind: 'command'`), called directly: the lab button reports their failures
 * once, as its own.
 */
const STEP_COMMANDS: Record<string, CommandHandler> = {
  [COMMANDS.labSwarmState]: swarmState,
  [COMMANDS.toggleSchedule]: toggleScheduleCommand,
  [COMMANDS.createVolume]: volumeCommands[COMMANDS.createVolume]!,
};

async function listVolumesStep(ctx: CommandContext, action: Extract<LabAction, { kind: 'listVolumes' }>) {
  await vscode.commands.executeCommand(`${VIEWS.volumes}.focus`);
  ctx.volumesTree.setFilter(action.unusedOnly ? { unusedOnly: true, text: '' } : {});
  for (const line of labCliLines(action, labInputs(ctx))) ctx.log.cli(line);
}

/** A `command` button: the handler `commands` holds for it, through the commands' gate (runCommandHandler). */
export function commandStep(
  ctx: CommandContext,
  commands: Readonly<Record<string, CommandHandler>>,
  action: Extract<LabAction, { kind: 'command' }>,
  ref: string,
): unknown {
  const handler = commands[action.command];
  if (!handler) throw new DockerError('invalid', vscode.l10n.t('Unknown lab step: {0}', ref), 'lab');
  // Through the commands' gate: a lab's data may not skip a question the command asks outside test mode.
  return runCommandHandler(ctx, action.command, handler, action.args ?? []);
}

/** One press of a step button: where it was pressed, and whether to ask (false from tests and scripted runs). */
interface StepCall {
  ctx: CommandContext;
  module: string;
  ref: string;
  /** The step's mark for results observed on the daemon (a refused write, a log line). */
  observeKey: string;
  confirm: boolean;
}

/** What each kind of button does; typed by kind, so that a new kind of action must say how it runs. */
const STEP_RUNNERS: { [K in LabAction['kind']]: (call: StepCall, action: Extract<LabAction, { kind: K }>) => unknown } =
  {
    createVolume: (c, a) => createModuleVolume(c.ctx, c.module, a.volume, a.driver, true),
    run: (c, a) => runStep(c.ctx, c.module, a),
    shell: (c, a) => shellStep(c.ctx, c.module, a),
    pull: (c, a) => pullStep(c.ctx, a),
    logs: (c, a) => showLogs(c.ctx, a, () => void c.ctx.progress.observe(c.observeKey)),
    exec: (c, a) => execStep(c.ctx, c.observeKey, a),
    stopContainers: (c, a) => stopOrStart(c.ctx, a.names, false),
    startContainers: (c, a) => stopOrStart(c.ctx, a.names, true),
    removeContainers: (c, a) => removeContainers(c.ctx, a.names, c.confirm),
    removeVolume: (c, a) => removeVolumes(c.ctx, c.confirm ? a.volume : { names: [a.volume], confirm: true }),
    backup: (c, a) => backupStep(c.ctx, a, c.confirm),
    restore: (c, a) => backupStep(c.ctx, a, c.confirm),
    dump: (c, a) => backupStep(c.ctx, a, c.confirm),
    exportScript: (c, a) => backupStep(c.ctx, a, c.confirm),
    inspect: (c, a) => inspectVolume(c.ctx, a.volume),
    listVolumes: (c, a) => listVolumesStep(c.ctx, a),
    prune: (c) => pruneVolumes(c.ctx),
    reset: (c) => resetModule(c.ctx, { module: c.module, keepProgress: true, ...(c.confirm ? {} : { confirm: true }) }),
    diskUsage: (c) => showDiskUsage(c.ctx),
    labFiles: (c, a) => createLabFiles(c.ctx, { lab: a.lab, ...(c.confirm ? {} : { overwrite: false }) }),
    command: (c, a) => commandStep(c.ctx, STEP_COMMANDS, a, c.ref),
  };

function runLabAction(ctx: CommandContext, ref?: unknown, extra?: unknown): unknown {
  const found = typeof ref === 'string' ? findAction(ref) : undefined;
  if (!found) throw new DockerError('invalid', vscode.l10n.t('Unknown lab step: {0}', String(ref)), 'lab');
  const { module, step, action } = found;
  const observeKey = markKey(module.id, step.id, String(ref).split('.')[2]!);
  // Skipping the questions (restoring the newest archive, resetting a module) is for the extension's own tests: the
  // command wrapper drops `confirm` outside test mode (TEST_ONLY_OPTIONS).
  const confirm = readCommandArgument<{ confirm: boolean }>(ref, extra).options.confirm !== true;
  ctx.log.info(`lab ${String(ref)}`);
  const run = STEP_RUNNERS[action.kind] as (call: StepCall, action: LabAction) => unknown;
  return run({ ctx, module: module.id, ref: String(ref), observeKey, confirm }, action);
}

export const labCommands: Record<string, CommandHandler> = {
  [COMMANDS.labRun]: runLabAction,
  [COMMANDS.labReset]: resetModule,
  [COMMANDS.labFiles]: createLabFiles,
  [COMMANDS.labSwarmState]: swarmState,
};
