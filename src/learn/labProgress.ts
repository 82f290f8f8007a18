import * as vscode from 'vscode';
import { evaluateSteps, type LabFacts } from '../core/labs';
import { configuredBackupFolder, listBackups } from '../services/backupFolder';
import type { VolumesModel } from '../services/volumesModel';
import type { WalkthroughKeys } from './walkthroughKeys';

const REACHED_KEY = 'volumesLab.reachedSteps';

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

  constructor(private readonly model: VolumesModel, private readonly keys: WalkthroughKeys, private readonly state: vscode.Memento) {
    this.reached = new Set(state.get<string[]>(REACHED_KEY, []));
    this.subscriptions.push(model.onDidChange(() => void this.update()), this.changed);
  }

  facts(): LabFacts {
    return {
      volumes: this.model.volumes.map(v => ({ name: v.name, anonymous: v.anonymous, labels: v.labels })),
      containers: this.model.containers.map(c => ({
        name: c.name, running: c.state === 'running', labels: c.labels,
        mounts: c.mounts.map(m => ({ type: m.type, ...(m.name ? { name: m.name } : {}), source: m.source, destination: m.destination, readOnly: m.readOnly })),
      })),
      backedUp: new Set(listBackups(configuredBackupFolder()).map(b => b.volume)),
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
  async forget(prefix: string): Promise<void> {
    for (const key of [...this.reached]) if (key.startsWith(prefix)) this.reached.delete(key);
    for (const key of [...this.observed]) if (key.startsWith(prefix)) this.observed.delete(key);
    await this.state.update(REACHED_KEY, [...this.reached]);
    await this.update();
  }

  /** The current value of a step key. */
  value(key: string): boolean {
    return this.keys.get(key);
  }

  async update(): Promise<void> {
    if (!this.model.loaded) return;
    const values = evaluateSteps(this.facts());
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
