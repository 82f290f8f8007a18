import * as path from 'node:path';
import * as vscode from 'vscode';
import { isFutureDated } from '../core/backups';
import type { LabAction } from '../core/labs';
import { DockerError } from '../docker/errors';
import { chooseLabArchive, restoreCandidates } from '../flows/labRestoreChoice';
import type { BackupFile } from '../docker/backupFolderScan';
import { configuredBackupFolder, listBackups } from '../services/backupFolder';
import { backupCommand, dumpCommand, exportScriptCommand } from './backups';
import { restoreCommand } from './restore';
import type { CommandContext } from './registry';
import { sizeText } from '../messages';

/**
 * Shows each archive by name, date and size, and asks which one to restore: the folder may hold files the user did not
 * make.
 */
async function pickLabArchive(
  candidates: BackupFile[],
  volume: string,
  target: string,
  now: Date,
): Promise<BackupFile | undefined> {
  const pick = await vscode.window.showQuickPick(
    candidates.map((b) => ({
      label: path.basename(b.file),
      description: `${b.date.toLocaleString()} · ${sizeText(b.bytes)}`,
      ...(isFutureDated(b.date, now)
        ? {
            detail: vscode.l10n.t(
              'Dated in the future: not a backup this machine took so far. Restore it only if you know where it comes from.',
            ),
          }
        : {}),
      b,
    })),
    {
      title: vscode.l10n.t('Restore a backup of {0} into {1}', volume, target),
      placeHolder: vscode.l10n.t('Backup to restore (newest first), from {0}', path.dirname(candidates[0]!.file)),
      ignoreFocusOut: true,
    },
  );
  return pick?.b;
}

/**
 * The backup buttons of the labs: what the Backups commands run, called directly with the step's volume and container
 * (same prompts and confirmations; a failure reaches the lab button's own error report).
 */
export async function backupStep(
  ctx: CommandContext,
  action: Extract<LabAction, { kind: 'backup' | 'restore' | 'dump' | 'exportScript' }>,
  confirm: boolean,
): Promise<unknown> {
  switch (action.kind) {
    case 'backup':
      return backupCommand(ctx, { volume: action.volume, ...(confirm ? {} : { consistency: 'live' }) });
    case 'restore': {
      const now = new Date();
      const candidates = restoreCandidates(listBackups(configuredBackupFolder()), action.volume, now);
      if (!candidates.length)
        throw new DockerError(
          'notFound',
          vscode.l10n.t('No backup of {0} yet: back it up first.', action.volume),
          'restore',
        );
      const chosen = await chooseLabArchive(
        candidates,
        now,
        confirm ? (list) => pickLabArchive(list, action.volume, action.target, now) : undefined,
      );
      if (!chosen) return undefined;
      return restoreCommand(ctx, chosen.file, { target: action.target });
    }
    case 'dump':
      await ctx.model.refresh({ sizes: 'skip' });
      return dumpCommand(ctx, { container: action.container });
    case 'exportScript':
      return exportScriptCommand(ctx, { volumes: action.volumes });
  }
}
