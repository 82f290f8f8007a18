import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../constants';
import { analyzeCompose, MAX_ANALYSED_BYTES, parseDotEnv, type ComposeAnalysis } from '../core/compose';
import { isInside } from '../core/pathConfinement';
import { composeProblems, entryAsMountFlag, entryHint, topLevelStateText, type DaemonVolumeState, type ProblemSeverity } from '../core/hints';
import type { DaemonService } from '../services/daemonService';
import { readSmallTextFile } from '../services/smallFile';
import type { VolumesModel } from '../services/volumesModel';

/** Compose file names Compose itself looks for, plus the usual variants. */
export const COMPOSE_PATTERNS = ['**/{compose,docker-compose}.{yml,yaml}', '**/{compose,docker-compose}.*.{yml,yaml}', '**/*.compose.{yml,yaml}'];

export function composeSelector(): vscode.DocumentFilter[] {
  const extra = vscode.workspace.getConfiguration(SETTINGS.section).get<string[]>(SETTINGS.composeExtraGlobs, []);
  return [...COMPOSE_PATTERNS, ...extra].map(pattern => ({ scheme: 'file', pattern }));
}

export function isComposeDocument(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(composeSelector(), doc) > 0;
}

/** Analyses per document version, shared by lenses and diagnostics. */
const cache = new WeakMap<vscode.TextDocument, { version: number; analysis: ComposeAnalysis }>();

export function analyzeDocument(doc: vscode.TextDocument): ComposeAnalysis {
  const hit = cache.get(doc);
  if (hit?.version === doc.version) return hit.analysis;
  const dir = path.dirname(doc.uri.fsPath);
  const envText = readSmallTextFile(path.join(dir, '.env'), MAX_ANALYSED_BYTES);
  const dotEnv = envText === undefined ? {} : parseDotEnv(envText);
  const analysis = analyzeCompose(doc.getText(), { folderName: path.basename(dir), vars: { ...dotEnv, ...process.env } });
  cache.set(doc, { version: doc.version, analysis });
  return analysis;
}

function rangeOf(doc: vscode.TextDocument, [start, end]: [number, number]): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}

/** One snapshot of the daemon for every lens of a document: never one call per lens. */
function daemonStates(model: VolumesModel): Map<string, DaemonVolumeState> {
  const states = new Map<string, DaemonVolumeState>();
  for (const row of model.rows) {
    states.set(row.volume.name, { exists: true, ...(row.size !== undefined ? { size: row.size } : {}), users: row.users.map(u => u.containerName) });
  }
  return states;
}

export class ComposeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly daemon: DaemonService,
    private readonly model: VolumesModel,
  ) {
    this.disposables.push(
      model.onDidChange(() => this.changed.fire()),
      daemon.onDidChangeState(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration(SETTINGS.section)) this.changed.fire(); }),
    );
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.getConfiguration(SETTINGS.section).get<boolean>(SETTINGS.lensesEnabled, true)) return [];
    const analysis = analyzeDocument(doc);
    const lenses: vscode.CodeLens[] = [];
    const reachable = this.daemon.state.kind === 'reachable';
    if (reachable) await this.model.ensureLoaded();
    else {
      lenses.push(new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: vscode.l10n.t('$(warning) Docker unreachable: live volume state unavailable'), command: COMMANDS.retryConnection,
      }));
    }
    const states = daemonStates(this.model);
    for (const v of analysis.topLevel) {
      const range = rangeOf(doc, v.range);
      if (reachable) {
        const state = states.get(v.daemonName);
        lenses.push(new vscode.CodeLens(range, { title: topLevelStateText(v, state, vscode.l10n), command: state ? COMMANDS.revealVolume : '', arguments: [v.daemonName] }));
        if (!state) {
          lenses.push(new vscode.CodeLens(range, {
            title: v.external ? vscode.l10n.t('Create External Volume') : vscode.l10n.t('Create'), command: COMMANDS.createVolume,
            arguments: [{ name: v.daemonName, ...(v.driver ? { driver: v.driver } : {}), labels: v.external ? {} : { 'com.docker.compose.project': analysis.projectName, 'com.docker.compose.volume': v.key } }],
          }));
        } else {
          lenses.push(
            new vscode.CodeLens(range, { title: vscode.l10n.t('Back Up'), command: COMMANDS.backupVolume, arguments: [{ volume: v.daemonName }] }),
            new vscode.CodeLens(range, { title: vscode.l10n.t('Browse'), command: COMMANDS.revealVolume, arguments: [v.daemonName] }),
            new vscode.CodeLens(range, { title: vscode.l10n.t('Inspect'), command: COMMANDS.inspectVolume, arguments: [v.daemonName] }),
          );
        }
      }
    }
    for (const e of analysis.entries) {
      lenses.push(new vscode.CodeLens(rangeOf(doc, e.range), { title: entryHint(e, analysis.projectName, vscode.l10n), command: '' }));
    }
    return lenses;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

const SEVERITY: Record<ProblemSeverity, vscode.DiagnosticSeverity> = {
  error: 0, warning: 1, information: 2, hint: 3,
};

/** Diagnostics (source "Docker Volumes") for open compose files, kept current with edits and the daemon. */
export class ComposeDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('Docker Volumes');
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(
    private readonly daemon: DaemonService,
    private readonly model: VolumesModel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument(d => this.update(d)),
      vscode.workspace.onDidChangeTextDocument(e => this.update(e.document)),
      vscode.workspace.onDidCloseTextDocument(d => this.collection.delete(d.uri)),
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
    const analysis = analyzeDocument(doc);
    const dir = path.dirname(doc.uri.fsPath);
    const home = os.homedir();
    const local = this.daemon.endpoint?.transport === 'unix' || this.daemon.endpoint?.transport === 'npipe';
    const problems = composeProblems(analysis, {
      resolveHostPath: source => (source.startsWith('~') ? path.join(home, source.slice(1)) : path.resolve(dir, source)),
      // A bind source only exists or not on the machine that runs the daemon.
      exists: p => !local || fs.existsSync(p),
      home,
      ...(this.daemon.state.kind === 'reachable' && this.model.loaded ? { daemonVolumes: new Set(this.model.volumes.map(v => v.name)) } : {}),
    }, vscode.l10n);
    this.collection.set(doc.uri, problems.map(p => {
      const d = new vscode.Diagnostic(rangeOf(doc, p.range), p.message, SEVERITY[p.severity]);
      d.source = 'Docker Volumes';
      d.code = p.code;
      if (p.code === 'unusedVolume') d.tags = [vscode.DiagnosticTag.Unnecessary];
      return d;
    }));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Hover on a volume entry: what it means, and the same mount in `--mount` syntax. */
export class ComposeHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const analysis = analyzeDocument(doc);
    const offset = doc.offsetAt(position);
    const entry = analysis.entries.find(e => e.range[0] <= offset && offset <= e.range[1]);
    if (!entry) return undefined;
    const md = new vscode.MarkdownString(`${entryHint(entry, analysis.projectName, vscode.l10n)}\n\n`);
    const flag = entryAsMountFlag(entry, analysis.projectName);
    if (flag) {
      md.appendMarkdown(`${vscode.l10n.t('The same with docker run:')}\n`);
      md.appendCodeblock(flag, 'sh');
    }
    if (entry.unresolved.length) md.appendMarkdown(`\n${vscode.l10n.t('Not resolved here: {0}', entry.unresolved.map(v => `\${${v}}`).join(', '))}`);
    return new vscode.Hover(md, rangeOf(doc, entry.range));
  }
}

/** Quick fixes for the problems above that have one obvious repair. */
export class ComposeQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const analysis = analyzeDocument(doc);
    const declare = (edit: vscode.WorkspaceEdit, key: string) => {
      const text = doc.getText();
      const top = /^volumes:[ \t]*(\{\s*\})?[ \t]*$/m.exec(text);
      if (top && !top[1]) edit.insert(doc.uri, doc.positionAt(top.index + top[0].length), `\n  ${key}:`);
      else if (top) edit.replace(doc.uri, rangeOf(doc, [top.index, top.index + top[0].length]), `volumes:\n  ${key}:`);
      else edit.insert(doc.uri, doc.positionAt(text.length), `${text.endsWith('\n') ? '' : '\n'}volumes:\n  ${key}:\n`);
    };
    for (const d of context.diagnostics.filter(x => x.source === 'Docker Volumes')) {
      const entry = analysis.entries.find(e => rangeOf(doc, e.range).isEqual(d.range));
      if (d.code === 'undeclaredVolume' && entry?.source) {
        const action = new vscode.CodeAction(vscode.l10n.t('Declare volume "{0}" under volumes:', entry.source), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        declare(action.edit, entry.source);
        actions.push(action);
      }
      if (d.code === 'anonymousVolume' && entry?.syntax === 'short') {
        const key = `${entry.service}-${path.posix.basename(entry.target) || 'data'}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
        const action = new vscode.CodeAction(vscode.l10n.t('Name it "{0}" (and declare it)', key), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.edit = new vscode.WorkspaceEdit();
        const raw = doc.getText(d.range);
        const quoted = /^(['"])(.*)\1$/.exec(raw);
        action.edit.replace(doc.uri, d.range, quoted ? `${quoted[1]}${key}:${quoted[2]}${quoted[1]}` : `${key}:${raw}`);
        declare(action.edit, key);
        actions.push(action);
      }
      if (d.code === 'missingBindSource' && entry?.source) {
        const folder = path.resolve(path.dirname(doc.uri.fsPath), entry.source.replace(/^~/, os.homedir()));
        // A compose file may name any host path: one outside the workspace is named in full and previewed first.
        const outside = !isInside(folder, path.dirname(doc.uri.fsPath)) && !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folder));
        const title = outside ? vscode.l10n.t('Create the folder {0} (outside the workspace)', folder) : vscode.l10n.t('Create the folder {0}', entry.source);
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.edit = new vscode.WorkspaceEdit();
        // A workspace edit creates files, not folders: a .gitkeep makes the folder, and keeps it in git.
        action.edit.createFile(vscode.Uri.file(path.join(folder, '.gitkeep')), { ignoreIfExists: true }, outside ? { label: title, needsConfirmation: true } : undefined);
        actions.push(action);
      }
      if (d.code === 'missingExternalVolume') {
        const volume = analysis.topLevel.find(v => rangeOf(doc, v.range).isEqual(d.range));
        if (volume) {
          const action = new vscode.CodeAction(vscode.l10n.t('Create the external volume {0}', volume.daemonName), vscode.CodeActionKind.QuickFix);
          action.diagnostics = [d];
          action.command = { command: COMMANDS.createVolume, title: action.title, arguments: [{ name: volume.daemonName }] };
          actions.push(action);
        }
      }
      if ((d.code === 'sensitiveBind' || d.code === 'dockerSocketBind') && entry?.syntax === 'short' && !entry.readOnly) {
        const action = new vscode.CodeAction(vscode.l10n.t('Make this bind read-only (:ro)'), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        const edit = new vscode.WorkspaceEdit();
        const raw = doc.getText(d.range);
        const quoted = /^(['"])(.*)\1$/.exec(raw);
        edit.replace(doc.uri, d.range, quoted ? `${quoted[1]}${quoted[2]}:ro${quoted[1]}` : `${raw}:ro`);
        action.edit = edit;
        actions.push(action);
      }
    }
    return actions;
  }
}
