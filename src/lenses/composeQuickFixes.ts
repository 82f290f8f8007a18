import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import { realPlacement } from '../core/pathConfinement';
import { OFF_THREAD_BYTES } from '../core/aliasScan';
import { isNetworkPath } from '../core/networkPath';
import { declareVolumeEdit, freshVolumeKey, mountNamedVolumeEdits } from '../core/composeEdits';
import { unpersistedDataPath } from '../core/hints';
import { ImageVolumeCache } from './composeImages';

import { applyTo, rangeOf, type ComposeDocumentAnalysis } from './composeDocuments';

/** Quick fixes offered for one line an anchor shares between services (each one re-parses the document). */
export const MAX_FIXES_PER_LINE = 10;

/** A quick fix for one diagnostic. */
function quickFix(diagnostic: vscode.Diagnostic, title: string): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  return action;
}

/** An edit that rewrites a short-syntax entry with `change`, inside its quotes when it is quoted (`"db:/data"`). */
function rewriteShortEntry(
  doc: vscode.TextDocument,
  range: vscode.Range,
  change: (text: string) => string,
): vscode.WorkspaceEdit {
  const raw = doc.getText(range);
  const quoted = /^(['"])(.*)\1$/.exec(raw);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, range, quoted ? `${quoted[1]}${change(quoted[2]!)}${quoted[1]}` : change(raw));
  return edit;
}

/** Quick fixes for the compose problems (composeDiagnostics.ts) that have one obvious repair. */
export class ComposeQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly documents: ComposeDocumentAnalysis,
    private readonly images: ImageVolumeCache,
  ) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const analysis = this.documents.analysis(doc);
    const declare = (edit: vscode.WorkspaceEdit, key: string) =>
      applyTo(edit, doc, [declareVolumeEdit(doc.getText(), key)]);
    for (const d of context.diagnostics.filter((x) => x.source === 'Docker Volumes')) {
      const entry = analysis.entries.find((e) => rangeOf(doc, e.range).isEqual(d.range));
      if (d.code === 'undeclaredVolume' && entry?.source) {
        const action = quickFix(d, vscode.l10n.t('Declare volume "{0}" under volumes:', entry.source));
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        declare(action.edit, entry.source);
        actions.push(action);
      }
      if (d.code === 'anonymousVolume' && entry?.syntax === 'short') {
        const key = freshVolumeKey(analysis, entry.service, path.posix.basename(entry.target) || 'data');
        const action = quickFix(d, vscode.l10n.t('Name it "{0}" (and declare it)', key));
        action.edit = rewriteShortEntry(doc, d.range, (text) => `${key}:${text}`);
        declare(action.edit, key);
        actions.push(action);
      }
      // Each fix parses the document again: none for a file big enough for the worker, a few per shared line.
      if (d.code === 'statefulWithoutVolume' && doc.getText().length <= OFF_THREAD_BYTES) {
        // One image line may serve several services (an anchor): a fix for each service that needs one.
        const sharing = analysis.services.filter((x) => rangeOf(doc, x.range).isEqual(d.range));
        for (const service of sharing.slice(0, MAX_FIXES_PER_LINE)) {
          const lost = unpersistedDataPath(analysis, service, { imageVolumes: (image) => this.images.volumes(image) });
          const key = freshVolumeKey(analysis, service.name);
          const edits = lost && mountNamedVolumeEdits(doc.getText(), analysis, service.name, lost.dataPath, key);
          if (!lost || !edits) continue;
          const action = quickFix(
            d,
            vscode.l10n.t('Keep {0} in a named volume "{1}" (and declare it)', lost.dataPath, key),
          );
          action.isPreferred = true;
          action.edit = new vscode.WorkspaceEdit();
          applyTo(action.edit, doc, edits);
          actions.push(action);
        }
      }
      if (d.code === 'missingBindSource' && entry?.source && !isNetworkPath(entry.source)) {
        const written = path.resolve(path.dirname(doc.uri.fsPath), entry.source.replace(/^~/, os.homedir()));
        // Judged by where the folder would really be made: a committed symlink on the way may lead anywhere.
        const roots = [
          path.dirname(doc.uri.fsPath),
          ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
        ];
        const { real, inside } = realPlacement(written, roots, fs.realpathSync);
        // A compose file may name any host path: one outside the workspace is named in full and previewed first.
        const title = inside
          ? vscode.l10n.t('Create the folder {0}', entry.source)
          : real === written
            ? vscode.l10n.t('Create the folder {0} (outside the workspace)', real)
            : vscode.l10n.t('Create the folder {0} (outside the workspace, through {1})', real, entry.source);
        const action = quickFix(d, title);
        action.edit = new vscode.WorkspaceEdit();
        // A workspace edit creates files, not folders: a .gitkeep makes the folder, and keeps it in git. Named by
        // its real path, so that the preview shows where it goes.
        action.edit.createFile(
          vscode.Uri.file(path.join(inside ? written : real, '.gitkeep')),
          { ignoreIfExists: true },
          inside ? undefined : { label: title, needsConfirmation: true },
        );
        actions.push(action);
      }
      if (d.code === 'missingExternalVolume') {
        const volume = analysis.topLevel.find((v) => rangeOf(doc, v.range).isEqual(d.range));
        if (volume) {
          const action = quickFix(d, vscode.l10n.t('Create the external volume {0}', volume.daemonName));
          action.command = {
            command: COMMANDS.createVolume,
            title: action.title,
            arguments: [{ name: volume.daemonName }],
          };
          actions.push(action);
        }
      }
      if (
        (d.code === 'sensitiveBind' || d.code === 'dockerSocketBind') &&
        entry?.syntax === 'short' &&
        !entry.readOnly
      ) {
        const action = quickFix(d, vscode.l10n.t('Make this bind read-only (:ro)'));
        action.edit = rewriteShortEntry(doc, d.range, (text) => `${text}:ro`);
        actions.push(action);
      }
    }
    return actions;
  }
}
