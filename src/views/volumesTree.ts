import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import { settings } from '../services/settings';
import { CONTEXT_KEYS, SETTINGS } from '../constants';
import {
  filterRows,
  groupRows,
  type GroupBy,
  type RowFilter,
  type SortBy,
  type VolumeGroup,
} from '../core/volumeModel';
import type { DaemonService } from '../services/daemonService';
import type { VolumesModel } from '../services/volumesModel';
import { volumeUri, type VolumeFileSystemProvider } from './volumeFileSystem';
import { CourseItem, engineLine, volumesHeader } from './volumesHeader';
import {
  EntryItem,
  FilesItem,
  GroupItem,
  UsageItem,
  VolumeItem,
  volumeTooltip,
  type VolumesNode,
} from './volumesTreeItems';
import { entriesText, showNotice } from '../messages';

/** The folder a Files or folder row lists, as `volume:path`; undefined for other rows. */
function listingKey(node: VolumesNode): string | undefined {
  if (node instanceof FilesItem) return `${node.volumeName}:/`;
  if (node instanceof EntryItem && node.isDirectory) return `${node.volumeName}:${node.inside}`;
  return undefined;
}

/**
 * The Volumes view: volumes grouped (in use / unused / anonymous by default), each with the containers
 * using it and its files. Never throws: failures become the welcome view.
 */
export class VolumesTreeProvider extends Disposable implements vscode.TreeDataProvider<VolumesNode> {
  private readonly changed = this.register(new vscode.EventEmitter<VolumesNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<VolumesNode> | undefined;
  /** Folder listings under way, by folder: aborted when the folder is collapsed or listed again. */
  private readonly listings = new Map<string, AbortController>();
  private filter: RowFilter = {};
  /** The groups last shown, for tests and reveal. */
  lastGroups: VolumeGroup[] = [];

  constructor(
    private readonly daemon: DaemonService,
    private readonly model: VolumesModel,
    private readonly files: VolumeFileSystemProvider,
  ) {
    super();
    this.register(
      daemon.onDidChangeState(() => {
        this.updateHeader();
        if (this.daemon.state.kind !== 'connecting') void this.model.refresh();
      }),
      model.onDidChange(() => {
        this.updateHeader();
        this.changed.fire(undefined);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS.section}.volumes`)) this.changed.fire(undefined);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.updateHeader()),
    );
  }

  attach(view: vscode.TreeView<VolumesNode>): void {
    this.view = view;
    // A collapsed folder's listing is no longer awaited: stop it and its archive stream on the daemon.
    this.register(
      view.onDidCollapseElement((e) => {
        const key = listingKey(e.element);
        if (key) this.listings.get(key)?.abort();
      }),
    );
    this.updateHeader();
  }

  /** Lists again; sizes are measured again too when `sizes` is 'force'. */
  refresh(sizes: 'auto' | 'force' = 'auto'): Promise<void> {
    return this.model.refresh({ sizes });
  }

  setFilter(filter: RowFilter): void {
    this.filter = filter;
    void vscode.commands.executeCommand(
      'setContext',
      CONTEXT_KEYS.volumesFiltered,
      Boolean(filter.text || filter.unusedOnly),
    );
    this.updateHeader();
    this.changed.fire(undefined);
  }

  get currentFilter(): RowFilter {
    return this.filter;
  }

  private updateHeader(): void {
    if (!this.view) return;
    const state = this.daemon.state;
    const { description, message } = volumesHeader({
      state,
      endpoint: this.daemon.endpoint,
      filter: this.filter,
      listed: state.kind === 'reachable' && this.model.loaded && this.model.rows.length > 0,
      trusted: vscode.workspace.isTrusted,
    });
    this.view.description = description;
    this.view.message = message;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.volumeCount, this.volumeCountKey);
  }

  /** The `volumesLab.volumeCount` the welcome texts test: the rows listed, -2 when the listing failed, -1 before. */
  get volumeCountKey(): number {
    return this.model.loaded ? this.model.rows.length : this.model.listFailed ? -2 : -1;
  }

  getTreeItem(element: VolumesNode): vscode.TreeItem {
    return element;
  }

  resolveTreeItem(item: vscode.TreeItem, element: VolumesNode): vscode.TreeItem {
    if (element instanceof VolumeItem && item.tooltip === undefined)
      item.tooltip = volumeTooltip(element.row, this.daemon.cliTarget);
    return item;
  }

  getParent(element: VolumesNode): VolumesNode | undefined {
    // With grouping off, volumes are the roots.
    if (element instanceof VolumeItem && this.groupBy() !== 'none') return this.groupItemFor(element.volume.name);
    return undefined;
  }

  private groupBy(): GroupBy {
    return settings.groupBy();
  }

  private sortBy(): SortBy {
    return settings.sortBy();
  }

  private groupItemFor(volume: string): GroupItem | undefined {
    const group = this.lastGroups.find((g) => g.rows.some((r) => r.volume.name === volume));
    return group ? new GroupItem(group) : undefined;
  }

  async getChildren(element?: VolumesNode): Promise<VolumesNode[]> {
    if (!element) {
      await this.model.ensureLoaded();
      if (!this.model.loaded) return [];
      const rows = filterRows(this.model.rows, this.filter);
      const groupBy = this.groupBy();
      this.lastGroups = groupRows(rows, groupBy, this.sortBy());
      // With no volume the tree stays empty, so that the welcome content shows instead.
      const course =
        rows.length && !this.filter.text && !this.filter.unusedOnly
          ? [new CourseItem(engineLine(this.daemon.state, this.daemon.endpoint))]
          : [];
      if (groupBy === 'none') return [...course, ...(this.lastGroups[0]?.rows ?? []).map((r) => new VolumeItem(r))];
      return [...course, ...this.lastGroups.map((g) => new GroupItem(g))];
    }
    if (element instanceof GroupItem) return element.group.rows.map((r) => new VolumeItem(r));
    if (element instanceof VolumeItem) {
      return [
        ...element.row.users.map((u) => new UsageItem(element.volume.name, u)),
        new FilesItem(element.volume.name),
      ];
    }
    if (element instanceof FilesItem || (element instanceof EntryItem && element.isDirectory)) {
      const volume = element.volumeName;
      const inside = element instanceof EntryItem ? element.inside : '/';
      const key = listingKey(element)!;
      // A newer listing of the same folder supersedes this one.
      this.listings.get(key)?.abort();
      const listing = new AbortController();
      this.listings.set(key, listing);
      try {
        const uri = volumeUri(volume, inside);
        const entries = await this.files.listDirectory(uri, listing.signal);
        if (this.files.partial.has(uri.toString())) {
          void showNotice(
            'info',
            vscode.l10n.t(
              'Only part of {0} is listed ({1}): reading a folder through the Docker archive API carries its whole subtree, so the listing stops early on large folders.',
              `${volume}:${inside}`,
              entriesText(entries.length),
            ),
          );
        }
        entries.sort(
          (a, b) =>
            Number(b[1] === vscode.FileType.Directory) - Number(a[1] === vscode.FileType.Directory) ||
            a[0].localeCompare(b[0]),
        );
        return entries.map(([name, type]) => new EntryItem(volume, `${inside.replace(/\/$/, '')}/${name}`, type));
      } catch (err) {
        if (listing.signal.aborted) return [];
        void showNotice(
          'warning',
          vscode.l10n.t('Cannot list the files of {0}: {1}', volume, err instanceof Error ? err.message : String(err)),
        );
        return [];
      } finally {
        if (this.listings.get(key) === listing) this.listings.delete(key);
      }
    }
    return [];
  }

  /** Selects and shows a volume's row. */
  async reveal(volume: string): Promise<boolean> {
    await this.model.ensureLoaded();
    const row = this.model.row(volume);
    if (!row || !this.view) return false;
    if (!filterRows([row], this.filter).length) this.setFilter({});
    await this.getChildren();
    await this.view.reveal(new VolumeItem(row), { select: true, focus: true, expand: false });
    return true;
  }

  override dispose(): void {
    for (const listing of this.listings.values()) listing.abort();
    super.dispose();
  }
}
