import { Worker } from 'node:worker_threads';
import type { ComposeAnalysis, ComposeContext } from '../core/compose';

/** Why a file analysed off the main thread has no analysis: too long (past the budget), or the worker failed. */
export type OffThreadFailure = { kind: 'tooLong'; budgetMs: number } | { kind: 'failed'; message: string };

export type OffThreadResult = { kind: 'done'; analysis: ComposeAnalysis } | OffThreadFailure;

/**
 * Analyses `text` in a worker thread running `script` (dist/composeAnalysisWorker.js); past `budgetMs` the worker is
 * terminated and the answer is "too long". `signal` ends it sooner (a newer version of the file supersedes this one).
 * Never rejects: a failure is a result the editor says in words.
 */
export function analyseOffThread(
  script: string,
  text: string,
  context: ComposeContext,
  budgetMs: number,
  signal?: AbortSignal,
): Promise<OffThreadResult> {
  return new Promise((resolve) => {
    let settled = false;
    // A planted file must not take the editor's memory with it: the worker dies alone past this heap.
    const worker = new Worker(script, {
      workerData: { text, context },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    const settle = (result: OffThreadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', superseded);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ kind: 'tooLong', budgetMs }), budgetMs);
    const superseded = () => settle({ kind: 'failed', message: 'superseded' });
    if (signal?.aborted) superseded();
    signal?.addEventListener('abort', superseded, { once: true });
    worker.once('message', (analysis: ComposeAnalysis) => settle({ kind: 'done', analysis }));
    worker.once('error', (err) => settle({ kind: 'failed', message: err.message }));
    worker.once('exit', (code) => settle({ kind: 'failed', message: `the analysis stopped (exit code ${code})` }));
  });
}
