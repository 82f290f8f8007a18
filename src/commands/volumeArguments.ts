/** How the volume commands read the volume or volumes they act on, and the daemon the CLI lines they show target. */
import * as vscode from 'vscode';
import { displayVolumeName } from '../core/naming';
import { readCommandArgument } from '../core/commandArguments';
import { isUnused } from '../core/volumeModel';
import { VolumeItem, type VolumesNode } from '../views/volumesTreeItems';
import type { CommandContext } from './registry';
import { containersText, sizeText } from '../messages';
import { askNewVolumeName } from './createVolumePrompts';

/** How a command asks for its volume when it was given none. */
export interface VolumePrompt {
  placeHolder: string;
  title?: string;
  /** Anonymous volumes in the list, shown by their short id (default: yes). */
  anonymous?: boolean;
  /** "New volume…" first in the list, which asks for a new name (default: no). */
  offerNew?: boolean;
  /**
   * Given no argument (a keybinding, the palette): the selected row of the visible Volumes view (default: yes). VS Code
   * does not say which view has the focus, so a command that other views' title bars start turns it off: there the
   * Volumes view's selection is stale, and the user is asked.
   */
  focusedRow?: boolean;
  /** The options' `name` is the volume (default: yes); no for the run wizards, whose `name` is the container's. */
  nameIsVolume?: boolean;
  /** What to do instead of an empty list when the daemon has no volume at all (default: the empty list). */
  whenNone?: () => Promise<void>;
}

/**
 * The volume a command acts on, by one precedence for every command: the `volume` (or `name`, see VolumePrompt) of its
 * typed options, then the volume its argument stands for (a node of any of our views, a name), then the selected row of
 * the Volumes view when it was given no argument (see VolumePrompt.focusedRow), then asked. Undefined when cancelled.
 */
export async function volumeArgument(
  ctx: CommandContext,
  arg: unknown,
  prompt: VolumePrompt,
  extra?: unknown,
): Promise<string | undefined> {
  const a = readCommandArgument<{ volume: string; name: string }>(arg, extra);
  const names = prompt.nameIsVolume === false ? [a.options.volume] : [a.options.volume, a.options.name];
  const given = names.find((v): v is string => typeof v === 'string' && v !== '');
  if (given ?? a.volume ?? a.text) return given ?? a.volume ?? a.text;
  const selected = ctx.volumesView.selection.find((n): n is VolumeItem => n instanceof VolumeItem);
  const focused = arg === undefined && prompt.focusedRow !== false && ctx.volumesView.visible;
  if (focused && selected && (prompt.anonymous !== false || !selected.volume.anonymous)) return selected.volume.name;
  return askVolume(ctx, prompt);
}

/** One list for every command: names (anonymous ones by short id), whether in use, and the size when known. */
async function askVolume(ctx: CommandContext, prompt: VolumePrompt): Promise<string | undefined> {
  await ctx.model.ensureLoaded();
  if (prompt.whenNone && ctx.model.loaded && !ctx.model.rows.length) {
    await prompt.whenNone();
    return undefined;
  }
  const newVolume = vscode.l10n.t('New volume…');
  const rows = ctx.model.rows.filter((r) => prompt.anonymous !== false || !r.volume.anonymous);
  const pick = await vscode.window.showQuickPick(
    [
      ...(prompt.offerNew ? [{ label: newVolume, name: undefined }] : []),
      ...rows.map((r) => ({
        label: displayVolumeName(r.volume.name),
        description: [
          isUnused(r) ? vscode.l10n.t('unused') : vscode.l10n.t('used by {0}', containersText(r.users.length)),
          ...(r.size !== undefined && r.size >= 0 ? [sizeText(r.size)] : []),
        ].join(' · '),
        name: r.volume.name,
      })),
    ],
    { placeHolder: prompt.placeHolder, matchOnDescription: true, ...(prompt.title ? { title: prompt.title } : {}) },
  );
  if (!pick) return undefined;
  if (pick.name !== undefined) return pick.name;
  const title = prompt.title ?? prompt.placeHolder;
  return askNewVolumeName(
    title,
    ctx.model.volumes.map((v) => v.name),
  );
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
  const { names } = readCommandArgument<{ names: unknown }>(arg).options;
  if (Array.isArray(names)) return names.filter((n): n is string => typeof n === 'string');
  const one = await volumeArgument(ctx, arg, { placeHolder });
  return one ? [one] : [];
}
