import * as vscode from 'vscode';
import { CONTEXT_VALUES } from '../constants';
import { displayVolumeName } from '../core/naming';
import { describeEndpoint } from '../docker/endpoint';
import type { VolumeSummary } from '../docker/types';
import type { Log } from '../log';
import { isDockerError } from '../messages';
import type { DaemonService } from '../services/daemonService';

export class VolumeItem extends vscode.TreeItem {
  constructor(readonly volume: VolumeSummary) {
    super(displayVolumeName(volume.name), vscode.TreeItemCollapsibleState.None);
    this.id = `volume:${volume.name}`;
    this.description = volume.anonymous ? vscode.l10n.t('anonymous · {0}', volume.driver) : volume.driver;
    this.contextValue = volume.anonymous ? CONTEXT_VALUES.anonymousVolume : CONTEXT_VALUES.volume;
    this.iconPath = new vscode.ThemeIcon(volume.anonymous ? 'circle-large-outline' : 'database');
    this.tooltip = volumeTooltip(volume);
    this.accessibilityInformation = {
      label: volume.anonymous
        ? vscode.l10n.t('Anonymous volume {0}, driver {1}', volume.name, volume.driver)
        : vscode.l10n.t('Volume {0}, driver {1}', volume.name, volume.driver),
    };
  }
}

function volumeTooltip(volume: VolumeSummary): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${volume.name}**${volume.anonymous ? ` — ${vscode.l10n.t('anonymous')}` : ''}\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Driver')}: \`${volume.driver}\` · ${vscode.l10n.t('Scope')}: \`${volume.scope}\`\n\n`);
  if (volume.mountpoint) md.appendMarkdown(`${vscode.l10n.t('Mountpoint')}: \`${volume.mountpoint}\`\n\n`);
  if (volume.createdAt) md.appendMarkdown(`${vscode.l10n.t('Created')}: ${volume.createdAt}\n\n`);
  const labels = Object.entries(volume.labels);
  if (labels.length) {
    md.appendMarkdown(`${vscode.l10n.t('Labels')}:\n`);
    for (const [key, value] of labels) md.appendMarkdown(`- \`${key}\` = \`${value}\`\n`);
  }
  return md;
}

/** The Volumes view: every volume on the daemon. Never throws: failures become the welcome view. */
export class VolumesTreeProvider implements vscode.TreeDataProvider<VolumeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<VolumeItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<VolumeItem> | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** The volumes shown by the last successful listing. */
  lastVolumes: VolumeSummary[] = [];

  constructor(
    private readonly daemon: DaemonService,
    private readonly log: Log,
  ) {
    this.disposables.push(daemon.onDidChangeState(() => {
      this.updateHeader();
      this.refresh();
    }));
  }

  attach(view: vscode.TreeView<VolumeItem>): void {
    this.view = view;
    this.updateHeader();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  private updateHeader(): void {
    if (!this.view) return;
    const endpoint = this.daemon.endpoint;
    this.view.description = endpoint ? describeEndpoint(endpoint) : undefined;
    const state = this.daemon.state;
    // VS Code hides the welcome view while a message is set: when unreachable, the welcome view speaks.
    this.view.message = state.kind === 'reachable'
      ? vscode.l10n.t('Docker {0} at {1}', state.engine.version, endpoint ? describeEndpoint(endpoint) : '')
      : undefined;
  }

  getTreeItem(element: VolumeItem): vscode.TreeItem {
    return element;
  }

  async getChildren(element?: VolumeItem): Promise<VolumeItem[]> {
    if (element) return [];
    try {
      const volumes = await this.daemon.use(client => client.listVolumes());
      volumes.sort((a, b) => Number(a.anonymous) - Number(b.anonymous) || a.name.localeCompare(b.name));
      this.lastVolumes = volumes;
      return volumes.map(v => new VolumeItem(v));
    } catch (err) {
      this.lastVolumes = [];
      if (!isDockerError(err)) this.log.error('Listing volumes failed', err);
      return [];
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
