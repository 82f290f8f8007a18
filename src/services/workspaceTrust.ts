import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { workspaceOrigin, type WorkspaceOrigin } from '../core/pathConfinement';
import { DockerError } from '../docker/errors';

/**
 * Restricted Mode (an untrusted workspace): nothing the repository ships may run a container, bind a host
 * path, take, restore or delete a backup, or choose the daemon. The user's own settings still apply.
 */
export function workspaceTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/**
 * Whether `file` is the workspace's (under it by its real path, or reached through it: a committed
 * `backups -> /tmp` is a place the repository chose), and the real path that was judged.
 */
export function workspaceOriginOf(file: string): WorkspaceOrigin {
  return workspaceOrigin(file, workspaceRoots(), fs.realpathSync);
}

/** True when `file` lies in one of the open workspace folders, or is reached through one. */
export function inWorkspace(file: string): boolean {
  return workspaceOriginOf(file).inside;
}

/**
 * Throws a message saying why, naming the real path judged, when the workspace is untrusted and `file` (or its
 * manifest) comes from it.
 */
export function refuseWorkspaceFileWhenRestricted(file: string, companions: string[] = []): void {
  if (workspaceTrusted()) return;
  const origin = [file, ...companions].map(workspaceOriginOf).find((o) => o.inside);
  if (!origin) return;
  throw new DockerError(
    'invalid',
    vscode.l10n.t(
      '{0} comes from this workspace (real path: {1}), which is not trusted (Restricted Mode): its backups and manifests are not read. Trust the workspace, or restore a copy kept outside it.',
      path.basename(file),
      origin.judged,
    ),
    'restricted mode',
  );
}
