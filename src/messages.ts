import * as vscode from 'vscode';
import { describeEndpoint, type Endpoint } from './docker/endpoint';
import { dockerErrorText } from './core/errorText';
import { DockerError } from './docker/errors';

/** A short, localized sentence for a DockerError, with the next step where there is one. */
export function dockerErrorMessage(err: DockerError, endpoint?: Endpoint): string {
  return dockerErrorText(err, endpoint ? describeEndpoint(endpoint) : '', vscode.l10n);
}

export function isDockerError(err: unknown): err is DockerError {
  return err instanceof DockerError;
}

/** Errors that say the daemon itself cannot be used, rather than one request failing. */
export function isConnectionError(err: unknown): err is DockerError {
  return (
    err instanceof DockerError &&
    (err.kind === 'unreachable' || err.kind === 'permissionDenied' || err.kind === 'timeout')
  );
}
