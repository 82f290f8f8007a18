/**
 * Every failure that crosses the daemon boundary becomes a DockerError with one of these kinds, so the
 * VS Code side can say something useful (and localized) without looking at dockerode's error shapes.
 */
export type DockerErrorKind =
  | 'unreachable'
  | 'permissionDenied'
  | 'notFound'
  | 'conflict'
  | 'invalid'
  | 'timeout'
  | 'cancelled'
  | 'engine';

/** Why an operation failed, in terms the VS Code side words in the user's language (core/errorText). */
export type DockerErrorReason =
  | { id: 'archiveDamaged'; detail: string }
  | { id: 'dumpDamaged'; detail: string }
  | { id: 'checksumMismatch'; expected: string; actual: string }
  | { id: 'entryOutside'; entry: string }
  | { id: 'deviceEntry'; entry: string }
  | { id: 'noFile'; file: string }
  | { id: 'writeDenied'; file: string }
  | { id: 'diskFull'; file: string }
  | { id: 'folderMissing'; file: string }
  | { id: 'transferBroken'; code: string }
  | { id: 'toolFailed'; exitCode: string; message: string }
  | { id: 'targetExists'; volume: string }
  | { id: 'restoredMismatch'; files: number; bytes: number; expectedFiles: number; expectedBytes: number }
  | { id: 'couldNotEmpty'; volume: string; output: string }
  | { id: 'fileTooLarge'; file: string; bytes: number; limit: number }
  | { id: 'archiveTooLarge'; limit: number }
  | { id: 'notRegularFile'; file: string }
  | { id: 'badAddress'; address: string }
  | { id: 'contextMissing'; context: string }
  | { id: 'contextBroken'; context: string };

export class DockerError extends Error {
  override readonly name = 'DockerError';
  /** Set for failures the user can act on, so the message can be translated (see `because`). */
  reason: DockerErrorReason | undefined;

  /** Attaches the reason (the English message stays for the log). */
  because(reason: DockerErrorReason): this {
    this.reason = reason;
    return this;
  }

  constructor(
    readonly kind: DockerErrorKind,
    message: string,
    /** What we were doing, e.g. "GET /volumes". */
    readonly operation: string,
    /** The engine's own message or the system error code, for the log. */
    readonly detail?: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

interface ErrorLike {
  code?: unknown;
  errno?: unknown;
  statusCode?: unknown;
  reason?: unknown;
  json?: unknown;
  message?: unknown;
  name?: unknown;
}

const UNREACHABLE_CODES = new Set([
  'ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ENOTCONN',
]);
const PERMISSION_CODES = new Set(['EACCES', 'EPERM']);

/** The engine's message from an HTTP error body (JSON `{ message }`, a Buffer or plain text). */
function engineMessage(e: ErrorLike): string | undefined {
  const json = e.json;
  if (json && typeof json === 'object' && 'message' in json && typeof (json).message === 'string') {
    return (json as { message: string }).message;
  }
  if (Buffer.isBuffer(json)) {
    const text = json.toString('utf8').trim();
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      /* not JSON */
    }
    return text || undefined;
  }
  if (typeof json === 'string' && json.trim()) return json.trim();
  return undefined;
}

/** Translate anything thrown by dockerode / docker-modem / Node's sockets into a DockerError. */
export function toDockerError(err: unknown, operation: string, endpoint: string): DockerError {
  if (err instanceof DockerError) return err;
  const e = (err ?? {}) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const raw = typeof e.message === 'string' ? e.message : String(err);

  if (e.name === 'AbortError' || code === 'ABORT_ERR') {
    return new DockerError('cancelled', `${operation} was cancelled`, operation);
  }
  if (code && PERMISSION_CODES.has(code)) {
    return new DockerError('permissionDenied', `Permission denied on the Docker socket ${endpoint}`, operation, code);
  }
  if (code && UNREACHABLE_CODES.has(code)) {
    return new DockerError('unreachable', `Cannot reach the Docker daemon at ${endpoint} (${code})`, operation, code);
  }
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || /timeout/i.test(raw) && status === undefined) {
    return new DockerError('timeout', `The Docker daemon at ${endpoint} did not answer in time`, operation, code ?? raw);
  }
  if (status !== undefined) {
    const message = engineMessage(e) ?? (typeof e.reason === 'string' ? e.reason : raw);
    const kind: DockerErrorKind =
      status === 404 ? 'notFound' : status === 409 ? 'conflict' : status === 400 ? 'invalid' : 'engine';
    return new DockerError(kind, message, operation, message, status);
  }
  return new DockerError('engine', raw, operation, code ?? raw);
}
