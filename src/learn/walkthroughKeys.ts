import * as vscode from 'vscode';
import { STEP_KEYS } from '../constants';
import type { DaemonState } from '../services/daemonService';
import { Disposable } from '../services/Disposable';

/**
 * Context keys that complete walkthrough steps (`onContext:` completion events).
 *
 * VS Code's walkthrough service is created lazily, when a walkthrough page first opens, and it ignores for
 * the whole session a completion expression that is already true at that moment: only a change from false
 * to true after it registered the walkthroughs completes a step. So step keys stay false until such a page
 * has been seen (an editor tab of no text, notebook, webview, custom or terminal kind), and are published
 * shortly after it opened; from then on they follow the daemon's state as it changes.
 */
export class WalkthroughKeys extends Disposable {
  private readonly values = new Map<string, boolean>();
  private publishing = false;
  private readonly started = this.register(new vscode.EventEmitter<void>());
  /** Fires once, when a walkthrough page has been seen and keys start to reach VS Code. */
  readonly onDidStartPublishing = this.started.event;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    if (vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => isWorkbenchPage(t.input)))) this.publishing = true;
    this.register(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        if (!this.publishing && e.opened.some((tab) => isWorkbenchPage(tab.input))) {
          // Give the page time to register its walkthroughs before the keys turn true.
          this.timer = setTimeout(() => {
            this.publishing = true;
            void this.publishAll();
            this.started.fire();
          }, 500);
        }
      }),
    );
  }

  /** Sets a step key; its step completes when it turns true. */
  async set(key: string, value: boolean): Promise<void> {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    if (this.publishing) await vscode.commands.executeCommand('setContext', key, value);
  }

  /** True once keys reach VS Code (until then, nobody can see them). */
  get isPublishing(): boolean {
    return this.publishing;
  }

  get(key: string): boolean {
    return this.values.get(key) ?? false;
  }

  private async publishAll(): Promise<void> {
    for (const [key, value] of this.values) await vscode.commands.executeCommand('setContext', key, value);
  }

  override dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    super.dispose();
  }
}

/** Completes the "Docker answers" step from the daemon's state as it changes (the service knows no steps). */
export function followDaemonState(
  keys: WalkthroughKeys,
  onDidChangeState: vscode.Event<DaemonState>,
): vscode.Disposable {
  return onDidChangeState((state) => void keys.set(STEP_KEYS.daemonReachable, state.kind === 'reachable'));
}

/** Tabs the API cannot describe: the walkthrough page is one of them. */
function isWorkbenchPage(input: unknown): boolean {
  return !(
    input instanceof vscode.TabInputText ||
    input instanceof vscode.TabInputTextDiff ||
    input instanceof vscode.TabInputNotebook ||
    input instanceof vscode.TabInputNotebookDiff ||
    input instanceof vscode.TabInputWebview ||
    input instanceof vscode.TabInputCustom ||
    input instanceof vscode.TabInputTerminal
  );
}
