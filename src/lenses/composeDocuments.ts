/**
 * Which documents are compose files, their analysis (cached per version, big files off the thread), and the small
 * conversions between that analysis and VS Code's documents that the lenses, diagnostics and fixes share.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import { settings } from '../services/settings';
import {
  analyzeCompose,
  normalizeProjectName,
  type ComposeAnalysis,
  type ComposeContext,
  type VolumeEntry,
} from '../core/compose';
import { parseDotEnv } from '../core/composeInterpolation';
import { MAX_ANALYSED_BYTES } from '../core/composeLimits';
import { analysedOffThread } from '../core/aliasScan';
import { isNetworkPath } from '../core/networkPath';
import { redactValues, secretValues } from '../core/networkVolumes';
import { type TextEdit } from '../core/composeEdits';
import { daemonVolumeState, type DaemonVolumeState } from '../core/volumeModel';
import type { VolumeRow } from '../core/volumeModel';
import { analyseOffThread } from '../services/composeAnalysisThread';
import { readSmallTextFile, statIfPresent } from '../docker/smallFile';

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

/** How long a worker may analyse one file version before it is ended and the file said not analysed. */
export const ANALYSIS_BUDGET_MS = 10_000;

interface Analysed {
  version: number;
  analysis: ComposeAnalysis;
  secrets: string[];
}

/** How the translated "not analysed" messages of this file begin (core's own are English, lower case). */
export const NOT_ANALYSED_PREFIX = vscode.l10n.t('Not analysed: {0}', '').trim();

/**
 * The analysis of compose documents, cached per version and shared by lenses, diagnostics, hover, completion, quick
 * fixes and navigation: one instance, made by the wiring file. Given a worker `script`, it sends the analysis of big or
 * alias-heavy files (`analysedOffThread`) to a worker: until it answers, such a file has an empty analysis (no lens,
 * no diagnostic), then `onDidAnalyse` fires for it, so the extension host's main thread never waits for a big or
 * hostile file. Without one (plain tests), every file is analysed on the calling thread.
 */
export class ComposeDocumentAnalysis extends Disposable {
  private readonly cache = new WeakMap<vscode.TextDocument, Analysed>();
  /** The worker analysing a document's latest version: a newer version ends it, so typing never piles workers up. */
  private readonly working = new WeakMap<vscode.TextDocument, AbortController>();
  private readonly analysed = this.register(new vscode.EventEmitter<vscode.TextDocument>());
  /** A document's analysis, done off the thread, has replaced its empty one. */
  readonly onDidAnalyse = this.analysed.event;

  constructor(private readonly workerScript?: string) {
    super();
  }

  analysis(doc: vscode.TextDocument): ComposeAnalysis {
    return this.analysedVersion(doc).analysis;
  }

  /** Text shown for `doc` (lens, hover): a `${DB_PASSWORD}` interpolated from .env or the environment is masked. */
  shownText(doc: vscode.TextDocument, text: string): string {
    return redactValues(text, this.analysedVersion(doc).secrets);
  }

  private analysedVersion(doc: vscode.TextDocument): Analysed {
    const hit = this.cache.get(doc);
    if (hit?.version === doc.version) return hit;
    const dir = path.dirname(doc.uri.fsPath);
    const envText = readSmallTextFile(path.join(dir, '.env'), MAX_ANALYSED_BYTES);
    const dotEnv = envText === undefined ? {} : parseDotEnv(envText);
    const vars = { ...dotEnv, ...process.env };
    const context = { folderName: path.basename(dir), vars };
    const text = doc.getText();
    const secrets = secretValues(vars);
    if (this.workerScript !== undefined && analysedOffThread(text)) {
      return this.analyseOffThread(doc, this.workerScript, text, context, secrets);
    }
    const entry = { version: doc.version, analysis: analyzeCompose(text, context), secrets };
    this.cache.set(doc, entry);
    return entry;
  }

  private analyseOffThread(
    doc: vscode.TextDocument,
    script: string,
    text: string,
    context: ComposeContext,
    secrets: string[],
  ): Analysed {
    const pending: Analysed = {
      version: doc.version,
      analysis: {
        projectName: normalizeProjectName(context.vars?.COMPOSE_PROJECT_NAME ?? context.folderName),
        topLevel: [],
        entries: [],
        services: [],
        errors: [],
      },
      secrets,
    };
    this.cache.set(doc, pending);
    this.working.get(doc)?.abort();
    const worker = new AbortController();
    this.working.set(doc, worker);
    void analyseOffThread(script, text, context, ANALYSIS_BUDGET_MS, worker.signal).then((result) => {
      // A newer version of the file is being analysed already: this answer is stale.
      if (this.cache.get(doc) !== pending) return;
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
      this.cache.set(doc, { version: pending.version, analysis, secrets });
      this.analysed.fire(doc);
    });
    return pending;
  }
}

export function rangeOf(doc: vscode.TextDocument, [start, end]: [number, number]): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}

/** A bind source as a path of this machine, relative to the compose file (`~` is the home folder). */
export function hostPathOf(doc: vscode.TextDocument, source: string): string {
  return source.startsWith('~')
    ? path.join(os.homedir(), source.slice(1))
    : path.resolve(path.dirname(doc.uri.fsPath), source);
}

/**
 * The host path a bind source names and what is there; undefined when nothing can be read there. A network path is
 * never looked at: on Windows that connects to the server the file names.
 */
export function statBindSource(
  doc: vscode.TextDocument,
  source: string,
): { hostPath: string; stat: fs.Stats } | undefined {
  if (isNetworkPath(source)) return undefined;
  const hostPath = hostPathOf(doc, source);
  if (isNetworkPath(hostPath)) return undefined;
  const stat = statIfPresent(hostPath);
  return stat && { hostPath, stat };
}

/**
 * Whether a bind entry's source is a file, when it can be looked at here (a local daemon, no unresolved variable);
 * undefined leaves the guess to its name.
 */
export function bindSourceIsFile(doc: vscode.TextDocument, entry: VolumeEntry, local: boolean): boolean | undefined {
  if (!local || entry.kind !== 'bind' || !entry.source || entry.unresolved.length) return undefined;
  return statBindSource(doc, entry.source)?.stat.isFile();
}

export function applyTo(edit: vscode.WorkspaceEdit, doc: vscode.TextDocument, edits: TextEdit[]): void {
  for (const e of edits) {
    if (e.range[0] === e.range[1]) edit.insert(doc.uri, doc.positionAt(e.range[0]), e.newText);
    else edit.replace(doc.uri, rangeOf(doc, e.range), e.newText);
  }
}

/** One snapshot of the daemon for every lens of a document, by volume name: never one call per lens. */
export function daemonStates(rows: readonly VolumeRow[]): Map<string, DaemonVolumeState> {
  return new Map(rows.map((row) => [row.volume.name, daemonVolumeState(row)]));
}
