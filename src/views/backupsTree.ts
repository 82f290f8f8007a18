import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import { CONTEXT_VALUES } from '../constants';
import {
  configuredBackupFolder,
  listRestorable,
  scheduledBackupFolder,
  withoutManifestText,
} from '../services/backupFolder';
import type { RestorableFile } from '../docker/backupFolderScan';
import { workspaceTrusted } from '../services/workspaceTrust';
import { countText, entriesText, sizeText } from '../messages';

export type BackupsNode = BackupVolumeNode | BackupNode;

export class BackupVolumeNode extends vscode.TreeItem {
  readonly nodeType = 'backupVolume';
  constructor(
    /** Undefined: the group of archives and dumps whose file name names no volume (copied, or made with the CLI). */
    readonly volume: string | undefined,
    readonly backups: RestorableFile[],
  ) {
    super(volume ?? vscode.l10n.t('Other archives and dumps'), vscode.TreeItemCollapsibleState.Expanded);
    this.id = volume === undefined ? 'backups:other' : `backups:${volume}`;
    const n = backups.length;
    this.description = countText(n, vscode.l10n.t('{0} backup', n), vscode.l10n.t('{0} backups', n));
    this.iconPath = new vscode.ThemeIcon('database');
    this.contextValue = CONTEXT_VALUES.backupVolume;
  }
}

export class BackupNode extends vscode.TreeItem {
  readonly nodeType = 'backup';
  constructor(
    readonly backup: RestorableFile,
    verified: boolean | undefined,
  ) {
    // A file named otherwise has no date in its name: its name tells it apart.
    super(
      backup.volume === undefined ? path.basename(backup.file) : backup.date.toLocaleString(),
      vscode.TreeItemCollapsibleState.None,
    );
    this.id = `backup:${backup.file}`;
    const state =
      verified === true
        ? vscode.l10n.t('verified')
        : verified === false
          ? vscode.l10n.t('damaged')
          : backup.manifest
            ? vscode.l10n.t('not verified yet')
            : vscode.l10n.t('no manifest');
    this.description = `${sizeText(backup.bytes)} · ${state}`;
    const dump = backup.kind === 'dump';
    if (dump) this.description = `${backup.manifest?.database?.product ?? 'SQL'} · ${this.description}`;
    this.iconPath = new vscode.ThemeIcon(
      verified === true ? 'pass' : verified === false ? 'error' : dump ? 'file-code' : 'archive',
      verified === false ? new vscode.ThemeColor('errorForeground') : undefined,
    );
    this.contextValue = CONTEXT_VALUES.backup;
    this.resourceUri = vscode.Uri.file(backup.file);
    const md = new vscode.MarkdownString(`**${path.basename(backup.file)}**\n\n`);
    const { manifest } = backup;
    if (manifest) {
      const { database } = manifest;
      const contents = database
        ? vscode.l10n.t(
            '{0} dump of the container {1} ({2}), {3} of SQL',
            database.product,
            database.container,
            database.image,
            sizeText(manifest.bytes),
          )
        : vscode.l10n.t('{0}, {1} of data', entriesText(manifest.files), sizeText(manifest.bytes));
      md.appendMarkdown(`${contents}\n\n`);
      md.appendMarkdown(`sha256 \`${manifest.sha256.slice(0, 16)}…\` · Docker ${manifest.engineVersion}\n\n`);
    } else {
      md.appendMarkdown(withoutManifestText(backup.kind));
    }
    this.tooltip = md;
  }
}

/**
 * The Backups view: backup files in the backup folder and in the scheduled backups' folder when it is another,
 * grouped by volume, newest first.
 */
export class BackupsTreeProvider extends Disposable implements vscode.TreeDataProvider<BackupsNode> {
  private readonly changed = this.register(new vscode.EventEmitter<BackupsNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  /** Verification results of this session, by file. */
  private readonly verified = new Map<string, boolean>();
  private watcher: vscode.FileSystemWatcher | undefined;
  private watchedFolder: string | undefined;
  private view: vscode.TreeView<BackupsNode> | undefined;

  /** The view's title names the folder in use: where the welcome content says backups go. */
  attach(view: vscode.TreeView<BackupsNode>): void {
    this.view = view;
    this.updateHeader();
  }

  constructor(
    /** Where scheduled backups go when the user's settings name no backup folder. */
    private readonly scheduledBackupDefault: string,
  ) {
    super();
  }

  refresh(): void {
    this.watch();
    this.updateHeader();
    this.changed.fire(undefined);
  }

  private updateHeader(): void {
    if (!this.view) return;
    const folder = configuredBackupFolder();
    const home = os.homedir();
    this.view.description = folder
      ? folder === home || folder.startsWith(home + path.sep)
        ? `~${folder.slice(home.length)}`
        : folder
      : workspaceTrusted()
        ? vscode.l10n.t('no backup folder: set volumesLab.backup.folder')
        : vscode.l10n.t('backup folder not read in Restricted Mode');
  }

  markVerified(file: string, ok: boolean): void {
    this.verified.set(file, ok);
    this.changed.fire(undefined);
  }

  private watch(): void {
    const folder = configuredBackupFolder();
    if (folder === this.watchedFolder) return;
    this.watcher?.dispose();
    this.watchedFolder = folder;
    if (!folder) return;
    // Every ending Restore takes, and the manifests: a manifest written after its archive turns "no manifest" off.
    this.watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(folder), '*.{tar.gz,tgz,sql.gz,tar.gz.json,tgz.json,sql.gz.json}'),
    );
    const update = () => this.changed.fire(undefined);
    this.watcher.onDidCreate(update);
    this.watcher.onDidDelete(update);
  }

  getTreeItem(element: BackupsNode): vscode.TreeItem {
    return element;
  }

  getChildren(element?: BackupsNode): BackupsNode[] {
    this.watch();
    if (element instanceof BackupVolumeNode)
      return element.backups.map((b) => new BackupNode(b, this.verified.get(b.file)));
    if (element) return [];
    const byVolume = new Map<string | undefined, RestorableFile[]>();
    const folders = new Set([configuredBackupFolder(), scheduledBackupFolder(this.scheduledBackupDefault)]);
    const backups = [...folders].flatMap((folder) => listRestorable(folder));
    for (const b of backups.sort((a, b) => b.date.getTime() - a.date.getTime()))
      byVolume.set(b.volume, [...(byVolume.get(b.volume) ?? []), b]);
    const named = [...byVolume.keys()].filter((v): v is string => v !== undefined).sort();
    // Files that name no volume come last, in one group.
    return [...named, ...(byVolume.has(undefined) ? [undefined] : [])].map(
      (v) => new BackupVolumeNode(v, byVolume.get(v)!),
    );
  }

  override dispose(): void {
    // Replaced when the folder setting changes, so owned apart from what register() holds.
    this.watcher?.dispose();
    super.dispose();
  }
}
