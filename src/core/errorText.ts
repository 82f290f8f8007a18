import type { DockerError } from '../docker/errors';

/** The translation function of `@vscode/l10n` / `vscode.l10n`, passed in so this stays free of vscode. */
export interface Translator {
  t(message: string, ...args: (string | number | boolean)[]): string;
}

/** A short sentence for a DockerError, with the next step where there is one. */
export function dockerErrorText(err: DockerError, where: string, l10n: Translator): string {
  switch (err.kind) {
    case 'unreachable':
      return l10n.t('Cannot reach the Docker daemon at {0}. Is Docker running?', where);
    case 'permissionDenied':
      return l10n.t(
        'Permission denied on the Docker socket {0}. Add your user to the "docker" group (sudo usermod -aG docker $USER) and log in again.',
        where,
      );
    case 'timeout':
      return l10n.t('The Docker daemon at {0} did not answer in time.', where);
    case 'notFound':
      return l10n.t('Not found: {0}', err.message);
    case 'conflict':
      return l10n.t('Docker refused because of a conflict: {0}', err.message);
    case 'invalid':
      return l10n.t('Invalid input: {0}', err.message);
    case 'cancelled':
      return l10n.t('Cancelled.');
    case 'engine':
      return l10n.t('The Docker daemon reported an error: {0}', err.message);
  }
}
