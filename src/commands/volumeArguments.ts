/** How the volume commands read the volume or volumes they act on, and the daemon the CLI lines they show target. */
import * as vscode from 'vscode';
import { displayVolumeName } from '../core/naming';
import { readCommandArgument } from '../core/commandArguments';
import { isUnused } from '../core/volumeModel';
import { VolumeItem, type VolumesNode } from '../views/volumesTreeItems';
import type { CommandContext } from './registry';
import { containersText } from '../messages';

/** `docker` flags that point the CLI at the daemon our setting chose, when it is not the CLI's default. */
export function cliTarget(ctx: CommandContext) {
  return ctx.daemon.cliTarget;
}

/** The volume a command acts on: a tree node, a name, or one picked from a quick pick. */
export async function volumeArgument(
  ctx: CommandContext,
  arg: unknown,
  placeHolder: string,
): Promise<string | undefined> {
  const a = readCommandArgument<{ name: string }>(arg);
  const given = a.volume ?? a.text ?? (typeof a.options.name === 'string' ? a.options.name : undefined);
  if (given) return given;
  // From a keybinding: the focused row of the Volumes view.
  const selected = ctx.volumesView.selection.find((n): n is VolumeItem => n instanceof VolumeItem);
  if (arg === undefined && selected && ctx.volumesView.visible) return selected.volume.name;
  await ctx.model.ensureLoaded();
  const pick = await vscode.window.showQuickPick(
    ctx.model.rows.map((r) => ({
      label: displayVolumeName(r.volume.name),
      description: isUnused(r) ? vscode.l10n.t('unused') : vscode.l10n.t('used by {0}', containersText(r.users.length)),
      name: r.volume.name,
    })),
    { placeHolder, matchOnDescription: true },
  );
  return pick?.name;
}

/** Several volumes: the tree's multi-selection, a list of names, or one volume. */
export async function volumesArgument(
  ctx: CommandContext,
  arg: unknown,
  selection: unknown,
  placeHolder: string,
): Promise<string[]> {
  if (Array.isArray(selection) && selection.length > 1) {
    return (selection as VolumesNode[])
      .filter((n): n is VolumeItem => n instanceof VolumeItem)
      .map((n) => n.volume.name);
  }
  if (Array.isArray(arg)) return arg.filter((n): n is string => typeof n === 'string');
  const names = arg && typeof arg === 'object' && 'names' in arg ? (arg as { names: string[] }).names : undefined;
  if (names) return names;
  const one = await volumeArgument(ctx, arg, placeHolder);
  return one ? [one] : [];
}
