import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInside } from '../core/pathConfinement';
import { DockerError } from '../docker/errors';

/**
 * Restricted Mode (an untrusted workspace): nothing the repository ships may run a container, bind a host
 * path, take, restore or delete a backup, or choose the daemon. The user's own settings still apply.
 */
export function workspaceTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** True when `file` (followed through symlinks) lies in one of the open workspace folders. */
export function inWorkspace(file: string): boolean {
  const target = real(file);
  return (vscode.workspace.workspaceFolders ?? []).some(f => f.uri.scheme === 'file' && isInside(target, real(f.uri.fsPath)));
}

/** Throws a message saying why, when the workspace is untrusted and `file` comes from it. */
export function refuseWorkspaceFileWhenRestricted(file: string): void {
  if (workspaceTrusted() || !inWorkspace(file)) return;
  throw new DockerError('invalid', vscode.l10n.t('{0} comes from this workspace, which is not trusted (Restricted Mode): its backups and manifests are not read. Trust the workspace, or restore a copy kept outside it.', path.basename(file)), 'restricted mode');
}
