/** Stop and remove a container: from a node that stands for one (Mounts view, a volume's user), options, or a pick. */
import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import { readCommandArgument } from '../core/commandArguments';
import { removeContainerLine } from '../core/cliActions';
import { stopContainers } from '../flows/containerStops';
import { askModal } from '../messages';
import { flowDeps, type CommandContext, type CommandHandler } from './registry';

type ContainerRef = { id?: string; name: string; running?: boolean };

/**
 * The container of a node of the Mounts or Volumes view, or of `{ container }` options; else one picked from the
 * daemon's list (running ones only for `runningOnly`), so that any other node or the palette asks instead of
 * doing nothing.
 */
async function containerArgument(
  ctx: CommandContext,
  arg: unknown,
  extra: unknown,
  placeHolder: string,
  runningOnly: boolean,
): Promise<{ container: ContainerRef | undefined; confirm: boolean }> {
  const a = readCommandArgument<{ container: ContainerRef; confirm: boolean }>(arg, extra);
  const confirm = a.options.confirm === true;
  const given = a.container ?? a.options.container;
  if (given) return { container: given, confirm };
  const all = await ctx.daemon.use((client) => client.listContainers({ all: !runningOnly }));
  const pick = await vscode.window.showQuickPick(
    all.map((c) => ({ label: c.name, description: `${c.image} · ${c.status}`, container: c })),
    { placeHolder, matchOnDescription: true },
  );
  const c = pick?.container;
  return { container: c && { id: c.id, name: c.name, running: c.state === 'running' }, confirm };
}

async function stopContainer(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const c = (await containerArgument(ctx, arg, undefined, vscode.l10n.t('Container to stop'), true)).container;
  if (!c) return false;
  await stopContainers(flowDeps(ctx), [{ id: c.id ?? c.name, name: c.name }]);
  ctx.mountsTree.refresh();
  return true;
}

async function removeContainer(ctx: CommandContext, arg?: unknown, extra?: unknown): Promise<boolean> {
  const { container: c, confirm } = await containerArgument(
    ctx,
    arg,
    extra,
    vscode.l10n.t('Container to remove'),
    false,
  );
  if (!c) return false;
  if (!confirm) {
    const remove = vscode.l10n.t('Remove');
    const choice = await askModal(
      vscode.l10n.t('Remove container {0}?', c.name),
      {
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

export const containerCommands: Record<string, CommandHandler> = {
  [COMMANDS.stopContainer]: stopContainer,
  [COMMANDS.removeContainer]: removeContainer,
};
