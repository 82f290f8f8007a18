import * as vscode from 'vscode';
import * as path from 'node:path';
import { SETTINGS } from '../constants';
import { evaluateSteps, LAB_MODULES } from '../core/labModules';
import { stepKey } from '../core/labs';
import type { LabFacts } from '../core/labs';
import type { DaemonService } from '../services/daemonService';
import { configuredBackupFolder, listBackups } from '../services/backupFolder';
import type { VolumesModel } from '../services/volumesModel';
import type { WalkthroughKeys } from './walkthroughKeys';

const REACHED_KEY = 'volumesLab.reachedSteps';

/** The image lab containers run (alpine, as the course uses; a local image where nothing can be pulled). */
export function labImage(): string {
  return vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.labImage, 'alpine') || 'alpine';
}

/** The PostgreSQL image of the database steps. */
export function labPostgresImage(): string {
  return vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.labPostgresImage, 'postgres:13') || 'postgres:13';
}

/** Where Create Lab Files writes a lab: the setting, else the first workspace folder; undefined: ask. */
export function labFolder(lab: string): string | undefined {
  const setting = vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.labFolder, '').trim();
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const base = setting ? (path.isAbsolute(setting) || !workspace ? setting : path.join(workspace, setting)) : workspace;
  return base ? path.join(base, lab) : undefined;
}

/**
 * The folders a lab may bind from: the workspace folders and the user's own `labs.folder` (the workspace's
 * value is not one: a repository must not choose what gets mounted).
 */
export function labRoots(): string[] {
  const roots = (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath);
  const own = vscode.workspace.getConfiguration(SETTINGS.section).inspect<string>(SETTINGS.labFolder)?.globalValue?.trim();
  if (own && path.isAbsolute(own)) roots.push(own);
  return roots;
}

/**
 * Turns the daemon's state into walkthrough step keys: after every change of the volumes model (daemon
 * events), each step's predicate is evaluated on one snapshot and its `onContext:` key set. Steps whose
 * success is a result rather than a state (a refused write, log lines received) are recorded by the
 * commands that observed them. Keys that were true once are remembered, since later steps build on them.
 */
export class LabProgress implements vscode.Disposable {
  private readonly observed = new Set<string>();
  private readonly reached: Set<string>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  private images: string[] = [];

  constructor(private readonly model: VolumesModel, private readonly daemon: DaemonService, private readonly keys: WalkthroughKeys, private readonly state: vscode.Memento) {
    this.reached = new Set(state.get<string[]>(REACHED_KEY, []));
    // Nothing to compute before a walkthrough page was seen: the keys would reach nobody, and each daemon
    // event would cost an image listing and a read of the backup folder for nothing.
    this.subscriptions.push(model.onDidChange(() => void this.update()), keys.onDidStartPublishing(() => void this.update()), this.changed);
  }

  facts(): LabFacts {
    return {
      volumes: this.model.volumes.map(v => ({ name: v.name, anonymous: v.anonymous, labels: v.labels, options: v.options })),
      containers: this.model.containers.map(c => ({
        name: c.name, running: c.state === 'running', labels: c.labels,
        mounts: c.mounts.map(m => ({ type: m.type, ...(m.name ? { name: m.name } : {}), source: m.source, destination: m.destination, readOnly: m.readOnly })),
      })),
      backedUp: new Set(listBackups(configuredBackupFolder()).map(b => b.volume)),
      images: this.images,
      labImage: labImage(),
      observed: this.observed,
      reached: this.reached,
    };
  }

  /** A command saw a step's result on the daemon (e.g. the write refused on a read-only mount). */
  async observe(key: string): Promise<void> {
    this.observed.add(key);
    await this.update();
  }

  /** Forgets what a module's steps reached (Reset Module), so that it can be done again. */
  async forget(moduleId: string): Promise<void> {
    this.dropHistory(moduleId);
    await this.state.update(REACHED_KEY, [...this.reached]);
    await this.update();
  }

  private dropHistory(moduleId: string): void {
    const prefix = `volumesLab.step.${moduleId}.`;
    for (const key of [...this.reached]) if (key.startsWith(prefix)) this.reached.delete(key);
    for (const key of [...this.observed]) if (key.startsWith(prefix)) this.observed.delete(key);
  }

  /** The current value of a step key. */
  value(key: string): boolean {
    return this.keys.get(key);
  }

  async update(): Promise<void> {
    if (!this.model.loaded || !this.keys.isPublishing) return;
    // Images change only through pulls and builds: listed with the rest, cheap (one call per change burst).
    this.images = await this.daemon.use(client => client.listImages()).then(list => list.flatMap(i => i.tags), () => this.images);
    let values = evaluateSteps(this.facts());
    // A finished module whose first step completes again is being run anew: its history starts over,
    // or steps that build on earlier ones ("the containers are gone") would complete at once.
    for (const module of LAB_MODULES) {
      const first = stepKey(module.id, module.steps[0]!.id);
      const last = stepKey(module.id, module.steps.at(-1)!.id);
      if (this.reached.has(last) && values.get(first) && !this.keys.get(first)) {
        this.dropHistory(module.id);
        values = evaluateSteps(this.facts());
      }
    }
    let newlyReached = false;
    for (const [key, value] of values) {
      if (value && !this.reached.has(key)) {
        this.reached.add(key);
        newlyReached = true;
      }
    }
    if (newlyReached) {
      await this.state.update(REACHED_KEY, [...this.reached]);
      // A step that a reached one unlocks may be true now.
      for (const [key, value] of evaluateSteps(this.facts())) values.set(key, value);
    }
    await Promise.all([...values].map(([key, value]) => this.keys.set(key, value)));
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
