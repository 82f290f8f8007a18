import * as vscode from 'vscode';
import { LABELS } from '../core/labels';
import { readCommandArgument } from '../core/commandArguments';
import { LAB_MODULES } from '../core/labModules';
import { moduleObjects } from '../core/labs';
import { moduleVolumes, resetModuleObjects } from '../flows/labActions';
import { askModal, containersText, showNotice, volumesText } from '../messages';
import { flowDeps, type CommandContext } from './registry';

export interface ResetOptions {
  module?: string;
  confirm?: boolean;
  /** From the module's own clean-up step: its progress stays (the run is complete, not restarted). */
  keepProgress?: boolean;
}

type ModuleObjects = ReturnType<typeof moduleObjects>;

/** Shows what Reset Module removes, by name (anonymous volumes shortened), and asks. */
async function confirmReset(moduleId: string, objects: ModuleObjects, volumes: string[]): Promise<boolean> {
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
  const choice = await askModal(
    vscode.l10n.t('Remove what this module created on the daemon?'),
    {
      detail: `${lines.join('\n')}\n\n${vscode.l10n.t('Only objects labelled {0}={1} (and the anonymous volumes of those containers) are removed.', LABELS.module, moduleId)}`,
    },
    remove,
  );
  return choice === remove;
}

export async function resetModule(
  ctx: CommandContext,
  arg?: unknown,
): Promise<{ containers: string[]; volumes: string[] } | undefined> {
  const { options: given, text } = readCommandArgument<ResetOptions>(arg);
  const options: ResetOptions = { ...given, ...((given.module ?? text) ? { module: given.module ?? text } : {}) };
  const moduleId =
    options.module ??
    (await vscode.window.showQuickPick(
      LAB_MODULES.map((m) => m.id),
      { placeHolder: vscode.l10n.t('Module to reset') },
    ));
  if (!moduleId) return undefined;
  await ctx.model.refresh({ sizes: 'skip' });
  const objects = moduleObjects(moduleId, ctx.progress.objects());
  const volumes = moduleVolumes(objects);
  if (!objects.containers.length && !volumes.length) {
    void showNotice('info', vscode.l10n.t('This module left nothing on the daemon.'));
    if (!options.keepProgress) await ctx.progress.forget(moduleId);
    return { containers: [], volumes: [] };
  }
  if (!options.confirm && !(await confirmReset(moduleId, objects, volumes))) return undefined;
  const { containers } = await resetModuleObjects(flowDeps(ctx), objects);
  await ctx.model.refresh();
  await ctx.progress.update();
  if (!options.keepProgress) await ctx.progress.forget(moduleId);
  void showNotice(
    'info',
    vscode.l10n.t('Removed {0} and {1} of the module.', containersText(containers.length), volumesText(volumes.length)),
  );
  return { containers, volumes };
}
