import * as vscode from 'vscode';
import { entriesText, sizeText } from '../messages';

/** Where the progress of long work shows: a notification, or the status bar for background (scheduled) work. */
export type ProgressPlace = 'notification' | 'window';

/** Reports one line of progress, and the share of the whole work done since the last report (percent). */
export type ReportProgress = (message: string, increment?: number) => void;

/**
 * Runs cancellable work under a progress notification: the Cancel button aborts the work's AbortSignal,
 * the one way the docker layer understands cancellation.
 */
export function withCancellableProgress<T>(
  title: string,
  work: (report: ReportProgress, signal: AbortSignal) => Promise<T>,
  place: ProgressPlace = 'notification',
): Thenable<T> {
  const location = place === 'window' ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
  return vscode.window.withProgress({ location, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancelled = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(
        (message, increment) => progress.report({ message, ...(increment !== undefined ? { increment } : {}) }),
        controller.signal,
      );
    } finally {
      cancelled.dispose();
    }
  });
}

/** Progress events arrive per chunk (thousands a second): show at most one every `everyMs`. */
export function throttled<A extends unknown[]>(show: (...args: A) => void, everyMs = 200): (...args: A) => void {
  let last = 0;
  return (...args: A) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    show(...args);
  };
}

/** Bytes done and their rate since the work started, throttled: "12 MB · 3 entries · 4 MB/s". */
export function transferReporter(report: ReportProgress): (p: { bytes: number; files: number }) => void {
  const started = Date.now();
  return throttled((p) => {
    const rate = p.bytes / Math.max(0.001, (Date.now() - started) / 1000);
    report(vscode.l10n.t('{0} · {1} · {2}/s', sizeText(p.bytes), entriesText(p.files), sizeText(rate)));
  });
}
