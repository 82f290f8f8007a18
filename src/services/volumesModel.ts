import * as vscode from 'vscode';
import { Disposable } from './Disposable';
import { buildRows, type VolumeRow } from '../core/volumeModel';
import type { ContainerSummary, DiskUsage, DockerEvent, VolumeSummary } from '../core/engineTypes';
import type { Log } from '../log';
import type { DaemonService } from './daemonService';

/** Sizes come from `GET /system/df`, which walks every volume: never more often than this, unless asked. */
const SIZES_MIN_INTERVAL_MS = 5_000;

/**
 * The daemon's volumes and containers as last listed, with sizes filled in afterwards. One snapshot for
 * every consumer (tree, commands, lenses), refreshed on demand and by daemon events.
 */
export class VolumesModel extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  volumes: VolumeSummary[] = [];
  containers: ContainerSummary[] = [];
  rows: VolumeRow[] = [];
  diskUsage: DiskUsage | undefined;
  /** True once a listing succeeded (the view can tell "no volumes" from "not loaded"). */
  loaded = false;
  /** True when the last listing failed while the daemon answered (the view says so instead of "no volumes"). */
  listFailed = false;
  private listing: Promise<void> | undefined;
  /** The one listing queued behind the current one. */
  private relisting: Promise<void> | undefined;
  private sizing: Promise<void> | undefined;
  private sizesAt = 0;
  private sizesWanted = false;
  /** Ends the wait of a scheduled measurement at once. */
  private wakeSizing: (() => void) | undefined;

  constructor(
    private readonly daemon: DaemonService,
    private readonly log: Log,
  ) {
    super();
  }

  /**
   * Lists volumes and containers, then measures sizes in the background. A call made while a listing runs
   * gets one more listing after it (shared by every such call): the running one may have been answered
   * before the change that prompted the call, and the view must not stay on it.
   */
  refresh(options: { sizes?: 'auto' | 'force' | 'skip' } = {}): Promise<void> {
    let done: Promise<void>;
    if (this.relisting) done = this.relisting;
    else if (!this.listing) done = this.startListing();
    else {
      this.relisting ??= this.listing.then(() => {
        this.relisting = undefined;
        return this.startListing();
      });
      done = this.relisting;
    }
    const sizes = options.sizes ?? 'auto';
    return done.then(() => {
      if (sizes !== 'skip') void this.refreshSizes(sizes === 'force');
    });
  }

  private startListing(): Promise<void> {
    const listing = this.list().finally(() => {
      if (this.listing === listing) this.listing = undefined;
    });
    this.listing = listing;
    return listing;
  }

  /**
   * Whether a batch of daemon events can change what was listed. The daemon reports `volume create` each
   * time a container names a volume that already exists (our own helpers do, to list a volume's files).
   */
  changedBy(batch: readonly DockerEvent[]): boolean {
    if (!batch.length || !this.loaded) return true;
    const known = new Set(this.volumes.map((v) => v.name));
    return batch.some((e) => !(e.type === 'volume' && e.action === 'create' && known.has(e.id)));
  }

  /** The first listing, or the current one. */
  ensureLoaded(): Promise<void> {
    return this.loaded ? Promise.resolve() : this.refresh();
  }

  private async list(): Promise<void> {
    try {
      const [volumes, containers] = await this.daemon.use((client) =>
        Promise.all([client.listVolumes(), client.listContainers({ all: true })]),
      );
      this.volumes = volumes;
      this.containers = containers;
      this.rows = buildRows(volumes, containers, this.diskUsage?.volumeSizes);
      this.loaded = true;
      this.listFailed = false;
    } catch (err) {
      this.volumes = [];
      this.containers = [];
      this.rows = [];
      this.loaded = false;
      // An unreachable daemon is said once by the daemon service; a failure of a daemon that answers is news.
      this.listFailed = this.daemon.state.kind === 'reachable';
      if (this.listFailed) this.log.error('Listing volumes and containers failed', err);
      else this.log.debug(`listing volumes failed: ${String(err)}`);
    }
    this.changed.fire();
  }

  /** Measures sizes with `/system/df`, at most once per interval unless forced; never blocks a listing. */
  refreshSizes(force = false): Promise<void> {
    if (this.sizing) {
      if (force && this.wakeSizing) this.wakeSizing();
      else this.sizesWanted = true;
      return this.sizing;
    }
    const wait = force ? 0 : Math.max(0, this.sizesAt + SIZES_MIN_INTERVAL_MS - Date.now());
    this.sizing = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      this.wakeSizing = () => {
        clearTimeout(timer);
        resolve();
      };
    })
      .then(async () => {
        this.wakeSizing = undefined;
        if (!this.loaded) return;
        const usage = await this.daemon.use((client) => client.diskUsage());
        this.diskUsage = usage;
        this.sizesAt = Date.now();
        this.rows = buildRows(this.volumes, this.containers, usage.volumeSizes);
        this.changed.fire();
      })
      .catch((err) => this.log.debug(`measuring sizes failed: ${String(err)}`))
      .finally(() => {
        this.sizing = undefined;
        if (this.sizesWanted) {
          this.sizesWanted = false;
          void this.refreshSizes();
        }
      });
    return this.sizing;
  }

  row(name: string): VolumeRow | undefined {
    return this.rows.find((r) => r.volume.name === name);
  }
}
