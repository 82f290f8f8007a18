import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import { COMMANDS, CONTEXT_VALUES } from '../constants';
import { mountWarnings, tmpfsSizeText, type MountWarning } from '../core/mounts';
import { displayVolumeName, isAnonymousVolumeName } from '../core/naming';
import type { ContainerDetails, ContainerSummary } from '../core/engineTypes';
import type { DaemonService } from '../services/daemonService';
import type { VolumesModel } from '../services/volumesModel';
import { countText } from '../messages';

export type MountsNode = ContainerNode | MountNode;
type DetailedMount = ContainerDetails['mounts'][number];

export function warningText(w: MountWarning): string {
  switch (w.kind) {
    case 'sensitivePath':
      return vscode.l10n.t(
        '{0} is a sensitive host path: the container can read (and, read-write, change) system files.',
        w.subject,
      );
    case 'dockerSocket':
      return vscode.l10n.t('{0} gives the container full control of Docker, and so of the host.', w.subject);
    case 'homeFolder':
      return vscode.l10n.t(
        '{0} is a whole home folder: keys, tokens and personal files become visible to the container.',
        w.subject,
      );
    case 'missingHostPath':
      return vscode.l10n.t('{0} does not exist on this machine.', w.subject);
    case 'anonymousVolume':
      return vscode.l10n.t('Anonymous volume: hard to find again for a backup; give it a name.');
  }
}

/** A row's description: the parts it has, in order. */
function descriptionOf(parts: string[]): string {
  return parts.filter(Boolean).join(' · ');
}

/** A row's tooltip: what it is, then each warning. */
function tooltipWithWarnings(heading: string, warnings: MountWarning[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(`${heading}\n\n`);
  for (const w of warnings) md.appendMarkdown(`⚠ ${warningText(w)}\n\n`);
  return md;
}

export class ContainerNode extends vscode.TreeItem {
  readonly nodeType = 'container';
  constructor(
    readonly container: ContainerSummary & { running: boolean },
    readonly warnings: MountWarning[],
  ) {
    super(
      container.name,
      container.mounts.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    this.id = `container:${container.id}`;
    const state = container.running ? vscode.l10n.t('running') : container.state;
    const n = container.mounts.length;
    const mounts = countText(n, vscode.l10n.t('{0} mount', n), vscode.l10n.t('{0} mounts', n));
    this.description = descriptionOf([container.image, state, mounts, warnings.length ? `⚠ ${warnings.length}` : '']);
    this.contextValue = CONTEXT_VALUES.container(container.running);
    this.iconPath = new vscode.ThemeIcon(
      container.running ? 'vm-running' : 'vm-outline',
      warnings.length ? new vscode.ThemeColor('list.warningForeground') : undefined,
    );
    this.tooltip = tooltipWithWarnings(`**${container.name}** — ${container.image} (${container.status})`, warnings);
  }
}

export class MountNode extends vscode.TreeItem {
  readonly nodeType = 'mount';
  constructor(
    readonly container: ContainerSummary & { running: boolean },
    readonly mount: DetailedMount,
    readonly warnings: MountWarning[],
    readonly fromContainer?: string,
  ) {
    super(mount.destination, vscode.TreeItemCollapsibleState.None);
    this.id = `mount:${container.id}:${mount.destination}`;
    const access = mount.readOnly ? 'ro' : 'rw';
    const from = fromContainer ? vscode.l10n.t('from {0}', fromContainer) : '';
    let description: string;
    let explanation: string;
    switch (mount.type) {
      case 'bind':
        description = descriptionOf([
          vscode.l10n.t('bind ← {0}', mount.source),
          access,
          mount.propagation && mount.propagation !== 'rprivate' ? mount.propagation : '',
          from,
        ]);
        explanation = vscode.l10n.t(
          'Bind mount: the host path {0} appears at {1}; changes on either side show on the other at once.',
          mount.source,
          mount.destination,
        );
        this.iconPath = new vscode.ThemeIcon('file-symlink-directory');
        break;
      case 'volume': {
        const anonymous = mount.name ? isAnonymousVolumeName(mount.name) : false;
        description = descriptionOf([
          vscode.l10n.t('volume {0}', displayVolumeName(mount.name ?? '')),
          anonymous ? vscode.l10n.t('anonymous') : '',
          access,
          from,
        ]);
        explanation = vscode.l10n.t(
          'Named volume {0}, managed by Docker; its data outlives the container.',
          mount.name ?? '',
        );
        this.iconPath = new vscode.ThemeIcon('database');
        if (mount.name)
          this.command = {
            command: COMMANDS.revealVolume,
            title: vscode.l10n.t('Reveal in Volumes View'),
            arguments: [mount.name],
          };
        break;
      }
      case 'tmpfs':
        description = descriptionOf([
          vscode.l10n.t('tmpfs'),
          mount.tmpfsSizeBytes ? `size=${tmpfsSizeText(mount.tmpfsSizeBytes)}` : vscode.l10n.t('no size limit'),
          access,
        ]);
        explanation = vscode.l10n.t('tmpfs: kept in memory, never written to disk, gone when the container stops.');
        this.iconPath = new vscode.ThemeIcon('flame');
        break;
      default:
        description = `${mount.type} · ${mount.source}`;
        explanation = mount.type;
    }
    if (warnings.length)
      this.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    this.description = description;
    this.contextValue = CONTEXT_VALUES.mount(mount.type);
    this.tooltip = tooltipWithWarnings(explanation, warnings);
  }
}

/** The Mounts view: every container, running or stopped, with its mounts explained and risky ones flagged. */
export class MountsTreeProvider extends Disposable implements vscode.TreeDataProvider<MountsNode> {
  private readonly changed = this.register(new vscode.EventEmitter<MountsNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly daemon: DaemonService,
    private readonly model: VolumesModel,
  ) {
    super();
    this.register(model.onDidChange(() => this.changed.fire(undefined)));
  }

  refresh(): void {
    void this.model.refresh({ sizes: 'skip' });
  }

  private warningsFor(mounts: { type: string; source: string; name?: string }[]): MountWarning[] {
    return mountWarnings(
      mounts.map((m) => ({ ...m, anonymous: m.type === 'volume' && isAnonymousVolumeName(m.name ?? '') })),
      { home: os.homedir(), ...(this.daemon.isLocal ? { exists: (p: string) => fs.existsSync(p) } : {}) },
    );
  }

  getTreeItem(element: MountsNode): vscode.TreeItem {
    return element;
  }

  async getChildren(element?: MountsNode): Promise<MountsNode[]> {
    if (!element) {
      await this.model.ensureLoaded();
      return this.model.containers
        .map((c) => ({ ...c, running: c.state === 'running' }))
        .sort((a, b) => Number(b.running) - Number(a.running) || a.name.localeCompare(b.name))
        .map((c) => new ContainerNode(c, this.warningsFor(c.mounts)));
    }
    if (element instanceof ContainerNode) {
      const details = await this.daemon
        .use((client) => client.inspectContainer(element.container.id))
        .catch(() => undefined);
      const mounts: DetailedMount[] = details?.mounts ?? element.container.mounts;
      const inherited = new Map<string, string>();
      for (const from of details?.volumesFrom ?? []) {
        const name = from.split(':')[0]!;
        const source = this.model.containers.find((c) => c.name === name || c.id.startsWith(name));
        for (const m of source?.mounts ?? []) inherited.set(m.destination, source!.name);
      }
      return mounts
        .sort((a, b) => a.destination.localeCompare(b.destination))
        .map((m) => new MountNode(element.container, m, this.warningsFor([m]), inherited.get(m.destination)));
    }
    return [];
  }
}
