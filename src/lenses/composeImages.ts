import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import type { DaemonService } from '../services/daemonService';

/**
 * The `VOLUME` paths of the images compose files name, read once per image from the daemon's copy (an image not
 * pulled yet is simply unknown). Diagnostics are synchronous: a miss starts the inspection and fires
 * `onDidChange` when it answers, so the diagnostics are computed again.
 */
export class ImageVolumeCache extends Disposable {
  private readonly known = new Map<string, string[] | undefined>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly daemon: DaemonService) {
    super();
    // A pull or another endpoint changes what the daemon holds.
    this.register(daemon.onDidChangeState(() => this.known.clear()));
  }

  /** The image's VOLUME paths, or undefined while unknown (not asked yet, not on the daemon, daemon down). */
  volumes(image: string): string[] | undefined {
    if (this.known.has(image)) return this.known.get(image);
    if (this.daemon.state.kind !== 'reachable' || /\$\{?[A-Za-z_]/.test(image)) return undefined;
    this.known.set(image, undefined);
    this.daemon.client.inspectImage(image).then(
      (details) => {
        this.known.set(image, details.volumes);
        if (details.volumes.length) this.changed.fire();
      },
      () => {
        /* not on the daemon: nothing to say about it */
      },
    );
    return undefined;
  }

  /** Forget what was read (after a pull, the image may declare other paths). */
  clear(): void {
    this.known.clear();
  }
}
