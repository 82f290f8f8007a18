import type { DockerErrorReason, ReasonedError } from './errorReasons';
import { byCount } from './plural';

/** The translation function of `@vscode/l10n` / `vscode.l10n`, passed in so this stays free of vscode. */
export interface Translator {
  t(message: string, ...args: (string | number | boolean)[]): string;
  /** The display language, for plural forms ("1 entry" / "0 entrée"); English rules when absent. */
  language?: string;
}

const entriesText = (n: number, l10n: Translator) =>
  byCount(n, l10n.language ?? 'en', l10n.t('{0} entry', n), l10n.t('{0} entries', n));

/** A short sentence for a DockerError, with the next step where there is one. */
export function dockerErrorText(err: ReasonedError, where: string, l10n: Translator): string {
  if (err.reason) return reasonText(err.reason, l10n);
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
    case 'localFile':
      return l10n.t('A file on this machine could not be used: {0}', err.message);
  }
}

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

/** The user-facing sentence for a failure whose reason is known (archives, dumps, restores). */
export function reasonText(reason: DockerErrorReason, l10n: Translator): string {
  switch (reason.id) {
    case 'archiveDamaged':
      return l10n.t(
        'The archive is damaged ({0}): it may be truncated or not a .tar.gz. Nothing was changed.',
        reason.detail,
      );
    case 'dumpDamaged':
      return l10n.t(
        'The dump is damaged ({0}): it may be truncated or not a .sql.gz. Nothing was changed.',
        reason.detail,
      );
    case 'checksumMismatch':
      return l10n.t(
        "The file's checksum does not match its manifest (expected {0}…, found {1}…): it changed since the backup. Nothing was changed.",
        reason.expected,
        reason.actual,
      );
    case 'entryOutside':
      return l10n.t(
        'The archive has an entry outside its folder ({0}): it is refused, nothing was changed.',
        reason.entry,
      );
    case 'deviceEntry':
      return l10n.t('The archive has a device file ({0}): it is refused, nothing was changed.', reason.entry);
    case 'noFile':
      return l10n.t('No such file: {0}', reason.file);
    case 'writeDenied':
      return l10n.t(
        'Cannot write {0}: permission denied. Choose another backup folder (volumesLab.backup.folder).',
        reason.file,
      );
    case 'readOnly':
      return l10n.t(
        'Cannot write {0}: its file system is read-only. Choose another backup folder (volumesLab.backup.folder).',
        reason.file,
      );
    case 'diskFull':
      return l10n.t(
        'No space left to write {0}; nothing was left half written. Free some space or choose another backup folder (volumesLab.backup.folder).',
        reason.file,
      );
    case 'folderMissing':
      return l10n.t(
        'The folder of {0} does not exist. Create it or choose another backup folder (volumesLab.backup.folder).',
        reason.file,
      );
    case 'notAFolder':
      return l10n.t('{0} is not a folder. Choose another backup folder (volumesLab.backup.folder).', reason.file);
    case 'fileFailed':
      return l10n.t(
        'Cannot write {0} ({1}). Choose another backup folder (volumesLab.backup.folder).',
        reason.file,
        reason.code,
      );
    case 'transferBroken':
      return l10n.t(
        'The connection to the Docker daemon broke during the transfer ({0}): was Docker stopped or restarted? Nothing was left half written.',
        reason.code,
      );
    case 'toolFailed':
      return l10n.t(
        'The database tool failed (exit code {0}): {1}',
        reason.exitCode,
        reason.message || l10n.t('no message'),
      );
    case 'targetExists':
      return l10n.t(
        'Volume {0} already exists: restore into it with Replace or Merge, or choose a new name.',
        reason.volume,
      );
    case 'restoredMismatch':
      return l10n.t(
        'The restored volume holds {0} ({1}); the archive had {2} ({3}).',
        entriesText(reason.files, l10n),
        kib(reason.bytes),
        entriesText(reason.expectedFiles, l10n),
        kib(reason.expectedBytes),
      );
    case 'couldNotEmpty':
      return l10n.t('Could not empty {0}: {1}', reason.volume, reason.output);
    case 'fileTooLarge':
      return l10n.t(
        '{0} is {1}, over the {2} limit for opening files from a volume (setting volumesLab.files.maxSizeMb).',
        reason.file,
        kib(reason.bytes),
        kib(reason.limit),
      );
    case 'archiveTooLarge':
      if (reason.what === 'entries')
        return l10n.t(
          "The archive holds more than {0} entries, more than its manifest or size makes likely (millions of empty files would use up the disk's inodes): extraction stopped and the new data was removed.",
          reason.limit,
        );
      if (reason.what === 'folders')
        return l10n.t(
          'The archive holds more folders than a restore keeps track of ({0} of folder headers): extraction stopped and the new data was removed.',
          `${Math.round(reason.limit / 1024 / 1024)} MiB`,
        );
      return l10n.t(
        'The archive expands past {0} of content, more than its manifest or size makes likely (a compression bomb would fill the disk): extraction stopped and the new data was removed.',
        `${Math.round(reason.limit / 1024 / 1024)} MiB`,
      );
    case 'notRegularFile':
      return l10n.t('{0} is not a regular file.', reason.file);
    case 'badAddress':
      return l10n.t(
        '"{0}" is not a Docker daemon address: use unix://, npipe://, tcp:// or ssh://, as in unix:///var/run/docker.sock.',
        reason.address,
      );
    case 'contextMissing':
      return l10n.t(
        'The Docker context "{0}" does not exist: check DOCKER_CONTEXT, or docker context ls.',
        reason.context,
      );
    case 'contextBroken':
      return l10n.t(
        'The Docker context "{0}" cannot be read or has no Docker endpoint: check it with docker context inspect.',
        reason.context,
      );
    case 'bindSourceMissing':
      return l10n.t(
        'The folder {0} does not exist on the machine the Docker daemon runs on, and a bind mount takes a folder of that machine: create it there, or choose one that exists there.',
        reason.path,
      );
    case 'sshHostKey':
      if (reason.verdict === 'changed')
        return l10n.t(
          'The ssh host key of {0} is not the one in known_hosts (it now shows {1}): the host was reinstalled, or someone poses as it. Ask its administrator; if the change is expected, remove the old key with ssh-keygen -R "{0}", then connect once with ssh to accept the new one.',
          reason.host,
          reason.fingerprint,
        );
      if (reason.verdict === 'revoked')
        return l10n.t(
          'The ssh host key of {0} ({1}) is marked revoked in known_hosts: the connection is refused.',
          reason.host,
          reason.fingerprint,
        );
      return l10n.t(
        "The ssh host key of {0} is not in known_hosts yet (fingerprint {1}): connect once with ssh in a terminal, check that fingerprint with the host's administrator and accept it, then retry.",
        reason.host,
        reason.fingerprint,
      );
  }
}
