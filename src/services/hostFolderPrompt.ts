import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInside, realPathOf, realPlacement } from '../core/pathConfinement';
import { DockerError } from '../docker/errors';
import { workspaceOriginOf, workspaceTrusted } from './workspaceTrust';
import { askModal } from '../messages';

/** The questions and refusals about a host folder the user chose for a bind mount. */

/**
 * Asks whether to create a missing host folder, naming where it is really written: a link on the way (`data -> /etc`)
 * puts `<workspace>/data/new` under `/etc`, so the question names that place and judges inside or outside by it.
 * True only on the user's yes, else undefined.
 */
export async function askCreateFolder(folder: string): Promise<true | undefined> {
  const roots = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => f.uri.fsPath);
  const placement = realPlacement(folder, roots, fs.realpathSync);
  const create = vscode.l10n.t('Create Folder');
  const choice = await askModal(
    placement.inside
      ? vscode.l10n.t('{0} does not exist. Create it, inside the workspace?', placement.real)
      : vscode.l10n.t('{0} does not exist. Create it, outside the workspace?', placement.real),
    {
      modal: true,
      detail: [
        vscode.l10n.t(
          'Docker refuses to bind a folder that does not exist. The folder and its missing parents are created with your rights, empty.',
        ),
        ...(placement.real !== path.resolve(folder)
          ? [vscode.l10n.t('You chose {0}: the links on the way lead to the place named above.', folder)]
          : []),
      ].join('\n\n'),
    },
    create,
  );
  return choice === create ? true : undefined;
}

/**
 * In Restricted Mode, a host folder reached through a link in the workspace is refused: the repository chose where
 * the link goes (`app -> /`), and nothing it ships may decide what is bound.
 */
export function refuseWorkspaceLinkWhenRestricted(folder: string): void {
  if (workspaceTrusted()) return;
  const origin = workspaceOriginOf(folder);
  if (!origin.inside) return;
  const realRoots = (vscode.workspace.workspaceFolders ?? []).map((f) => realPathOf(f.uri.fsPath, fs.realpathSync));
  if (realRoots.some((root) => isInside(origin.judged, root))) return;
  throw new DockerError(
    'invalid',
    vscode.l10n.t(
      '{0} leads to {1} through a link in this workspace, which is not trusted (Restricted Mode): the repository chose where it goes. Trust the workspace, or choose the real folder.',
      folder,
      origin.judged,
    ),
    'restricted mode',
  );
}
