/** Prune: which unused volumes (anonymous only, or all), the preview and confirmation, then the prune flow. */
import * as vscode from 'vscode';
import { pruneLines } from '../core/cliActions';
import { displayVolumeName } from '../core/naming';
import { apiAtLeast } from '../core/apiVersion';
import { type VolumeRow } from '../core/volumeModel';
import { knownBytes, pruneFlow, unusedVolumes, type PruneScope } from '../flows/prune';
import { withCancellableProgress } from '../services/progress';
import { flowDeps, type CommandContext } from './registry';
import { askModal, countText, showNotice, volumesText, sizeText } from '../messages';

export interface PruneOptions {
  scope?: 'anonymous' | 'all';
  confirm?: boolean;
  /** Only volumes carrying this label (`key` or `key=value`), like `docker volume prune --filter label=…`. */
  label?: string;
}

export interface PruneResult {
  previewed: string[];
  /** The docker line shown for what was removed ('' when nothing was planned). */
  cli: string;
  removed: string[];
  keptBecauseUsed: string[];
  reclaimedBytes: number;
}

/** Which unused volumes to prune: only the anonymous ones (Engine 23+), or all; undefined when the user cancels. */
async function askPruneScope(unused: VolumeRow[]): Promise<PruneScope | undefined> {
  const anonymous = unused.filter((r) => r.volume.anonymous);
  const pick = await vscode.window.showQuickPick(
    [
      {
        label: vscode.l10n.t('Anonymous unused volumes'),
        description: `${volumesText(anonymous.length)} · ${sizeText(knownBytes(anonymous))}`,
        detail: vscode.l10n.t('What docker volume prune removes on Docker Engine 23 and later (API 1.42+).'),
        scope: 'anonymous' as const,
      },
      {
        label: vscode.l10n.t('All unused volumes, named ones too'),
        description: `${volumesText(unused.length)} · ${sizeText(knownBytes(unused))}`,
        detail: vscode.l10n.t('What docker volume prune --all removes (and plain prune before API 1.42).'),
        scope: 'all' as const,
      },
    ],
    { title: vscode.l10n.t('Prune unused volumes') },
  );
  return pick?.scope;
}

/** Shows exactly what a prune removes, the engine's own rule and the CLI line; true when the user agrees. */
async function confirmPrune(planned: VolumeRow[], engineApi: string | undefined, cli: string): Promise<boolean> {
  const n = planned.length;
  const remove = countText(n, vscode.l10n.t('Remove {0} Volume', n), vscode.l10n.t('Remove {0} Volumes', n));
  const lines = planned
    .slice(0, 30)
    .map((r) => `• ${displayVolumeName(r.volume.name)}${r.size !== undefined ? ` (${sizeText(r.size)})` : ''}`);
  if (planned.length > 30) lines.push(vscode.l10n.t('… and {0} more', planned.length - 30));
  const rule = apiAtLeast(engineApi, '1.42')
    ? vscode.l10n.t('This engine (API {0}) prunes only anonymous volumes unless --all is given.', engineApi ?? '?')
    : vscode.l10n.t('This engine (API {0}) prunes every unused volume, named ones too.', engineApi ?? '?');
  const exactly = vscode.l10n.t(
    'Exactly the volumes listed are removed; one that a container starts using meanwhile is kept. CLI: {0}',
    cli,
  );
  const choice = await askModal(
    countText(
      n,
      vscode.l10n.t('Remove this unused volume ({0})?', sizeText(knownBytes(planned))),
      vscode.l10n.t('Remove these {0} unused volumes ({1})?', n, sizeText(knownBytes(planned))),
    ),
    { detail: [...lines, '', rule, exactly].join('\n') },
    remove,
  );
  return choice === remove;
}

/** Removes unused volumes after showing exactly which (see pruneFlow). */
export async function pruneVolumes(ctx: CommandContext, options: PruneOptions = {}): Promise<PruneResult> {
  await ctx.model.refresh({ sizes: 'skip' });
  await ctx.model.refreshSizes(true);
  const unused = unusedVolumes(ctx.model.rows, options.label);
  const engineApi = ctx.daemon.state.kind === 'reachable' ? ctx.daemon.state.engine.apiVersion : undefined;
  const scope = options.scope ?? (await askPruneScope(unused));
  const result: PruneResult = { previewed: [], cli: '', removed: [], keptBecauseUsed: [], reclaimedBytes: 0 };
  if (!scope) return result;
  const planned = unused.filter((r) => scope === 'all' || r.volume.anonymous);
  result.previewed = planned.map((r) => r.volume.name);
  if (!planned.length) {
    void showNotice('info', vscode.l10n.t('No unused volumes to remove.'));
    return result;
  }
  const cli = pruneLines(scope, apiAtLeast(engineApi, '1.42'), options.label, result.previewed, ctx.daemon.cliTarget);
  result.cli = cli.prune ?? cli.exact;
  if (!options.confirm && !(await confirmPrune(planned, engineApi, result.cli))) return result;
  ctx.log.cli(cli.prune ? `${cli.prune}  # ${vscode.l10n.t('here, exactly: {0}', cli.exact)}` : cli.exact);
  const outcome = await withCancellableProgress(vscode.l10n.t('Removing unused volumes'), (report, signal) =>
    pruneFlow(flowDeps(ctx), planned, (name) => report(displayVolumeName(name), 100 / planned.length), signal),
  );
  Object.assign(result, outcome);
  await ctx.model.refresh();
  const { keptBecauseUsed } = result;
  const kept = keptBecauseUsed.length
    ? ` ${vscode.l10n.t('Kept {0} that came into use: {1}.', keptBecauseUsed.length, keptBecauseUsed.join(', '))}`
    : '';
  const removed = vscode.l10n.t(
    'Removed {0}, reclaimed {1}.',
    volumesText(result.removed.length),
    sizeText(result.reclaimedBytes),
  );
  void showNotice('info', `${removed}${kept}`);
  return result;
}
