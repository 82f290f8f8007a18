import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import { settings } from '../services/settings';
import { COMMANDS, SETTINGS } from '../constants';
import { analyzeDockerfile, dockerfileTexts, type DockerfileAnalysis, type LineRange } from '../core/dockerfile';
import { withFreshSecrets } from '../core/statefulImages';

export const DOCKERFILE_PATTERNS = [
  '**/{Dockerfile,Containerfile}',
  '**/{Dockerfile,Containerfile}.*',
  '**/*.{dockerfile,Dockerfile}',
];

export function dockerfileSelector(): vscode.DocumentFilter[] {
  return [{ language: 'dockerfile' }, ...DOCKERFILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern }))];
}

const cache = new WeakMap<vscode.TextDocument, { version: number; analysis: DockerfileAnalysis }>();

/** One analysis per document version, a failed one included (lenses and diagnostics ask for it many times). */
function analyze(doc: vscode.TextDocument): DockerfileAnalysis {
  const hit = cache.get(doc);
  if (hit?.version === doc.version) return hit.analysis;
  let analysis: DockerfileAnalysis;
  try {
    analysis = analyzeDockerfile(doc.getText());
  } catch {
    // A parser failure on a file being typed: no lenses for this version, and no second try until it changes.
    analysis = { volumes: [], runsUnderVolumes: [], statefulBases: [], workdirCopies: [] };
  }
  cache.set(doc, { version: doc.version, analysis });
  return analysis;
}

const toRange = (r: LineRange) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/** Lenses on VOLUME, stateful FROM and WORKDIR + COPY . . lines, each with the action it suggests. */
export class DockerfileLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor() {
    super();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS.section)) this.changed.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    );
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!settings.lensesEnabled()) return [];
    const analysis = analyze(doc);
    const texts = dockerfileTexts(vscode.l10n);
    const lenses: vscode.CodeLens[] = [];
    // Restricted Mode: the file's paths and images run nothing and bind nothing; the lenses only say what they see.
    const runnable = vscode.workspace.isTrusted;
    const action = (command: vscode.Command): vscode.Command =>
      runnable
        ? command
        : { title: `${command.title} ${vscode.l10n.t('(trust the workspace to run it)')}`, command: '' };
    for (const v of analysis.volumes) {
      lenses.push(new vscode.CodeLens(toRange(v.range), { title: texts.volume(v.path), command: '' }));
      if (runnable)
        lenses.push(
          new vscode.CodeLens(toRange(v.range), {
            title: vscode.l10n.t('Run with a Named Volume'),
            command: COMMANDS.runWithVolume,
            arguments: [{ target: v.path, readOnly: false }],
          }),
        );
    }
    for (const base of analysis.statefulBases) {
      lenses.push(
        new vscode.CodeLens(
          toRange(base.range),
          action({
            title: texts.statefulBase(base.info.product, base.info.dataPath),
            command: COMMANDS.runWithVolume,
            // The user's own image: a fresh password, never the labs' example one (see it with docker inspect).
            arguments: [
              {
                image: base.image,
                target: base.info.dataPath,
                readOnly: false,
                ...(base.info.env ? { env: withFreshSecrets(base.info.env, randomBytes) } : {}),
              },
            ],
          }),
        ),
      );
    }
    for (const copy of analysis.workdirCopies) {
      lenses.push(
        new vscode.CodeLens(
          toRange(copy.range),
          action({
            title: texts.workdirCopy(copy.workdir),
            command: COMMANDS.runWithBindMount,
            arguments: [{ hostPath: path.dirname(doc.uri.fsPath), target: copy.workdir, readOnly: false }],
          }),
        ),
      );
    }
    return lenses;
  }
}

/** Diagnostics for Dockerfiles: RUN instructions that write under a path declared VOLUME earlier. */
export class DockerfileDiagnostics extends Disposable {
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('Docker Volumes (Dockerfile)'));

  constructor() {
    super();
    this.register(
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.update(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    );
    for (const doc of vscode.workspace.textDocuments) this.update(doc);
  }

  update(doc: vscode.TextDocument): void {
    if (vscode.languages.match(dockerfileSelector(), doc) === 0) return;
    const texts = dockerfileTexts(vscode.l10n);
    const analysis = analyze(doc);
    if (analysis.tooLarge) {
      const note = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        texts.tooLarge(),
        vscode.DiagnosticSeverity.Information,
      );
      note.source = 'Docker Volumes';
      note.code = 'notAnalysed';
      this.collection.set(doc.uri, [note]);
      return;
    }
    this.collection.set(
      doc.uri,
      analysis.runsUnderVolumes.map((run) => {
        const d = new vscode.Diagnostic(
          toRange(run.range),
          texts.runUnderVolume(run.volumePath, run.volumeLine),
          vscode.DiagnosticSeverity.Warning,
        );
        d.source = 'Docker Volumes';
        d.code = 'runAfterVolume';
        d.relatedInformation = [
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(doc.uri, new vscode.Position(run.volumeLine, 0)),
            `VOLUME ${run.volumePath}`,
          ),
        ];
        return d;
      }),
    );
  }
}
