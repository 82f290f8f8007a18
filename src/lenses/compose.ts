import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import { settings } from '../services/settings';
import { COMMANDS, SETTINGS } from '../constants';
import {
  analyzeCompose,
  MAX_ANALYSED_BYTES,
  normalizeProjectName,
  parseDotEnv,
  type ComposeAnalysis,
} from '../core/compose';
import { redactValues, secretValues } from '../core/networkVolumes';
import { realPlacement } from '../core/pathConfinement';
import { declareVolumeEdit, freshVolumeKey, mountNamedVolumeEdits, type TextEdit } from '../core/composeEdits';
import {
  composeProblems,
  entryAsMountFlag,
  entryDaemonName,
  entryHint,
  topLevelStateText,
  unpersistedDataPath,
  type DaemonVolumeState,
  type ProblemSeverity,
} from '../core/hints';
import { ImageVolumeCache } from './composeImages';
import type { DaemonService } from '../services/daemonService';
import { analyseOffThread } from '../services/composeAnalysisThread';
import { readSmallTextFile } from '../services/smallFile';
import type { VolumesModel } from '../services/volumesModel';

/** Compose file names Compose itself looks for, plus the usual variants. */
export const COMPOSE_PATTERNS = [
  '**/{compose,docker-compose}.{yml,yaml}',
  '**/{compose,docker-compose}.*.{yml,yaml}',
  '**/*.compose.{yml,yaml}',
];

export function composeSelector(): vscode.DocumentFilter[] {
  const extra = settings.composeExtraGlobs();
  return [...COMPOSE_PATTERNS, ...extra].map((pattern) => ({ scheme: 'file', pattern }));
}

export function isComposeDocument(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(composeSelector(), doc) > 0;
}

/** Files above this size are analysed in a worker thread: real compose files are a few KiB. */
export const OFF_THREAD_BYTES = 32 * 1024;
/** Quick fixes offered for one line an anchor shares between services (each one re-parses the document). */
const MAX_FIXES_PER_LINE = 10;
/** How long a worker may analyse one file version before it is ended and the file said not analysed. */
export const ANALYSIS_BUDGET_MS = 10_000;

interface Analysed {
  version: number;
  analysis: ComposeAnalysis;
  secrets: string[];
}

/** How the translated "not analysed" messages of this file begin (core's own are English, lower case). */
const NOT_ANALYSED_PREFIX = vscode.l10n.t('Not analysed: {0}', '').trim();

/** Analyses per document version, shared by lenses and diagnostics. */
const cache = new WeakMap<vscode.TextDocument, Analysed>();
/** The worker analysing a document's latest version: a newer version ends it, so typing never piles workers up. */
const working = new WeakMap<vscode.TextDocument, AbortController>();

/**
 * Where big files are analysed (the worker script), and who hears when one is done. Set once by activate(); until
 * then, and in plain tests, every file is analysed on the calling thread.
 */
let offThread: { script: string; analysed: vscode.EventEmitter<vscode.TextDocument> } | undefined;

/**
 * Sends the analysis of files above OFF_THREAD_BYTES to a worker running `script`: until it answers, such a file has
 * an empty analysis (no lens, no diagnostic), then `onDidAnalyse` fires for it. The extension host's main thread
 * never waits for a big or hostile file.
 */
export function analyseBigFilesOffThread(script: string): vscode.Disposable & {
  onDidAnalyse: vscode.Event<vscode.TextDocument>;
} {
  const analysed = new vscode.EventEmitter<vscode.TextDocument>();
  offThread = { script, analysed };
  return {
    onDidAnalyse: analysed.event,
    dispose: () => {
      offThread = undefined;
      analysed.dispose();
    },
  };
}

function analyzed(doc: vscode.TextDocument): Analysed {
  const hit = cache.get(doc);
  if (hit?.version === doc.version) return hit;
  const dir = path.dirname(doc.uri.fsPath);
  const envText = readSmallTextFile(path.join(dir, '.env'), MAX_ANALYSED_BYTES);
  const dotEnv = envText === undefined ? {} : parseDotEnv(envText);
  const vars = { ...dotEnv, ...process.env };
  const context = { folderName: path.basename(dir), vars };
  const text = doc.getText();
  const secrets = secretValues(vars);
  if (offThread && text.length > OFF_THREAD_BYTES) {
    const { script, analysed: done } = offThread;
    const pending: Analysed = {
      version: doc.version,
      analysis: {
        projectName: normalizeProjectName(vars.COMPOSE_PROJECT_NAME ?? context.folderName),
        topLevel: [],
        entries: [],
        services: [],
        errors: [],
      },
      secrets,
    };
    cache.set(doc, pending);
    working.get(doc)?.abort();
    const worker = new AbortController();
    working.set(doc, worker);
    void analyseOffThread(script, text, context, ANALYSIS_BUDGET_MS, worker.signal).then((result) => {
      // A newer version of the file is being analysed already: this answer is stale.
      if (cache.get(doc) !== pending) return;
      const analysis: ComposeAnalysis =
        result.kind === 'done'
          ? result.analysis
          : {
              ...pending.analysis,
              errors: [
                {
                  message:
                    result.kind === 'tooLong'
                      ? vscode.l10n.t('Not analysed: the analysis took longer than {0} s.', result.budgetMs / 1000)
                      : vscode.l10n.t('Not analysed: {0}', result.message),
                  range: [0, 0],
                },
              ],
            };
      cache.set(doc, { version: pending.version, analysis, secrets });
      done.fire(doc);
    });
    return pending;
  }
  const entry = { version: doc.version, analysis: analyzeCompose(text, context), secrets };
  cache.set(doc, entry);
  return entry;
}

export function analyzeDocument(doc: vscode.TextDocument): ComposeAnalysis {
  return analyzed(doc).analysis;
}

/** Text shown for `doc` (lens, hover): a `${DB_PASSWORD}` interpolated from .env or the environment is masked. */
function shownText(doc: vscode.TextDocument, text: string): string {
  return redactValues(text, analyzed(doc).secrets);
}

function rangeOf(doc: vscode.TextDocument, [start, end]: [number, number]): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}

/** A bind source as a path of this machine, relative to the compose file (`~` is the home folder). */
export function hostPathOf(doc: vscode.TextDocument, source: string): string {
  return source.startsWith('~')
    ? path.join(os.homedir(), source.slice(1))
    : path.resolve(path.dirname(doc.uri.fsPath), source);
}

/** Whether a bind source is a file, when it can be looked at here; undefined leaves the guess to its name. */
function bindSourceIsFile(doc: vscode.TextDocument, source: string, local: boolean): boolean | undefined {
  if (!local) return undefined;
  try {
    return fs.statSync(hostPathOf(doc, source)).isFile();
  } catch {
    return undefined;
  }
}

function isLocal(daemon: DaemonService): boolean {
  return daemon.endpoint?.transport === 'unix' || daemon.endpoint?.transport === 'npipe';
}

function applyTo(edit: vscode.WorkspaceEdit, doc: vscode.TextDocument, edits: TextEdit[]): void {
  for (const e of edits) {
    if (e.range[0] === e.range[1]) edit.insert(doc.uri, doc.positionAt(e.range[0]), e.newText);
    else edit.replace(doc.uri, rangeOf(doc, e.range), e.newText);
  }
}

/** One snapshot of the daemon for every lens of a document: never one call per lens. */
function daemonStates(model: VolumesModel): Map<string, DaemonVolumeState> {
  const states = new Map<string, DaemonVolumeState>();
  for (const row of model.rows) {
    states.set(row.volume.name, {
      exists: true,
      ...(row.size !== undefined ? { size: row.size } : {}),
      users: row.users.map((u) => u.containerName),
    });
  }
  return states;
}

export class ComposeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
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
    const analysis = analyzeDocument(doc);
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
    const states = daemonStates(this.model);
    for (const v of analysis.topLevel) {
      const range = rangeOf(doc, v.range);
      if (reachable) {
        const state = states.get(v.daemonName);
        lenses.push(
          new vscode.CodeLens(range, {
            title: shownText(doc, topLevelStateText(v, state, vscode.l10n)),
            command: state ? COMMANDS.revealVolume : '',
            arguments: [v.daemonName],
          }),
        );
        if (!state) {
          lenses.push(
            new vscode.CodeLens(range, {
              title: v.external ? vscode.l10n.t('Create External Volume') : vscode.l10n.t('Create'),
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
    const local = isLocal(this.daemon);
    for (const e of analysis.entries) {
      const at = `${e.range[0]}:${e.range[1]}`;
      if (shown.has(at)) continue;
      shown.add(at);
      const isFile =
        e.kind === 'bind' && e.source && !e.unresolved.length ? bindSourceIsFile(doc, e.source, local) : undefined;
      lenses.push(
        new vscode.CodeLens(rangeOf(doc, e.range), {
          title: shownText(doc, entryHint(e, analysis.projectName, vscode.l10n, isFile)),
          command: '',
        }),
      );
    }
    return lenses;
  }
}

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
    const analysis = analyzeDocument(doc);
    const home = os.homedir();
    const local = isLocal(this.daemon);
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
    private readonly daemon: DaemonService,
    private readonly model: VolumesModel,
  ) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const analysis = analyzeDocument(doc);
    const offset = doc.offsetAt(position);
    const entry = analysis.entries.find((e) => e.range[0] <= offset && offset <= e.range[1]);
    if (!entry) return undefined;
    const isFile =
      entry.kind === 'bind' && entry.source && !entry.unresolved.length
        ? bindSourceIsFile(doc, entry.source, isLocal(this.daemon))
        : undefined;
    const md = new vscode.MarkdownString(
      `${shownText(doc, entryHint(entry, analysis.projectName, vscode.l10n, isFile))}\n\n`,
    );
    // The same snapshot as the lenses: a hover never asks the daemon itself.
    if (entry.kind === 'named' && entry.daemonName && this.daemon.state.kind === 'reachable' && this.model.loaded) {
      const declared = analysis.topLevel.find((v) => v.key === entry.source);
      const row = this.model.rows.find((r) => r.volume.name === entry.daemonName);
      const state: DaemonVolumeState | undefined = row
        ? {
            exists: true,
            ...(row.size !== undefined ? { size: row.size } : {}),
            users: row.users.map((u) => u.containerName),
          }
        : undefined;
      const volume = declared ?? {
        key: entry.source ?? '',
        daemonName: entryDaemonName(entry, analysis.projectName),
        external: false,
        range: entry.range,
      };
      md.appendMarkdown(`${shownText(doc, topLevelStateText(volume, state, vscode.l10n))}\n\n`);
    }
    const flag = entryAsMountFlag(entry, analysis.projectName);
    if (flag) {
      md.appendMarkdown(`${vscode.l10n.t('The same with docker run:')}\n`);
      md.appendCodeblock(shownText(doc, flag), 'sh');
    }
    if (entry.unresolved.length)
      md.appendMarkdown(
        `\n${vscode.l10n.t('Not resolved here: {0}', entry.unresolved.map((v) => `\${${v}}`).join(', '))}`,
      );
    return new vscode.Hover(md, rangeOf(doc, entry.range));
  }
}

/** Quick fixes for the problems above that have one obvious repair. */
export class ComposeQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly images: ImageVolumeCache) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const analysis = analyzeDocument(doc);
    const declare = (edit: vscode.WorkspaceEdit, key: string) =>
      applyTo(edit, doc, [declareVolumeEdit(doc.getText(), key)]);
    for (const d of context.diagnostics.filter((x) => x.source === 'Docker Volumes')) {
      const entry = analysis.entries.find((e) => rangeOf(doc, e.range).isEqual(d.range));
      if (d.code === 'undeclaredVolume' && entry?.source) {
        const action = new vscode.CodeAction(
          vscode.l10n.t('Declare volume "{0}" under volumes:', entry.source),
          vscode.CodeActionKind.QuickFix,
        );
        action.diagnostics = [d];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        declare(action.edit, entry.source);
        actions.push(action);
      }
      if (d.code === 'anonymousVolume' && entry?.syntax === 'short') {
        const key = freshVolumeKey(analysis, entry.service, path.posix.basename(entry.target) || 'data');
        const action = new vscode.CodeAction(
          vscode.l10n.t('Name it "{0}" (and declare it)', key),
          vscode.CodeActionKind.QuickFix,
        );
        action.diagnostics = [d];
        action.edit = new vscode.WorkspaceEdit();
        const raw = doc.getText(d.range);
        const quoted = /^(['"])(.*)\1$/.exec(raw);
        action.edit.replace(doc.uri, d.range, quoted ? `${quoted[1]}${key}:${quoted[2]}${quoted[1]}` : `${key}:${raw}`);
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
          const action = new vscode.CodeAction(
            vscode.l10n.t('Keep {0} in a named volume "{1}" (and declare it)', lost.dataPath, key),
            vscode.CodeActionKind.QuickFix,
          );
          action.diagnostics = [d];
          action.isPreferred = true;
          action.edit = new vscode.WorkspaceEdit();
          applyTo(action.edit, doc, edits);
          actions.push(action);
        }
      }
      if (d.code === 'missingBindSource' && entry?.source) {
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
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
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
          const action = new vscode.CodeAction(
            vscode.l10n.t('Create the external volume {0}', volume.daemonName),
            vscode.CodeActionKind.QuickFix,
          );
          action.diagnostics = [d];
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
        const action = new vscode.CodeAction(
          vscode.l10n.t('Make this bind read-only (:ro)'),
          vscode.CodeActionKind.QuickFix,
        );
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
