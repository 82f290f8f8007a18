import type * as vscode from 'vscode';

/**
 * Base of every class that owns listeners, emitters or other disposables: what it `register`s is
 * disposed with it, newest first, once.
 */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  /** Takes ownership of `d` and `more` (disposed at once when this already is); returns `d`. */
  protected register<T extends vscode.Disposable>(d: T, ...more: vscode.Disposable[]): T {
    for (const each of [d, ...more]) {
      if (this.disposed) each.dispose();
      else this.owned.push(each);
    }
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.owned.splice(0).reverse()) d.dispose();
  }
}
