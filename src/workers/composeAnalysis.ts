/**
 * The compose analysis in a worker thread (bundled as dist/composeAnalysisWorker.js): a big or hostile file is
 * analysed here, so that the extension host's main thread never waits for it, and a run past its time budget can
 * be ended by terminating the worker, which no check inside the analysis could do as surely.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeCompose, type ComposeContext } from '../core/compose';

const { text, context } = workerData as { text: string; context: ComposeContext };
parentPort?.postMessage(analyzeCompose(text, context));
