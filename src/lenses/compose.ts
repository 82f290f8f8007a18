/** The compose file's CodeLenses: each volume entry's state on the daemon and what can be done about it. */
import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import { settings } from '../services/settings';
import { COMMANDS, SETTINGS } from '../constants';
import { entryHint, topLevelStateText } from '../core/hints';
import type { DaemonService } from '../services/daemonService';
import type { VolumesModel } from '../services/volumesModel';

import { bindSourceIsFile, daemonStates, rangeOf, type ComposeDocumentAnalysis } from './composeDocuments';

export class ComposeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly documents: ComposeDocumentAnalysis,
    private readonly daemon: DaemonService,
    private readonly model: VolumesModel,
  ) {
    super();
    this.register(
      model.onDidChange(() => this.changed.fire()),
      daemon.onDidChangeState(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS.section)) this.changed.fire();
      }),
    );
  }

  /** Asks VS Code for the lenses again (an analysis finished off the main thread). */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!settings.lensesEnabled()) return [];
    const analysis = this.documents.analysis(doc);
    const lenses: vscode.CodeLens[] = [];
    const reachable = this.daemon.state.kind === 'reachable';
    if (reachable) await this.model.ensureLoaded();
    else {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
          title: vscode.l10n.t('$(warning) Docker unreachable: live volume state unavailable'),
          command: COMMANDS.retryConnection,
        }),
      );
    }
    const states = daemonStates(this.model.rows);
    for (const v of analysis.topLevel) {
      const range = rangeOf(doc, v.range);
      if (reachable) {
        const state = states.get(v.daemonName);
        lenses.push(
          new vscode.CodeLens(range, {
            title: this.documents.shownText(doc, topLevelStateText(v, state, vscode.l10n, vscode.env.language)),
            command: state ? COMMANDS.revealVolume : '',
            arguments: [v.daemonName],
          }),
        );
        if (!state) {
          lenses.push(
            new vscode.CodeLens(range, {
              // The file's driver is named before the click: a plugin driver decides where the data goes.
              title:
                (v.external ? vscode.l10n.t('Create External Volume') : vscode.l10n.t('Create')) +
                (v.driver && v.driver !== 'local' ? ` ${vscode.l10n.t('(driver {0})', v.driver)}` : ''),
              command: COMMANDS.createVolume,
              arguments: [
                {
                  name: v.daemonName,
                  ...(v.driver ? { driver: v.driver } : {}),
                  labels: v.external
                    ? {}
                    : { 'com.docker.compose.project': analysis.projectName, 'com.docker.compose.volume': v.key },
                },
              ],
            }),
          );
        } else {
          lenses.push(
            new vscode.CodeLens(range, {
              title: vscode.l10n.t('Back Up'),
              command: COMMANDS.backupVolume,
              arguments: [{ volume: v.daemonName }],
            }),
            new vscode.CodeLens(range, {
              title: vscode.l10n.t('Browse'),
              command: COMMANDS.revealVolume,
              arguments: [v.daemonName],
            }),
            new vscode.CodeLens(range, {
              title: vscode.l10n.t('Inspect'),
              command: COMMANDS.inspectVolume,
              arguments: [v.daemonName],
            }),
          );
        }
      }
    }
    // A line shared through an anchor holds one entry per service: one lens, naming them all.
    const shown = new Set<string>();
    const local = this.daemon.isLocal;
    for (const e of analysis.entries) {
      const at = `${e.range[0]}:${e.range[1]}`;
      if (shown.has(at)) continue;
      shown.add(at);
      const isFile = bindSourceIsFile(doc, e, local);
      lenses.push(
        new vscode.CodeLens(rangeOf(doc, e.range), {
          title: this.documents.shownText(doc, entryHint(e, analysis.projectName, vscode.l10n, isFile)),
          command: '',
        }),
      );
    }
    return lenses;
  }
}
