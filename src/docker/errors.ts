/**
 * Every failure that crosses the daemon boundary becomes a DockerError with a kind and, where the user can
 * act, a reason (both named in core/errorReasons.ts), so the VS Code side can say something useful (and
 * localized) without looking at dockerode's error shapes.
 */
import type { DockerErrorKind, DockerErrorReason } from '../core/errorReasons';

export class DockerError extends Error {
  override readonly name = 'DockerError';
  /** Set for failures the user can act on, so the message can be translated (see `because`). */
  reason: DockerErrorReason | undefined;

  /** The setting that chose the path or value at fault, so the message can offer to open it. */
  setting: string | undefined;

  /** Names the setting the user can change to get past this failure. */
  inSetting(setting: string): this {
    this.setting = setting;
    return this;
  }

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
  'ENOENT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ENOTCONN',
]);
const PERMISSION_CODES = new Set(['EACCES', 'EPERM']);

/** The engine's message from an HTTP error body (JSON `{ message }`, a Buffer or plain text). */
function engineMessage(e: ErrorLike): string | undefined {
  const json = e.json;
  if (json && typeof json === 'object' && 'message' in json && typeof json.message === 'string') {
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
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || (/timeout/i.test(raw) && status === undefined)) {
    return new DockerError(
      'timeout',
      `The Docker daemon at ${endpoint} did not answer in time`,
      operation,
      code ?? raw,
    );
  }
  if (status !== undefined) {
    const message = engineMessage(e) ?? (typeof e.reason === 'string' ? e.reason : raw);
    const kind: DockerErrorKind =
      status === 404 ? 'notFound' : status === 409 ? 'conflict' : status === 400 ? 'invalid' : 'engine';
    return new DockerError(kind, message, operation, message, status);
  }
  return new DockerError('engine', raw, operation, code ?? raw);
}

/**
 * A failed read or write on this machine's file system, typed by its cause (never as the daemon's
 * `permissionDenied`, which means the Docker socket). `file` is the path the user knows: the backup
 * file or its folder.
 */
export function localFileError(err: unknown, file: string, operation: string): DockerError {
  if (err instanceof DockerError) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  const error = (text: string) =>
    new DockerError('localFile', text, operation, typeof code === 'string' ? code : message);
  switch (code) {
    case 'EROFS':
      return error(`Cannot write ${file}: the file system is read-only`).because({ id: 'readOnly', file });
    case 'EACCES':
    case 'EPERM':
      return error(`Cannot write ${file}: permission denied`).because({ id: 'writeDenied', file });
    case 'ENOSPC':
    case 'EDQUOT':
      return error(`No space left to write ${file}`).because({ id: 'diskFull', file });
    case 'ENOENT':
      return error(`The folder of ${file} does not exist`).because({ id: 'folderMissing', file });
    case 'ENOTDIR':
    case 'EEXIST':
      return error(`${file} is not a folder`).because({ id: 'notAFolder', file });
    default:
      return error(`Cannot write ${file}: ${message}`).because({
        id: 'fileFailed',
        file,
        code: typeof code === 'string' ? code : message,
      });
  }
}

export function isLocalFileError(err: unknown): err is DockerError {
  return err instanceof DockerError && err.kind === 'localFile';
}

/** The daemon answered that the object is not there: for a removal or a presence check, often the wanted state. */
export function isNotFound(err: unknown): err is DockerError {
  return err instanceof DockerError && err.kind === 'notFound';
}
