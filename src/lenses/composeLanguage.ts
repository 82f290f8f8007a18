import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ComposeAnalysis } from '../core/compose';
import {
  completionSpot,
  DRIVER_OPTS_SNIPPETS,
  hostPathPrefix,
  LONG_KEYS,
  LONG_TYPES,
  MOUNT_OPTIONS,
  TOP_LEVEL_KEYS,
} from '../core/composeCompletion';
import {
  bindSources,
  convertSyntax,
  definitionAt,
  referencesAt,
  renameVolume,
  volumeKeyAt,
} from '../core/composeNavigation';
import { declareVolumeEdit } from '../core/composeEdits';
import { topLevelStateText } from '../core/hints';
import type { DaemonService } from '../services/daemonService';
import type { VolumesModel } from '../services/volumesModel';
import { daemonStates, hostPathOf, rangeOf, statBindSource, type ComposeDocumentAnalysis } from './composeDocuments';
import { isNetworkPath } from '../core/networkPath';
import { showNotice, sizeText } from '../messages';

/** Completion of volume lines: declared and daemon volumes (size, users), host paths, options, long-syntax keys. */
export class ComposeCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = [':', ',', '/', ' '];

  constructor(
    private readonly documents: ComposeDocumentAnalysis,
    private readonly daemon: DaemonService,
    private readonly model: VolumesModel,
  ) {}

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const offset = doc.offsetAt(position);
    const spot = completionSpot(doc.getText(), offset);
    if (!spot) return [];
    const replace = new vscode.Range(doc.positionAt(spot.start), position);
    const item = (label: string, kind: vscode.CompletionItemKind, detail?: string) => {
      const i = new vscode.CompletionItem(label, kind);
      i.range = replace;
      if (detail) i.detail = detail;
      return i;
    };
    switch (spot.kind) {
      case 'shortField':
        if (spot.field === 2)
          return MOUNT_OPTIONS.map((o) => item(o, vscode.CompletionItemKind.EnumMember, optionDetail(o)));
        if (spot.field === 1) return [];
        return hostPathPrefix(spot.typed) ? this.hostPaths(doc, spot.typed, replace) : this.volumes(doc, replace);
      case 'longValue':
        return spot.key === 'type'
          ? LONG_TYPES.map((t) => item(t, vscode.CompletionItemKind.EnumMember))
          : this.volumes(doc, replace);
      case 'longKey':
        return LONG_KEYS[spot.under].map((k) => {
          const i = item(k, vscode.CompletionItemKind.Property);
          i.insertText = `${k}: `;
          return i;
        });
      case 'topLevelKey':
        return [
          ...TOP_LEVEL_KEYS.map((k) => {
            const i = item(k, vscode.CompletionItemKind.Property);
            i.insertText = k === 'driver_opts' || k === 'labels' ? `${k}:\n  ` : `${k}: `;
            return i;
          }),
          ...(['nfs', 'cifs'] as const).map((fsType) => {
            const i = item(
              `driver_opts (${fsType.toUpperCase()})`,
              vscode.CompletionItemKind.Snippet,
              vscode.l10n.t('A volume on a {0} share, mounted by the local driver', fsType.toUpperCase()),
            );
            i.insertText = new vscode.SnippetString(DRIVER_OPTS_SNIPPETS[fsType]);
            i.filterText = 'driver_opts';
            return i;
          }),
        ];
    }
  }

  /** Declared keys first (with the live state of the volume they name), then other volumes of the daemon. */
  private volumes(doc: vscode.TextDocument, replace: vscode.Range): vscode.CompletionItem[] {
    const analysis = this.documents.analysis(doc);
    const rows = this.daemon.state.kind === 'reachable' && this.model.loaded ? this.model.rows : [];
    const states = daemonStates(rows);
    const items = analysis.topLevel.map((v) => {
      const i = new vscode.CompletionItem(
        { label: v.key, description: v.daemonName },
        vscode.CompletionItemKind.Variable,
      );
      i.range = replace;
      i.detail = topLevelStateText(v, states.get(v.daemonName), vscode.l10n);
      i.sortText = `0${v.key}`;
      return i;
    });
    const declaredNames = new Set(analysis.topLevel.map((v) => v.daemonName));
    for (const row of rows.filter(
      (r) => !declaredNames.has(r.volume.name) && !analysis.topLevel.some((v) => v.key === r.volume.name),
    )) {
      const i = new vscode.CompletionItem(
        { label: row.volume.name, description: vscode.l10n.t('on the daemon') },
        vscode.CompletionItemKind.Value,
      );
      i.range = replace;
      const users = row.users.map((u) => u.containerName);
      i.detail = [
        ...(row.size !== undefined && row.size >= 0 ? [sizeText(row.size)] : []),
        users.length ? vscode.l10n.t('used by {0}', users.join(', ')) : vscode.l10n.t('unused'),
      ].join(' · ');
      i.documentation = vscode.l10n.t('Declared as external: Compose uses this volume as it is, under its own name.');
      // Used as is, the key would become <project>_<name>: declare it external so Compose mounts this very volume.
      i.additionalTextEdits = [externalDeclaration(doc, row.volume.name)];
      i.sortText = `1${row.volume.name}`;
      items.push(i);
    }
    return items;
  }

  private hostPaths(doc: vscode.TextDocument, typed: string, replace: vscode.Range): vscode.CompletionItem[] {
    const { folder, prefix } = hostPathPrefix(typed)!;
    const dir = hostPathOf(doc, folder);
    if (isNetworkPath(folder) || isNetworkPath(dir)) return [];
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true }).slice(0, 500);
    } catch {
      return [];
    }
    return names
      .filter(
        (d) => d.name.startsWith(prefix) && (prefix.startsWith('.') || !d.name.startsWith('.') || d.name === '.env'),
      )
      .map((d) => {
        const isDir = d.isDirectory();
        const i = new vscode.CompletionItem(
          `${folder}${d.name}${isDir ? '/' : ''}`,
          isDir ? vscode.CompletionItemKind.Folder : vscode.CompletionItemKind.File,
        );
        i.range = replace;
        if (isDir) i.command = { command: 'editor.action.triggerSuggest', title: '' };
        return i;
      });
  }
}

function optionDetail(option: (typeof MOUNT_OPTIONS)[number]): string {
  switch (option) {
    case 'ro':
      return vscode.l10n.t('read-only in the container');
    case 'rw':
      return vscode.l10n.t('read-write (the default)');
    case 'z':
      return vscode.l10n.t('SELinux: relabel, shared between containers');
    case 'Z':
      return vscode.l10n.t('SELinux: relabel, private to this container');
    case 'nocopy':
      return vscode.l10n.t("do not copy the image's files into a new volume");
  }
}

/** `name:\n  external: true` under the top-level volumes (after the key `volumes:`, or a new one at the end). */
function externalDeclaration(doc: vscode.TextDocument, name: string): vscode.TextEdit {
  const edit = declareVolumeEdit(doc.getText(), name, ['external: true']);
  return vscode.TextEdit.replace(rangeOf(doc, edit.range), edit.newText);
}

/** Definition, references, rename and links of volumes, all from the same analysis as the lenses. */
export class ComposeNavigationProvider
  implements vscode.DefinitionProvider, vscode.ReferenceProvider, vscode.RenameProvider, vscode.DocumentLinkProvider
{
  /** The daemon's volumes, to say when a rename leaves data behind. */
  constructor(
    private readonly documents: ComposeDocumentAnalysis,
    private readonly model?: VolumesModel,
  ) {}

  provideDefinition(doc: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    const analysis = this.documents.analysis(doc);
    const declared = definitionAt(analysis, doc.offsetAt(position));
    return declared ? new vscode.Location(doc.uri, rangeOf(doc, declared.range)) : undefined;
  }

  provideReferences(
    doc: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.ReferenceContext,
  ): vscode.Location[] {
    return referencesAt(this.documents.analysis(doc), doc.offsetAt(position), context.includeDeclaration).map(
      (r) => new vscode.Location(doc.uri, rangeOf(doc, r)),
    );
  }

  prepareRename(doc: vscode.TextDocument, position: vscode.Position): { range: vscode.Range; placeholder: string } {
    const analysis = this.documents.analysis(doc);
    const at = volumeKeyAt(analysis, doc.offsetAt(position));
    if (!at || !analysis.topLevel.some((v) => v.key === at.key))
      throw new Error(vscode.l10n.t('Only a declared named volume can be renamed here: a bind names a host path.'));
    return { range: rangeOf(doc, at.range), placeholder: at.key };
  }

  provideRenameEdits(doc: vscode.TextDocument, position: vscode.Position, newName: string): vscode.WorkspaceEdit {
    const analysis = this.documents.analysis(doc);
    const result = renameVolume(analysis, doc.offsetAt(position), newName);
    if ('error' in result) {
      throw new Error(
        result.error === 'invalidName'
          ? vscode.l10n.t(
              '"{0}" cannot name a volume: letters, digits, "_", "." and "-", starting with a letter or digit.',
              newName,
            )
          : result.error === 'taken'
            ? vscode.l10n.t('A volume "{0}" is already declared in this file.', newName)
            : vscode.l10n.t('Only a declared named volume can be renamed here: a bind names a host path.'),
      );
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits) edit.replace(doc.uri, rangeOf(doc, e.range), e.newText);
    this.warnOfDataLeftBehind(analysis, doc.offsetAt(position), newName);
    return edit;
  }

  /** A key without `name:` is part of the daemon's name: the renamed key points at another, empty volume. */
  private warnOfDataLeftBehind(analysis: ComposeAnalysis, offset: number, newKey: string): void {
    const volume = analysis.topLevel.find((v) => v.key === volumeKeyAt(analysis, offset)?.key);
    if (!volume || volume.key === newKey) return;
    const renamed =
      volume.external && volume.daemonName === volume.key
        ? newKey
        : volume.daemonName === `${analysis.projectName}_${volume.key}`
          ? `${analysis.projectName}_${newKey}`
          : undefined;
    if (!renamed || !this.model?.volumes.some((v) => v.name === volume.daemonName)) return;
    void showNotice(
      'warning',
      vscode.l10n.t(
        'After this rename, Compose uses the volume {0} instead of {1}, and the data in {1} stays there. To keep using it, add "name: {1}" under {2}.',
        renamed,
        volume.daemonName,
        newKey,
      ),
    );
  }

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    for (const b of bindSources(this.documents.analysis(doc))) {
      const found = statBindSource(doc, b.source);
      if (!found) continue;
      const { hostPath, stat } = found;
      const uri = vscode.Uri.file(hostPath);
      const link = new vscode.DocumentLink(
        rangeOf(doc, b.range),
        stat.isDirectory()
          ? vscode.Uri.parse(`command:revealInExplorer?${encodeURIComponent(JSON.stringify([uri]))}`)
          : uri,
      );
      link.tooltip = stat.isDirectory()
        ? vscode.l10n.t('Reveal the folder {0}', hostPath)
        : vscode.l10n.t('Open {0}', hostPath);
      links.push(link);
    }
    return links;
  }
}

/** Converts the entry under the cursor to the other syntax, when nothing is lost. */
export class ComposeSyntaxActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.RefactorRewrite];

  constructor(private readonly documents: ComposeDocumentAnalysis) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range): vscode.CodeAction[] {
    const offset = doc.offsetAt(range.start);
    const entry = this.documents.analysis(doc).entries.find((e) => e.range[0] <= offset && offset <= e.range[1]);
    const edit = entry && convertSyntax(doc.getText(), entry);
    if (!entry || !edit) return [];
    const action = new vscode.CodeAction(
      entry.syntax === 'short' ? vscode.l10n.t('Convert to long syntax') : vscode.l10n.t('Convert to short syntax'),
      vscode.CodeActionKind.RefactorRewrite,
    );
    action.edit = new vscode.WorkspaceEdit();
    action.edit.replace(doc.uri, rangeOf(doc, edit.range), edit.newText);
    return [action];
  }
}
