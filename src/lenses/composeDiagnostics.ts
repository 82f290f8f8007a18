/** The compose file's problems as diagnostics, and the hover on a volume entry. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import {
  composeProblems,
  entryAsMountFlag,
  entryDaemonName,
  entryHint,
  topLevelStateText,
  type ProblemSeverity,
} from '../core/hints';
import { daemonVolumeState } from '../core/volumeModel';
import { ImageVolumeCache } from './composeImages';
import type { DaemonService } from '../services/daemonService';
import type { VolumesModel } from '../services/volumesModel';
import {
  bindSourceIsFile,
  hostPathOf,
  isComposeDocument,
  NOT_ANALYSED_PREFIX,
  rangeOf,
  type ComposeDocumentAnalysis,
} from './composeDocuments';

const SEVERITY: Record<ProblemSeverity, vscode.DiagnosticSeverity> = {
  error: 0,
  warning: 1,
  information: 2,
  hint: 3,
};

/** Diagnostics (source "Docker Volumes") for open compose files, kept current with edits and the daemon. */
export class ComposeDiagnostics extends Disposable {
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('Docker Volumes'));

  constructor(
    private readonly documents: ComposeDocumentAnalysis,
    private readonly daemon: DaemonService,
    private readonly model: VolumesModel,
    private readonly images: ImageVolumeCache,
  ) {
    super();
    this.register(
      this.images.onDidChange(() => this.updateAll()),
      // Containers come and go with pulls: an image unknown before may be on the daemon now.
      model.onDidChange(() => this.images.clear()),
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.update(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      model.onDidChange(() => this.updateAll()),
      vscode.workspace.onDidCreateFiles(() => this.updateAll()),
    );
    this.updateAll();
  }

  updateAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.update(doc);
  }

  update(doc: vscode.TextDocument): void {
    if (!isComposeDocument(doc)) return;
    const analysis = this.documents.analysis(doc);
    const home = os.homedir();
    const local = this.daemon.isLocal;
    const problems = composeProblems(
      analysis,
      {
        resolveHostPath: (source) => hostPathOf(doc, source),
        // A bind source only exists or not on the machine that runs the daemon.
        exists: (p) => !local || fs.existsSync(p),
        home,
        ...(local ? { hostIsWindows: process.platform === 'win32' } : {}),
        imageVolumes: (image) => this.images.volumes(image),
        ...(this.daemon.state.kind === 'reachable' && this.model.loaded
          ? { daemonVolumes: new Set(this.model.volumes.map((v) => v.name)) }
          : {}),
      },
      vscode.l10n,
    );
    // A file too big, too intricate or too long to analyse says so, rather than looking like a file with no problem.
    const skipped = analysis.errors
      .filter((e) => e.message.startsWith('not analysed') || e.message.startsWith(NOT_ANALYSED_PREFIX))
      .map((e) => {
        const d = new vscode.Diagnostic(rangeOf(doc, e.range), e.message, vscode.DiagnosticSeverity.Information);
        d.source = 'Docker Volumes';
        d.code = 'notAnalysed';
        return d;
      });
    this.collection.set(doc.uri, [
      ...problems.map((p) => {
        const d = new vscode.Diagnostic(rangeOf(doc, p.range), p.message, SEVERITY[p.severity]);
        d.source = 'Docker Volumes';
        d.code = p.code;
        if (p.code === 'unusedVolume') d.tags = [vscode.DiagnosticTag.Unnecessary];
        return d;
      }),
      ...skipped,
    ]);
  }
}

/** Hover on a volume entry: what it means, the named volume's live state, and the same mount in `--mount` syntax. */
export class ComposeHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly documents: ComposeDocumentAnalysis,
    private readonly daemon: DaemonService,
    private readonly model: VolumesModel,
  ) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const analysis = this.documents.analysis(doc);
    const offset = doc.offsetAt(position);
    const entry = analysis.entries.find((e) => e.range[0] <= offset && offset <= e.range[1]);
    if (!entry) return undefined;
    const isFile = bindSourceIsFile(doc, entry, this.daemon.isLocal);
    const md = new vscode.MarkdownString(
      `${this.documents.shownText(doc, entryHint(entry, analysis.projectName, vscode.l10n, isFile))}\n\n`,
    );
    // The same snapshot as the lenses: a hover never asks the daemon itself.
    if (entry.kind === 'named' && entry.daemonName && this.daemon.state.kind === 'reachable' && this.model.loaded) {
      const declared = analysis.topLevel.find((v) => v.key === entry.source);
      const row = this.model.row(entry.daemonName);
      const state = row && daemonVolumeState(row);
      const volume = declared ?? {
        key: entry.source ?? '',
        daemonName: entryDaemonName(entry, analysis.projectName),
        external: false,
        range: entry.range,
      };
      md.appendMarkdown(
        `${this.documents.shownText(doc, topLevelStateText(volume, state, vscode.l10n, vscode.env.language))}\n\n`,
      );
    }
    const flag = entryAsMountFlag(entry, analysis.projectName);
    if (flag) {
      md.appendMarkdown(`${vscode.l10n.t('The same with docker run:')}\n`);
      md.appendCodeblock(this.documents.shownText(doc, flag), 'sh');
    }
    if (entry.unresolved.length)
      md.appendMarkdown(
        `\n${vscode.l10n.t('Not resolved here: {0}', entry.unresolved.map((v) => `\${${v}}`).join(', '))}`,
      );
    return new vscode.Hover(md, rangeOf(doc, entry.range));
  }
}
