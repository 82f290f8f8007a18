import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandTable } from './commands';
import { openCourseOnFirstStart } from './commands/course';
import { ComposeLensProvider } from './lenses/compose';
import { ComposeDocumentAnalysis, composeSelector } from './lenses/composeDocuments';
import { ComposeDiagnostics, ComposeHoverProvider } from './lenses/composeDiagnostics';
import { ComposeQuickFixes } from './lenses/composeQuickFixes';
import { ImageVolumeCache } from './lenses/composeImages';
import { ComposeCompletionProvider, ComposeNavigationProvider, ComposeSyntaxActions } from './lenses/composeLanguage';
import { DockerfileDiagnostics, DockerfileLensProvider, dockerfileSelector } from './lenses/dockerfile';
import { flowDeps, registerCommands, type CommandContext } from './commands/registry';
import { SETTINGS, VIEWS } from './constants';
import { DockerodeClient } from './docker/dockerodeClient';
import { LabProgress } from './learn/labProgress';
import { followDaemonState, WalkthroughKeys } from './learn/walkthroughKeys';
import { Log } from './log';
import { DaemonEvents } from './services/daemonEvents';
import { DaemonService } from './services/daemonService';
import { VolumesModel } from './services/volumesModel';
import { WrittenDumps } from './services/writtenDumps';
import { DaemonDocuments, REPORT_SCHEME } from './views/documents';
import { VOLUME_SCHEME, VolumeFileSystemProvider } from './views/volumeFileSystem';
import { BackupsTreeProvider } from './views/backupsTree';
import { BackupScheduler } from './services/backupScheduler';
import { scheduledBackupFlow } from './flows/scheduledBackup';
import { MountsTreeProvider } from './views/mountsTree';
import { VolumesTreeProvider } from './views/volumesTree';
import { showNotice } from './messages';

/** What `activate()` returns to any extension: how long starting took. */
export interface ExtensionApi {
  /** Milliseconds spent in `activate()`. */
  readonly activationMs: number;
  /** Resolves with the milliseconds from the start of `activate()` to the first answer of the daemon. */
  readonly firstConnection: Promise<number>;
}

/**
 * What `activate()` returns in test mode only (the extension-host tests and benchmarks): the live services too. Any
 * other extension holding them could run every command's work past its questions.
 */
export interface TestApi extends ExtensionApi {
  readonly context: CommandContext;
  readonly scheduler: BackupScheduler;
}

export function activate(extensionContext: vscode.ExtensionContext): ExtensionApi | TestApi {
  const started = Date.now();
  try {
    const testMode = extensionContext.extensionMode === vscode.ExtensionMode.Test;
    const log = new Log(testMode);
    const steps = new WalkthroughKeys();
    const daemon = new DaemonService(
      log,
      (endpoint, timeoutMs) => new DockerodeClient({ endpoint, logger: log, timeoutMs }),
    );
    const model = new VolumesModel(daemon, log);
    const events = new DaemonEvents(daemon, log);
    const files = new VolumeFileSystemProvider(daemon, log);
    const documents = new DaemonDocuments(daemon, model);
    extensionContext.subscriptions.push(
      log,
      steps,
      daemon,
      followDaemonState(steps, daemon.onDidChangeState),
      model,
      events,
      documents,
      files,
      vscode.workspace.registerFileSystemProvider(VOLUME_SCHEME, files, { isReadonly: true, isCaseSensitive: true }),
      vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, documents),
    );

    const volumesTree = new VolumesTreeProvider(daemon, model, files);
    const volumesView = vscode.window.createTreeView(VIEWS.volumes, {
      treeDataProvider: volumesTree,
      showCollapseAll: true,
      canSelectMany: true,
    });
    volumesTree.attach(volumesView);
    const mountsTree = new MountsTreeProvider(daemon, model);
    const mountsView = vscode.window.createTreeView(VIEWS.mounts, {
      treeDataProvider: mountsTree,
      showCollapseAll: true,
    });
    // The user's own place, in no workspace: a repository's `backups` folder never receives unattended backups.
    const scheduledBackupDefault = path.join(extensionContext.globalStorageUri.fsPath, 'scheduled-backups');
    const backupsTree = new BackupsTreeProvider(scheduledBackupDefault);
    const backupsView = vscode.window.createTreeView(VIEWS.backups, {
      treeDataProvider: backupsTree,
      showCollapseAll: true,
    });
    backupsTree.attach(backupsView);
    extensionContext.subscriptions.push(
      volumesTree,
      volumesView,
      mountsTree,
      mountsView,
      backupsTree,
      backupsView,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS.section}.backup`)) backupsTree.refresh();
      }),
    );

    // Big compose files are analysed in a worker (bundled beside the extension): the editor never waits for one.
    const composeDocuments = new ComposeDocumentAnalysis(
      path.join(extensionContext.extensionUri.fsPath, 'dist', 'composeAnalysisWorker.js'),
    );
    const composeLenses = new ComposeLensProvider(composeDocuments, daemon, model);
    const imageVolumes = new ImageVolumeCache(daemon);
    const composeDiagnostics = new ComposeDiagnostics(composeDocuments, daemon, model, imageVolumes);
    extensionContext.subscriptions.push(
      composeDocuments,
      composeDocuments.onDidAnalyse((doc) => {
        composeDiagnostics.update(doc);
        composeLenses.refresh();
      }),
      composeLenses,
      imageVolumes,
      composeDiagnostics,
      vscode.languages.registerCodeLensProvider(composeSelector(), composeLenses),
      vscode.languages.registerHoverProvider(
        composeSelector(),
        new ComposeHoverProvider(composeDocuments, daemon, model),
      ),
      vscode.languages.registerCodeActionsProvider(
        composeSelector(),
        new ComposeQuickFixes(composeDocuments, imageVolumes),
        {
          providedCodeActionKinds: ComposeQuickFixes.kinds,
        },
      ),
    );
    const composeNavigation = new ComposeNavigationProvider(composeDocuments, model);
    extensionContext.subscriptions.push(
      vscode.languages.registerCompletionItemProvider(
        composeSelector(),
        new ComposeCompletionProvider(composeDocuments, daemon, model),
        ...ComposeCompletionProvider.triggerCharacters,
      ),
      vscode.languages.registerDefinitionProvider(composeSelector(), composeNavigation),
      vscode.languages.registerReferenceProvider(composeSelector(), composeNavigation),
      vscode.languages.registerRenameProvider(composeSelector(), composeNavigation),
      vscode.languages.registerDocumentLinkProvider(composeSelector(), composeNavigation),
      vscode.languages.registerCodeActionsProvider(composeSelector(), new ComposeSyntaxActions(composeDocuments), {
        providedCodeActionKinds: ComposeSyntaxActions.kinds,
      }),
    );
    const dockerfileLenses = new DockerfileLensProvider();
    extensionContext.subscriptions.push(
      dockerfileLenses,
      new DockerfileDiagnostics(),
      vscode.languages.registerCodeLensProvider(dockerfileSelector(), dockerfileLenses),
    );

    // Live: daemon events refresh the snapshot; nothing polls while idle.
    extensionContext.subscriptions.push(
      events.onDidReceive((batch) => {
        if (model.changedBy(batch)) void model.refresh();
      }),
    );

    const progress = new LabProgress(model, daemon, steps, extensionContext.globalState);
    extensionContext.subscriptions.push(progress);
    const writtenDumps = new WrittenDumps(extensionContext.globalState);
    const context: CommandContext = {
      daemon,
      log,
      model,
      volumesTree,
      volumesView,
      mountsTree,
      mountsView,
      backupsTree,
      backupsView,
      files,
      events,
      documents,
      progress,
      writtenDumps,
      extensionUri: extensionContext.extensionUri,
      scheduledBackupDefault,
      testMode,
    };
    registerCommands(extensionContext, context, commandTable);
    const scheduler = new BackupScheduler(
      daemon,
      log,
      (request) => scheduledBackupFlow(flowDeps(context), request),
      scheduledBackupDefault,
      (file) => {
        backupsTree.markVerified(file, true);
        backupsTree.refresh();
      },
    );
    extensionContext.subscriptions.push(scheduler);
    scheduler.start();
    void openCourseOnFirstStart(extensionContext.workspaceState).catch((err) =>
      log.error('Opening the course failed', err),
    );
    // Trusting the workspace makes its backup folder readable and its restricted settings apply.
    extensionContext.subscriptions.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        backupsTree.refresh();
        scheduler.start();
      }),
    );

    const firstConnection = daemon.check().then((state) => {
      if (state.kind === 'reachable') {
        events.start();
        void files.sweepHelpers().catch((err) => log.error('Sweeping helper containers failed', err));
      }
      return Date.now() - started;
    });
    const timings = { activationMs: Date.now() - started, firstConnection };
    return testMode ? { ...timings, context, scheduler } : timings;
  } catch (err) {
    // VS Code only logs a failed activation; say it to the user too, then let VS Code know.
    void showNotice('error', vscode.l10n.t('Docker Volumes Lab failed to start: {0}', String(err)));
    throw err;
  }
}

export function deactivate(): void {
  /* everything is disposed through extensionContext.subscriptions */
}
