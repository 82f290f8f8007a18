import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { Disposable } from './Disposable';
import { settings } from './settings';
import { CONTEXT_KEYS, SETTINGS } from '../constants';
import { cliTargetFor, type CliTarget } from '../core/cli';
import type { DockerClient } from '../docker/client';
import { describeEndpoint, isLocalEndpoint, resolveEndpoint, type Endpoint } from '../docker/endpoint';
import { DockerError } from '../docker/errors';
import { welcomeErrorKind } from '../core/errorReasons';
import type { EngineInfo } from '../core/engineTypes';
import type { Log } from '../log';
import { isConnectionError } from '../messages';

export type DaemonState =
  { kind: 'connecting' } | { kind: 'reachable'; engine: EngineInfo } | { kind: 'unreachable'; error: DockerError };

export type ClientFactory = (endpoint: Endpoint, timeoutMs: number) => DockerClient;

/** Reads the endpoint inputs from this machine and the extension's settings. */
export function endpointFromSettings(): Endpoint {
  return resolveEndpoint({
    setting: settings.dockerHost(),
    env: process.env,
    platform: process.platform,
    homedir: os.homedir(),
    exists: (file) => fs.existsSync(file),
    readFile: (file) => {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
  });
}

/**
 * Owns the connection to the daemon: which endpoint, the client for it, and whether it answers. Sets the
 * context keys the welcome views use, and rebuilds the client when the endpoint settings change.
 */
export class DaemonService extends Disposable {
  private current: { endpoint: Endpoint; client: DockerClient } | { error: DockerError };
  private stateValue: DaemonState = { kind: 'connecting' };
  private readonly stateEmitter = this.register(new vscode.EventEmitter<DaemonState>());
  /** Fires whenever the state changes, and when the client is rebuilt for a new endpoint. */
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(
    private readonly log: Log,
    private readonly createClient: ClientFactory,
  ) {
    super();
    this.current = this.build();
    void this.setContext();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS.section}.docker`)) {
          this.rebuild();
          void this.check();
        }
      }),
    );
  }

  private build(): { endpoint: Endpoint; client: DockerClient } | { error: DockerError } {
    const timeoutMs = settings.dockerTimeoutMs();
    try {
      const endpoint = endpointFromSettings();
      this.log.info(`Docker endpoint: ${describeEndpoint(endpoint)} (from ${endpoint.source})`);
      return { endpoint, client: this.createClient(endpoint, timeoutMs) };
    } catch (err) {
      const error = err instanceof DockerError ? err : new DockerError('invalid', String(err), 'resolve endpoint');
      this.log.error('Cannot resolve the Docker endpoint', error);
      return { error };
    }
  }

  private rebuild(): void {
    if ('client' in this.current) this.current.client.dispose();
    this.current = this.build();
    this.setState({ kind: 'connecting' });
  }

  get state(): DaemonState {
    return this.stateValue;
  }

  /** The endpoint in use, or undefined when none could be resolved. */
  get endpoint(): Endpoint | undefined {
    return 'endpoint' in this.current ? this.current.endpoint : undefined;
  }

  /** Whether the daemon runs on this machine (a local socket or pipe): only then do host paths name its files. */
  get isLocal(): boolean {
    return isLocalEndpoint(this.endpoint);
  }

  /** How the `docker` lines we show reach this daemon (`-H` when our setting chose it). */
  get cliTarget(): CliTarget {
    return cliTargetFor(this.endpoint);
  }

  /** The client; throws the resolution error when the endpoint settings are unusable. */
  get client(): DockerClient {
    if ('error' in this.current) throw this.current.error;
    return this.current.client;
  }

  /** Asks the daemon for its version and updates the state from the answer. */
  async check(signal?: AbortSignal, options: { showConnecting?: boolean } = {}): Promise<DaemonState> {
    if (options.showConnecting) this.setState({ kind: 'connecting' });
    if ('error' in this.current) {
      this.setState({ kind: 'unreachable', error: this.current.error });
      return this.stateValue;
    }
    try {
      const engine = await this.current.client.version(signal);
      this.setState({ kind: 'reachable', engine });
    } catch (err) {
      const error = err instanceof DockerError ? err : new DockerError('engine', String(err), 'GET /version');
      if (error.kind !== 'cancelled') this.setState({ kind: 'unreachable', error });
    }
    return this.stateValue;
  }

  /**
   * Runs `work` with the client. A connection failure marks the daemon unreachable (so the welcome view
   * shows); a success after a failure triggers a fresh check.
   */
  async use<T>(work: (client: DockerClient) => Promise<T>): Promise<T> {
    try {
      const result = await work(this.client);
      if (this.stateValue.kind === 'unreachable') void this.check();
      return result;
    } catch (err) {
      if (isConnectionError(err) || (err instanceof DockerError && err.operation === 'resolve endpoint')) {
        this.setState({ kind: 'unreachable', error: err });
      }
      throw err;
    }
  }

  private setState(state: DaemonState): void {
    const before = this.stateValue;
    this.stateValue = state;
    const changed =
      before.kind !== state.kind ||
      (before.kind === 'unreachable' && state.kind === 'unreachable' && before.error.message !== state.error.message);
    if (state.kind === 'unreachable' && changed) this.log.error(`Docker daemon unreachable`, state.error);
    if (state.kind === 'reachable' && before.kind !== 'reachable') {
      this.log.info(
        `Connected to Docker Engine ${state.engine.version} (API ${state.engine.apiVersion}, using ${state.engine.negotiatedApiVersion})`,
      );
    }
    void this.setContext();
    if (changed || state.kind === 'connecting') this.stateEmitter.fire(state);
  }

  private async setContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.daemonState, this.stateValue.kind);
    await vscode.commands.executeCommand(
      'setContext',
      CONTEXT_KEYS.daemonError,
      this.stateValue.kind === 'unreachable' ? welcomeErrorKind(this.stateValue.error.kind) : '',
    );
    // The setting wins over DOCKER_HOST: the unreachable welcome says so, instead of advising DOCKER_HOST.
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.endpointSource, this.endpoint?.source ?? '');
  }

  override dispose(): void {
    if ('client' in this.current) this.current.client.dispose();
    super.dispose();
  }
}
