import * as vscode from 'vscode';
import { describeEndpoint, type Endpoint } from './docker/endpoint';
import { DockerError } from './docker/errors';

/** A short, localized sentence for a DockerError, with the next step where there is one. */
export function dockerErrorMessage(err: DockerError, endpoint?: Endpoint): string {
  const where = endpoint ? describeEndpoint(endpoint) : '';
  switch (err.kind) {
    case 'unreachable':
      return vscode.l10n.t('Cannot reach the Docker daemon at {0}. Is Docker running?', where);
    case 'permissionDenied':
      return vscode.l10n.t(
        'Permission denied on the Docker socket {0}. Add your user to the "docker" group (sudo usermod -aG docker $USER) and log in again.',
        where,
      );
    case 'timeout':
      return vscode.l10n.t('The Docker daemon at {0} did not answer in time.', where);
    case 'notFound':
      return vscode.l10n.t('Not found: {0}', err.message);
    case 'conflict':
      return vscode.l10n.t('Docker refused because of a conflict: {0}', err.message);
    case 'invalid':
      return vscode.l10n.t('Invalid input: {0}', err.message);
    case 'cancelled':
      return vscode.l10n.t('Cancelled.');
    case 'engine':
      return vscode.l10n.t('The Docker daemon reported an error: {0}', err.message);
  }
}

export function isDockerError(err: unknown): err is DockerError {
  return err instanceof DockerError;
}

/** Errors that say the daemon itself cannot be used, rather than one request failing. */
export function isConnectionError(err: unknown): err is DockerError {
  return err instanceof DockerError && (err.kind === 'unreachable' || err.kind === 'permissionDenied' || err.kind === 'timeout');
}
