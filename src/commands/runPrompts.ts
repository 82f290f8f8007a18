/** What every Run command shares: the questions (image, target, read-only) and the start, watched and reported. */
import * as vscode from 'vscode';
import { checkTarget, type MountSpec, type RunDescription } from '../core/mounts';
import { DockerError } from '../docker/errors';
import {
  DEFAULT_IMAGE,
  imagePresent,
  pullImageFlow,
  runContainerFlow,
  type RunOptions,
  type RunResult,
} from '../flows/run';
import { runOutcomeText } from '../flows/runOutcome';
import { withCancellableProgress } from '../services/progress';
import { settings } from '../services/settings';
import { flowDeps, type CommandContext } from './registry';
import { showNotice } from '../messages';

export function targetProblem(target: string): string | undefined {
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
export async function targetOrAsk(
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
export async function readOnlyOrAsk(title: string, given: boolean | undefined): Promise<boolean | undefined> {
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
export async function askImage(ctx: CommandContext, title: string): Promise<string | undefined> {
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
export async function ensureImage(ctx: CommandContext, image: string): Promise<void> {
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

export async function startContainer(
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
  void showNotice(failed ? 'warning' : 'info', said, copy).then(async (choice) => {
    if (choice === copy) await vscode.env.clipboard.writeText(`${result.cli.short}\n${result.cli.long}`);
  });
  return result;
}
