/**
 * The vocabulary of failures: which kind, and why in terms the VS Code side words in the user's language
 * (errorText.ts). docker/errors.ts raises them as DockerError; this pure layer only names them.
 */
export const DOCKER_ERROR_KINDS = [
  'unreachable',
  'permissionDenied',
  'notFound',
  'conflict',
  'invalid',
  'timeout',
  'cancelled',
  'engine',
  /** A file or folder on this machine (backup folder, archive): never the daemon's fault. */
  'localFile',
] as const;
export type DockerErrorKind = (typeof DOCKER_ERROR_KINDS)[number];

/**
 * The daemon failure the Volumes view has a welcome text for (package.json viewsWelcome `volumesLab.daemonError`):
 * any other answer to the version check (a 404 from a web server at DOCKER_HOST, a 409…) is an engine error.
 */
export function welcomeErrorKind(
  kind: DockerErrorKind,
): 'unreachable' | 'permissionDenied' | 'timeout' | 'invalid' | 'engine' {
  return kind === 'unreachable' || kind === 'permissionDenied' || kind === 'timeout' || kind === 'invalid'
    ? kind
    : 'engine';
}

/** Why an operation failed, in terms the VS Code side words in the user's language (core/errorText). */
export type DockerErrorReason =
  | { id: 'archiveDamaged'; detail: string }
  | { id: 'dumpDamaged'; detail: string }
  | { id: 'checksumMismatch'; expected: string; actual: string }
  | { id: 'entryOutside'; entry: string }
  | { id: 'deviceEntry'; entry: string }
  | { id: 'noFile'; file: string }
  | { id: 'writeDenied'; file: string }
  | { id: 'readOnly'; file: string }
  | { id: 'notAFolder'; file: string }
  | { id: 'fileFailed'; file: string; code: string }
  | { id: 'diskFull'; file: string }
  | { id: 'folderMissing'; file: string }
  | { id: 'transferBroken'; code: string }
  | { id: 'toolFailed'; exitCode: string; message: string }
  | { id: 'targetExists'; volume: string }
  | { id: 'restoredMismatch'; files: number; bytes: number; expectedFiles: number; expectedBytes: number }
  | { id: 'couldNotEmpty'; volume: string; output: string }
  | { id: 'fileTooLarge'; file: string; bytes: number; limit: number }
  | { id: 'archiveTooLarge'; limit: number; what?: 'entries' | 'folders' }
  | { id: 'notRegularFile'; file: string }
  | { id: 'badAddress'; address: string }
  /** A bind source the daemon's machine does not have (a remote daemon, or a folder removed since it was checked). */
  | { id: 'bindSourceMissing'; path: string }
  | { id: 'contextMissing'; context: string }
  | { id: 'contextBroken'; context: string }
  /** An ssh:// daemon whose host key known_hosts does not vouch for; `host` as known_hosts names it. */
  | { id: 'sshHostKey'; verdict: 'unknown' | 'changed' | 'revoked'; host: string; fingerprint: string };

/** What errorText needs of a failure (a DockerError is one). */
export interface ReasonedError {
  readonly kind: DockerErrorKind;
  readonly message: string;
  readonly reason: DockerErrorReason | undefined;
}
