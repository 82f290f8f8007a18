import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import { settings } from '../services/settings';
import { CONTEXT_KEYS, CONTEXT_VALUES, SETTINGS } from '../constants';
import type { CliTarget } from '../core/cli';
import { volumeShellLines } from '../core/cliActions';
import { displayVolumeName } from '../core/naming';
import { maskSecrets } from '../core/networkVolumes';
import {
  COMPOSE_PROJECT_LABEL,
  COMPOSE_VOLUME_LABEL,
  filterRows,
  formatBytes,
  groupRows,
  isUnused,
  type GroupBy,
  type RowFilter,
  type SortBy,
  type VolumeGroup,
  type VolumeRow,
  type VolumeUse,
} from '../core/volumeModel';
import type { DaemonService } from '../services/daemonService';
import type { VolumesModel } from '../services/volumesModel';
import { volumeUri, type VolumeFileSystemProvider } from './volumeFileSystem';
import { CourseItem, volumesHeader } from './volumesHeader';
import { containersText, entriesText, showNotice } from '../messages';

export type VolumesNode = CourseItem | GroupItem | VolumeItem | UsageItem | FilesItem | EntryItem;

function sizeText(row: VolumeRow): string | undefined {
  if (row.size === undefined) return undefined;
  return row.size < 0 ? vscode.l10n.t('size n/a') : formatBytes(row.size);
}

export class GroupItem extends vscode.TreeItem {
  readonly nodeType = 'group';
  constructor(readonly group: VolumeGroup) {
    super(groupLabel(group), vscode.TreeItemCollapsibleState.Expanded);
    this.id = `group:${group.kind}:${group.key}`;
    const count = group.rows.length;
    this.description =
      group.kind === 'unused' && group.reclaimable > 0
        ? vscode.l10n.t('{0} · {1} reclaimable', count, formatBytes(group.reclaimable))
        : String(count);
    this.contextValue = CONTEXT_VALUES.group(group.kind);
    this.iconPath = new vscode.ThemeIcon(
      {
        inUse: 'pass',
        unused: 'circle-slash',
        anonymous: 'question',
        project: 'layers',
        noProject: 'folder',
        driver: 'server',
      }[group.kind],
    );
  }
}

function groupLabel(group: VolumeGroup): string {
  switch (group.kind) {
    case 'inUse':
      return vscode.l10n.t('In use');
    case 'unused':
      return vscode.l10n.t('Unused');
    case 'anonymous':
      return vscode.l10n.t('Anonymous');
    case 'project':
      return vscode.l10n.t('Compose project {0}', group.key);
    case 'noProject':
      return vscode.l10n.t('Not from Compose');
    case 'driver':
      return vscode.l10n.t('Driver {0}', group.key);
  }
}

export class VolumeItem extends vscode.TreeItem {
  readonly nodeType = 'volume';
  constructor(
    readonly row: VolumeRow,
    cliTarget: CliTarget = {},
  ) {
    super(displayVolumeName(row.volume.name), vscode.TreeItemCollapsibleState.Collapsed);
    const { volume } = row;
    this.id = `volume:${volume.name}`;
    const usage = isUnused(row)
      ? vscode.l10n.t('unused')
      : vscode.l10n.t('used by {0}', containersText(row.users.length));
    const parts = [volume.anonymous ? vscode.l10n.t('anonymous') : undefined, sizeText(row), usage].filter(Boolean);
    this.description = parts.join(' · ');
    this.contextValue = CONTEXT_VALUES.volume(!isUnused(row), volume.anonymous);
    this.iconPath = new vscode.ThemeIcon(
      volume.anonymous
        ? 'circle-large-outline'
        : row.composeProject
          ? 'layers'
          : isUnused(row)
            ? 'archive'
            : 'database',
      isUnused(row) ? new vscode.ThemeColor('disabledForeground') : undefined,
    );
    this.tooltip = volumeTooltip(row, cliTarget);
    this.accessibilityInformation = {
      label: [
        volume.anonymous
          ? vscode.l10n.t('Anonymous volume {0}', volume.name)
          : vscode.l10n.t('Volume {0}', volume.name),
        ...parts.slice(volume.anonymous ? 1 : 0),
      ].join(', '),
    };
  }

  get volume() {
    return this.row.volume;
  }
}

function volumeTooltip(row: VolumeRow, cliTarget: CliTarget): vscode.MarkdownString {
  const { volume } = row;
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${volume.name}**${volume.anonymous ? ` — ${vscode.l10n.t('anonymous')}` : ''}\n\n`);
  const size = sizeText(row);
  md.appendMarkdown(
    `${vscode.l10n.t('Driver')}: ${code(volume.driver)} · ${vscode.l10n.t('Scope')}: ${code(volume.scope)}${size ? ` · ${vscode.l10n.t('Size')}: ${size}` : ''}\n\n`,
  );
  if (volume.mountpoint) md.appendMarkdown(`${vscode.l10n.t('Mountpoint')}: ${code(volume.mountpoint)}\n\n`);
  if (volume.createdAt)
    md.appendMarkdown(`${vscode.l10n.t('Created')}: ${new Date(volume.createdAt).toLocaleString()}\n\n`);
  if (row.composeProject) {
    md.appendMarkdown(
      `${vscode.l10n.t('Compose project')}: **${row.composeProject}**${row.composeVolume ? ` · ${vscode.l10n.t('volume key')}: ${code(row.composeVolume)}` : ''}\n\n`,
    );
  }
  const labels = Object.entries(volume.labels).filter(
    ([k]) => k !== COMPOSE_PROJECT_LABEL && k !== COMPOSE_VOLUME_LABEL,
  );
  if (labels.length) {
    md.appendMarkdown(`${vscode.l10n.t('Labels')}:\n`);
    for (const [key, value] of labels) md.appendMarkdown(`- ${code(key)} = ${code(value)}\n`);
    md.appendMarkdown('\n');
  }
  const options = Object.entries(maskSecrets(volume.options));
  if (options.length) {
    md.appendMarkdown(`${vscode.l10n.t('Driver options')}:\n`);
    for (const [key, value] of options) md.appendMarkdown(`- ${code(key)} = ${code(value)}\n`);
    md.appendMarkdown('\n');
  }
  if (row.users.length) {
    md.appendMarkdown(`${vscode.l10n.t('Used by')}:\n`);
    for (const use of row.users) {
      md.appendMarkdown(
        `- **${use.containerName}** (${use.running ? vscode.l10n.t('running') : use.state}) → ${code(use.destination)} ${use.readOnly ? 'ro' : 'rw'}\n`,
      );
    }
    md.appendMarkdown('\n');
  } else {
    md.appendMarkdown(`${vscode.l10n.t('No container uses this volume.')}\n\n`);
  }
  md.appendMarkdown(`${vscode.l10n.t('Mount it')}:\n`);
  // The helper image the user set (an offline daemon may have no busybox to pull).
  const image = settings.backupShellImage();
  md.appendCodeblock(volumeShellLines(volume.name, image, cliTarget).join('\n'), 'sh');
  return md;
}

export class UsageItem extends vscode.TreeItem {
  readonly nodeType = 'usage';
  constructor(
    readonly volumeName: string,
    readonly use: VolumeUse,
  ) {
    super(use.containerName, vscode.TreeItemCollapsibleState.None);
    this.id = `usage:${volumeName}:${use.containerId}:${use.destination}`;
    this.description = vscode.l10n.t(
      '{0} · {1} · at {2} {3}',
      use.image,
      use.running ? vscode.l10n.t('running') : vscode.l10n.t('stopped'),
      use.destination,
      use.readOnly ? 'ro' : 'rw',
    );
    this.contextValue = CONTEXT_VALUES.usage(use.running);
    this.iconPath = new vscode.ThemeIcon(use.running ? 'vm-running' : 'vm-outline');
    this.tooltip = vscode.l10n.t(
      'Container {0} ({1}) mounts this volume at {2}, {3}.',
      use.containerName,
      use.image,
      use.destination,
      use.readOnly ? vscode.l10n.t('read-only') : vscode.l10n.t('read-write'),
    );
  }
}

/** The folder a Files or folder row lists, as `volume:path`; undefined for other rows. */
function listingKey(node: VolumesNode): string | undefined {
  if (node instanceof FilesItem) return `${node.volumeName}:/`;
  if (node instanceof EntryItem && node.isDirectory) return `${node.volumeName}:${node.inside}`;
  return undefined;
}

export class FilesItem extends vscode.TreeItem {
  readonly nodeType = 'files';
  constructor(readonly volumeName: string) {
    super(vscode.l10n.t('Files'), vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `files:${volumeName}`;
    this.contextValue = CONTEXT_VALUES.files;
    this.iconPath = new vscode.ThemeIcon('files');
    this.tooltip = vscode.l10n.t('Browse the files of this volume (read-only, without starting a container).');
  }
}

export class EntryItem extends vscode.TreeItem {
  readonly nodeType = 'entry';
  constructor(
    readonly volumeName: string,
    readonly inside: string,
    type: vscode.FileType,
  ) {
    const uri = volumeUri(volumeName, inside);
    super(
      uri,
      type === vscode.FileType.Directory
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    this.id = `entry:${volumeName}:${inside}`;
    this.isDirectory = type === vscode.FileType.Directory;
    this.contextValue = CONTEXT_VALUES.entry(this.isDirectory);
    if (!this.isDirectory) this.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [uri] };
  }
  readonly isDirectory: boolean;
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
    void vscode.commands.executeCommand(
      'setContext',
      CONTEXT_KEYS.volumeCount,
      this.model.loaded ? this.model.rows.length : -1,
    );
  }

  getTreeItem(element: VolumesNode): vscode.TreeItem {
    return element;
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
      const course = rows.length && !this.filter.text && !this.filter.unusedOnly ? [new CourseItem()] : [];
      if (groupBy === 'none')
        return [...course, ...(this.lastGroups[0]?.rows ?? []).map((r) => new VolumeItem(r, this.daemon.cliTarget))];
      return [...course, ...this.lastGroups.map((g) => new GroupItem(g))];
    }
    if (element instanceof GroupItem) return element.group.rows.map((r) => new VolumeItem(r, this.daemon.cliTarget));
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
          void vscode.window.showInformationMessage(
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
    await this.view.reveal(new VolumeItem(row, this.daemon.cliTarget), { select: true, focus: true, expand: false });
    return true;
  }

  override dispose(): void {
    for (const listing of this.listings.values()) listing.abort();
    super.dispose();
  }
}
