/** The rows of the Volumes view: groups, volumes (with their tooltip), the containers using one, its files. */
import * as vscode from 'vscode';
import { settings } from '../services/settings';
import { CONTEXT_VALUES } from '../constants';
import type { CliTarget } from '../core/cli';
import { volumeShellLines } from '../core/cliActions';
import { displayVolumeName } from '../core/naming';
import { maskSecrets } from '../core/networkVolumes';
import {
  COMPOSE_PROJECT_LABEL,
  COMPOSE_VOLUME_LABEL,
  isUnused,
  type VolumeGroup,
  type VolumeRow,
  type VolumeUse,
} from '../core/volumeModel';
import { volumeUri } from './volumeFileSystem';
import type { CourseItem } from './volumesHeader';
import { containersText, sizeText } from '../messages';

export type VolumesNode = CourseItem | GroupItem | VolumeItem | UsageItem | FilesItem | EntryItem;

function rowSizeText(row: VolumeRow): string | undefined {
  if (row.size === undefined) return undefined;
  return row.size < 0 ? vscode.l10n.t('size n/a') : sizeText(row.size);
}

export class GroupItem extends vscode.TreeItem {
  readonly nodeType = 'group';
  constructor(readonly group: VolumeGroup) {
    super(groupLabel(group), vscode.TreeItemCollapsibleState.Expanded);
    this.id = `group:${group.kind}:${group.key}`;
    const count = group.rows.length;
    this.description =
      group.kind === 'unused' && group.reclaimable > 0
        ? vscode.l10n.t('{0} · {1} reclaimable', count, sizeText(group.reclaimable))
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
  constructor(readonly row: VolumeRow) {
    super(displayVolumeName(row.volume.name), vscode.TreeItemCollapsibleState.Collapsed);
    const { volume } = row;
    this.id = `volume:${volume.name}`;
    const usage = isUnused(row)
      ? vscode.l10n.t('unused')
      : vscode.l10n.t('used by {0}', containersText(row.users.length));
    const parts = [volume.anonymous ? vscode.l10n.t('anonymous') : undefined, rowSizeText(row), usage].filter(Boolean);
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

/** Built when the row is hovered (`resolveTreeItem`), not for each of a thousand rows on every render. */
export function volumeTooltip(row: VolumeRow, cliTarget: CliTarget): vscode.MarkdownString {
  const { volume } = row;
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${volume.name}**${volume.anonymous ? ` — ${vscode.l10n.t('anonymous')}` : ''}\n\n`);
  const size = rowSizeText(row);
  const driverFacts = [
    `${vscode.l10n.t('Driver')}: ${code(volume.driver)}`,
    `${vscode.l10n.t('Scope')}: ${code(volume.scope)}`,
    ...(size ? [`${vscode.l10n.t('Size')}: ${size}`] : []),
  ];
  md.appendMarkdown(`${driverFacts.join(' · ')}\n\n`);
  if (volume.mountpoint) md.appendMarkdown(`${vscode.l10n.t('Mountpoint')}: ${code(volume.mountpoint)}\n\n`);
  if (volume.createdAt)
    md.appendMarkdown(`${vscode.l10n.t('Created')}: ${new Date(volume.createdAt).toLocaleString()}\n\n`);
  if (row.composeProject) {
    const composeFacts = [
      `${vscode.l10n.t('Compose project')}: **${row.composeProject}**`,
      ...(row.composeVolume ? [`${vscode.l10n.t('volume key')}: ${code(row.composeVolume)}`] : []),
    ];
    md.appendMarkdown(`${composeFacts.join(' · ')}\n\n`);
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
      const state = use.running ? vscode.l10n.t('running') : use.state;
      const access = use.readOnly ? 'ro' : 'rw';
      md.appendMarkdown(`- **${use.containerName}** (${state}) → ${code(use.destination)} ${access}\n`);
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
