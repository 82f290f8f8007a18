import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import { settings } from '../services/settings';
import * as path from 'node:path';
import { advanceSteps, LAB_MODULES } from '../core/labModules';
import { stepKey } from '../core/labs';
import type { LabFacts } from '../core/labs';
import { LabFactsReader, listedLabObjects } from '../flows/labFacts';
import type { DaemonService } from '../services/daemonService';
import { configuredBackupFolder, listBackups } from '../services/backupFolder';
import type { VolumesModel } from '../services/volumesModel';
import type { WalkthroughKeys } from './walkthroughKeys';

const REACHED_KEY = 'volumesLab.reachedSteps';

/** The image lab containers run (alpine, as the course uses; a local image where nothing can be pulled). */
export function labImage(): string {
  return settings.labImage();
}

/** The PostgreSQL image of the database steps. */
export function labPostgresImage(): string {
  return settings.labPostgresImage();
}

/** Where Create Lab Files writes a lab: the setting, else the first workspace folder; undefined: ask. */
export function labFolder(lab: string): string | undefined {
  const setting = settings.labFolder();
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const base = setting ? (path.isAbsolute(setting) || !workspace ? setting : path.join(workspace, setting)) : workspace;
  return base ? path.join(base, lab) : undefined;
}

/**
 * The folders a lab may bind from: the workspace folders and the user's own `labs.folder` (the workspace's
 * value is not one: a repository must not choose what gets mounted).
 */
export function labRoots(): string[] {
  const roots = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => f.uri.fsPath);
  const own = settings.labFolderOfUser();
  if (own && path.isAbsolute(own)) roots.push(own);
  return roots;
}

/**
 * Turns the daemon's state into walkthrough step keys: after every change of the volumes model (daemon
 * events), each step's predicate is evaluated on one snapshot and its `onContext:` key set. Steps whose
 * success is a result rather than a state (a refused write, log lines received) are recorded by the
 * commands that observed them. Keys that were true once are remembered, since later steps build on them.
 */
export class LabProgress extends Disposable {
  private readonly observed = new Set<string>();
  private readonly reached: Set<string>;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  private images: string[] = [];
  private readonly reader = new LabFactsReader();

  constructor(
    private readonly model: VolumesModel,
    private readonly daemon: DaemonService,
    private readonly keys: WalkthroughKeys,
    private readonly state: vscode.Memento,
  ) {
    super();
    this.reached = new Set(state.get<string[]>(REACHED_KEY, []));
    // Nothing to compute before a walkthrough page was seen: the keys would reach nobody, and each daemon
    // event would cost an image listing and a read of the backup folder for nothing.
    this.register(
      model.onDidChange(() => void this.update()),
      keys.onDidStartPublishing(() => void this.update()),
    );
  }

  /** The volumes and containers as last listed (what Reset Module removes is chosen from these). */
  objects(): Pick<LabFacts, 'volumes' | 'containers'> {
    return listedLabObjects(this.model.volumes, this.model.containers);
  }

  /** The predicates' view of the daemon: the model's listing, with the details the steps check (see LabFactsReader). */
  private facts(): Promise<LabFacts> {
    const inputs = {
      backedUp: new Set(listBackups(configuredBackupFolder()).map((b) => b.volume)),
      images: this.images,
      labImage: labImage(),
      observed: this.observed,
      reached: this.reached,
    };
    return this.daemon.use((client) =>
      this.reader.read(client, inputs, { volumes: this.model.volumes, containers: this.model.containers }),
    );
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
    this.images = await this.daemon
      .use((client) => client.listImages())
      .then(
        (list) => list.flatMap((i) => i.tags),
        () => this.images,
      );
    const facts = await this.facts().catch(() => undefined);
    if (!facts) return; // the daemon went away: the keys keep their last values
    // A finished module whose first step completes again is being run anew: its history starts over,
    // or steps that build on earlier ones ("the containers are gone") would complete at once.
    const snapshot = new Set(this.reached);
    const { values: before } = advanceSteps({ ...facts, reached: snapshot });
    for (const module of LAB_MODULES) {
      const first = stepKey(module.id, module.steps[0]!.id);
      const last = stepKey(module.id, module.steps.at(-1)!.id);
      if (this.reached.has(last) && before.get(first) && !this.keys.get(first)) this.dropHistory(module.id);
    }
    const { values, newlyReached } = advanceSteps(facts);
    if (newlyReached) await this.state.update(REACHED_KEY, [...this.reached]);
    await Promise.all([...values].map(([key, value]) => this.keys.set(key, value)));
    this.changed.fire();
  }
}
