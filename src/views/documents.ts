import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import { diskUsageLine } from '../core/cliActions';
import { displayVolumeName } from '../core/naming';
import { maskSecrets } from '../core/networkVolumes';
import { isUnused } from '../core/volumeModel';
import { isNotFound } from '../docker/errors';
import type { DiskUsage, UsageTotals } from '../core/engineTypes';
import type { DaemonService } from '../services/daemonService';
import type { VolumesModel } from '../services/volumesModel';
import { sizeText } from '../messages';

/** Read-only documents made from the daemon's state: volume inspections and the disk-usage report. */
export const REPORT_SCHEME = 'docker-volumes-lab';

export function inspectUri(volume: string): vscode.Uri {
  return vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/inspect/${volume}.jsonc` });
}
const DISK_USAGE_PATH = '/disk-usage.md';

export function diskUsageUri(): vscode.Uri {
  return vscode.Uri.from({ scheme: REPORT_SCHEME, path: DISK_USAGE_PATH });
}

export class DaemonDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly emitter = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly daemon: DaemonService,
    private readonly model: VolumesModel,
  ) {
    super();
  }

  /** Asks VS Code to read a document again (it calls provideTextDocumentContent). */
  refresh(uri: vscode.Uri): void {
    this.emitter.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (uri.path === DISK_USAGE_PATH) return this.diskUsageReport();
    const inspect = /^\/inspect\/(.+)\.jsonc$/.exec(uri.path);
    if (inspect) return this.inspection(inspect[1]!);
    return '';
  }

  private async inspection(name: string): Promise<string> {
    const asOf = new Date().toLocaleString();
    const header = `// ${vscode.l10n.t('Read-only: docker volume inspect {0}, as of {1}', name, asOf)}\n`;
    try {
      const raw = await this.daemon.use((client) => client.inspectVolume(name));
      const row = this.model.row(name);
      const users =
        row?.users.map((u) => ({
          container: u.containerName,
          destination: u.destination,
          readOnly: u.readOnly,
          running: u.running,
        })) ?? [];
      return `${header}${JSON.stringify(
        {
          Name: raw.name,
          Driver: raw.driver,
          Scope: raw.scope,
          Mountpoint: raw.mountpoint,
          CreatedAt: raw.createdAt,
          Labels: raw.labels,
          Options: maskSecrets(raw.options),
          UsedBy: users,
          ...(row?.size !== undefined ? { SizeBytes: row.size } : {}),
        },
        null,
        2,
      )}\n`;
    } catch (err) {
      if (isNotFound(err)) {
        const gone = vscode.l10n.t(
          'Volume {0} no longer exists on this daemon: it was removed after this document was opened.',
          name,
        );
        return `${header}// ${gone}\n{}\n`;
      }
      throw err;
    }
  }

  private async diskUsageReport(): Promise<string> {
    const usage: DiskUsage = await this.daemon.use((client) => client.diskUsage());
    await this.model.ensureLoaded();
    const bar = (part: number, whole: number) => {
      const width = 20;
      const filled = whole > 0 ? Math.round((part / whole) * width) : 0;
      return `\`${'█'.repeat(filled)}${'░'.repeat(width - filled)}\``;
    };
    const cells = (u: UsageTotals) => [u.count, u.active, sizeText(u.size), sizeText(u.reclaimable)];
    const row = (label: string, u: UsageTotals) =>
      `| ${[label, ...cells(u), bar(u.reclaimable, u.size)].join(' | ')} |`;
    const headings = [
      vscode.l10n.t('Type'),
      vscode.l10n.t('Total'),
      vscode.l10n.t('In use'),
      vscode.l10n.t('Size'),
      vscode.l10n.t('Reclaimable'),
    ];
    const lines = [
      `# ${vscode.l10n.t('Docker disk usage')}`,
      '',
      vscode.l10n.t('What `docker system df` reports, on {0}.', this.daemon.endpoint?.host ?? ''),
      '',
      `| ${headings.join(' | ')} | |`,
      '| --- | ---: | ---: | ---: | ---: | --- |',
      row(vscode.l10n.t('Images'), usage.images),
      row(vscode.l10n.t('Containers'), usage.containers),
      row(vscode.l10n.t('Local volumes'), usage.volumes),
      row(vscode.l10n.t('Build cache'), usage.buildCache),
      '',
      `## ${vscode.l10n.t('Largest volumes')}`,
      '',
      `| ${vscode.l10n.t('Volume')} | ${vscode.l10n.t('Size')} | ${vscode.l10n.t('Used by')} |`,
      '| --- | ---: | --- |',
    ];
    const volumes = Object.entries(usage.volumeSizes)
      .sort((a, b) => b[1].size - a[1].size)
      .slice(0, 15);
    for (const [name, v] of volumes) {
      const users = this.model
        .row(name)
        ?.users.map((u) => u.containerName)
        .join(', ');
      const unused = this.model.row(name) ? isUnused(this.model.row(name)!) : v.refCount === 0;
      const use = users || (unused ? `*${vscode.l10n.t('unused')}*` : '');
      lines.push(`| ${displayVolumeName(name)} | ${sizeText(v.size)} | ${use} |`);
    }
    if (!volumes.length) lines.push(`| *${vscode.l10n.t('no volumes')}* | | |`);
    lines.push(
      '',
      `${vscode.l10n.t('The same from a terminal')}:`,
      '',
      '```sh',
      diskUsageLine(false, this.daemon.cliTarget),
      diskUsageLine(true, this.daemon.cliTarget),
      '```',
      '',
      vscode.l10n.t(
        'Reclaimable space belongs to what no container uses: unused images, stopped containers, unused volumes and build cache. The Prune Unused Volumes command shows exactly which volumes would go before removing anything.',
      ),
    );
    return `${lines.join('\n')}\n`;
  }
}

export async function showInspectDocument(documents: DaemonDocuments, name: string): Promise<vscode.TextDocument> {
  const uri = inspectUri(name);
  documents.refresh(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc;
}
