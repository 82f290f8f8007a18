import * as vscode from 'vscode';
import { LABELS } from '../core/labels';
import { Disposable } from './Disposable';
import type { DockerEvent } from '../core/engineTypes';
import type { Log } from '../log';
import type { DaemonService } from './daemonService';

/** What changes the volumes picture. A prune reports `prune` once, with no `destroy` per volume. */
const FILTERS = {
  type: ['volume', 'container'],
  event: ['create', 'destroy', 'mount', 'unmount', 'prune', 'start', 'die'],
};

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** A stream that stayed open this long was healthy: the next failure starts the backoff again. */
const HEALTHY_MS = 10_000;

/**
 * Keeps one event stream open while the daemon is reachable, and reports what arrived as one batch per
 * `debounceMs` window, counted from the first event of the batch: a burst (a compose down, a script making
 * hundreds of volumes) costs one refresh per window, and a steady stream still shows up within a window
 * instead of waiting for a quiet moment that never comes. No polling: when the stream drops (daemon
 * restart), it reconnects with a growing delay.
 */
export class DaemonEvents extends Disposable {
  private readonly batches = this.register(new vscode.EventEmitter<DockerEvent[]>());
  /** Debounced batches of relevant events; an empty batch means "reconnected: things may have changed". */
  readonly onDidReceive = this.batches.event;
  private controller: AbortController | undefined;
  private pending: DockerEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private backoff = MIN_BACKOFF_MS;
  /** Events received since start, for tests and the log. */
  received = 0;
  /**
   * Our own helper containers, seen by their label. Their events change nothing the views show, and
   * listening to them would loop: the Files tree lists through a helper, whose events refreshed the tree,
   * which listed again.
   */
  private readonly helpers = new Set<string>();

  constructor(
    private readonly daemon: DaemonService,
    private readonly log: Log,
    /** The batching window, in milliseconds. */
    readonly debounceMs = 300,
  ) {
    super();
    this.register(
      daemon.onDidChangeState((state) => {
        if (state.kind === 'reachable' && !this.controller) this.connect(false);
      }),
    );
  }

  start(): void {
    if (!this.controller) this.connect(false);
  }

  private connect(isReconnect: boolean): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    let client;
    try {
      client = this.daemon.client;
    } catch {
      return; // no usable endpoint: the daemon service reports it
    }
    const controller = new AbortController();
    this.controller = controller;
    const opened = Date.now();
    if (isReconnect) this.queue(undefined);
    client
      .watchEvents(FILTERS, (event) => this.queue(event), controller.signal)
      .then(
        () => {
          if (this.controller === controller) this.scheduleReconnect(opened);
        },
        (err: unknown) => {
          if (this.controller !== controller) return;
          this.log.debug(`event stream closed: ${String(err)}`);
          this.scheduleReconnect(opened);
        },
      );
  }

  private scheduleReconnect(opened: number): void {
    this.controller = undefined;
    if (Date.now() - opened > HEALTHY_MS) this.backoff = MIN_BACKOFF_MS;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    this.retry = setTimeout(() => {
      this.connect(true);
      // The daemon came back? Let the connection state catch up.
      void this.daemon.check();
    }, delay);
  }

  private isOwnHelper(event: DockerEvent): boolean {
    if (event.type === 'volume') return this.helpers.has(event.attributes.container ?? '');
    if (event.type !== 'container' || event.attributes[LABELS.helper] === undefined) return false;
    if (event.action === 'destroy') this.helpers.delete(event.id);
    else this.helpers.add(event.id);
    return true;
  }

  private queue(event: DockerEvent | undefined): void {
    if (event && this.isOwnHelper(event)) return;
    if (event) {
      this.received++;
      this.pending.push(event);
    }
    // The window is not restarted by later events: a burst is batched, not postponed until it ends.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const batch = this.pending;
      this.pending = [];
      this.batches.fire(batch);
    }, this.debounceMs);
  }

  override dispose(): void {
    this.controller?.abort();
    this.controller = undefined;
    if (this.timer) clearTimeout(this.timer);
    if (this.retry) clearTimeout(this.retry);
    super.dispose();
  }
}
