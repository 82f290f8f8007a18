/** How dockerode reaches an endpoint (socket, ssh with known_hosts, tcp with TLS), and the raw request path. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import type { TimeoutGuard } from './abort';
import type { Endpoint } from './endpoint';
import { hostKeyVerdict, type HostKeyVerdict } from './knownHosts';
import type { EngineInfo } from '../core/engineTypes';

function defaultKnownHostsFiles(): string[] {
  return [path.join(os.homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

/** ssh2's host check: the server's key must be the one known_hosts holds for it, as `ssh` would insist. */
function hostVerifier(
  endpoint: Endpoint,
  files: string[],
  onRefused?: (verdict: HostKeyVerdict, key: Buffer) => void,
): (key: Buffer) => boolean {
  return (key) => {
    const texts = files.flatMap((file) => {
      try {
        return [fs.readFileSync(file, 'utf8')];
      } catch {
        return [];
      }
    });
    const verdict = hostKeyVerdict(texts, endpoint.hostname!, endpoint.port ?? 22, key);
    if (verdict !== 'known') onRefused?.(verdict, key);
    return verdict === 'known';
  };
}

function defaultSshKeyFiles(): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => path.join(os.homedir(), '.ssh', f));
}

function sshAuth(keyFiles: string[]): Record<string, unknown> {
  if (process.env.SSH_AUTH_SOCK) return { agent: process.env.SSH_AUTH_SOCK };
  for (const file of keyFiles) {
    try {
      return { privateKey: fs.readFileSync(file) };
    } catch {
      /* try the next one */
    }
  }
  return {};
}

/** dockerode's connection options for an endpoint. */
export function dockerodeOptions(
  endpoint: Endpoint,
  sshKeyFiles: string[] = defaultSshKeyFiles(),
  knownHosts: { files?: string[]; onRefused?: (verdict: HostKeyVerdict, key: Buffer) => void } = {},
): Dockerode.DockerOptions {
  switch (endpoint.transport) {
    case 'unix':
    case 'npipe':
      return { socketPath: endpoint.socketPath! };
    case 'ssh':
      return {
        protocol: 'ssh',
        host: endpoint.hostname!,
        port: endpoint.port!,
        ...(endpoint.username ? { username: endpoint.username } : {}),
        sshOptions: {
          ...sshAuth(sshKeyFiles),
          hostVerifier: hostVerifier(endpoint, knownHosts.files ?? defaultKnownHostsFiles(), knownHosts.onRefused),
        },
      };
    case 'tcp': {
      if (!endpoint.tls) return { protocol: 'http', host: endpoint.hostname!, port: endpoint.port! };
      const read = (file: string) => {
        const full = path.join(endpoint.tls!.certPath ?? '', file);
        return fs.existsSync(full) ? fs.readFileSync(full) : undefined;
      };
      const ca = read('ca.pem');
      const cert = read('cert.pem');
      const key = read('key.pem');
      return {
        protocol: 'https',
        host: endpoint.hostname!,
        port: endpoint.port!,
        ...(ca ? { ca } : {}),
        ...(cert ? { cert } : {}),
        ...(key ? { key } : {}),
      };
    }
  }
}

/** dockerode's `version()` takes options at run time, but its typings omit them. */
export function engineVersion(docker: Dockerode, abortSignal: AbortSignal): Promise<Dockerode.DockerVersion> {
  return (
    docker as unknown as { version(options: { abortSignal: AbortSignal }): Promise<Dockerode.DockerVersion> }
  ).version({ abortSignal });
}

/** How long a request may take: the client's timeout unless `timeoutMs` says otherwise (0: no bound). */
export interface RequestBound {
  timeoutMs?: number;
}

/** Lets a call stop its clock for a phase the daemon is not to blame for, and start it again. */
export type RequestClock = Pick<TimeoutGuard, 'pause' | 'restart'>;

interface DialOptions {
  path: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  options?: unknown;
  abortSignal: AbortSignal;
  statusCodes: Record<number, true | string>;
}

/** A raw Engine API request through dockerode's modem, for answers its wrappers do not return. */
export function dial<T>(docker: Dockerode, options: DialOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      options as unknown as Parameters<typeof docker.modem.dial>[0],
      (err: Error | null, data: unknown) => {
        if (err) reject(err);
        else resolve(data as T);
      },
    );
  });
}

/**
 * What the API-area modules (dockerodeContainers.ts) need of the client: its connection and the one path of
 * every request, which counts, logs, bounds and translates it.
 */
export interface EngineSession {
  readonly endpoint: Endpoint;
  connect(signal?: AbortSignal): Promise<{ docker: Dockerode; info: EngineInfo }>;
  request<T>(
    operation: string,
    signal: AbortSignal | undefined,
    run: (signal: AbortSignal, clock: RequestClock) => Promise<T>,
    bound?: RequestBound,
  ): Promise<T>;
}
