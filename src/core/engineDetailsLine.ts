import type { Translator } from './errorText';

/** Where the Docker address came from, as endpoint resolution says (`Endpoint.source`). */
export type AddressSource = 'setting' | 'env' | 'context' | 'default';

/** The address's origin in words: the reader must know what to change to talk to another daemon. */
export function addressSourceText(source: AddressSource, contextName: string | undefined, l10n: Translator): string {
  switch (source) {
    case 'setting':
      return l10n.t('from the volumesLab.docker.host setting');
    case 'env':
      return l10n.t('from DOCKER_HOST');
    case 'context':
      return l10n.t('from the docker context {0}', contextName ?? '?');
    case 'default':
      return l10n.t("Docker's default socket");
  }
}

/**
 * Docker Engine Details while not connected: the address, where it came from, and the same reason the views give.
 * The setting wins over DOCKER_HOST and docker contexts, so when it chose the address the line says how to clear it.
 */
export function notConnectedLine(
  address: string,
  source: AddressSource,
  contextName: string | undefined,
  reason: string,
  l10n: Translator,
): string {
  const line = l10n.t(
    'Docker at {0} ({1}): not connected. {2}',
    address,
    addressSourceText(source, contextName, l10n),
    reason,
  );
  return source === 'setting'
    ? `${line} ${l10n.t('This setting wins over DOCKER_HOST and docker contexts: clear it (Reset Setting in Settings) to use them.')}`
    : line;
}
