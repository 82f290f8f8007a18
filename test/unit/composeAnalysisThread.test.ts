import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeCompose } from '../../src/core/compose';
import { analyseOffThread } from '../../src/services/composeAnalysisThread';

/** The worker bundle scripts/build.mjs writes beside dist/extension.js (the unit tier runs after the build). */
const WORKER = path.join(__dirname, '../../../dist/composeAnalysisWorker.js');
const TEXT = 'services:\n  web:\n    image: nginx\n    volumes:\n      - ./site:/usr/share/nginx/html:ro\n';
const CONTEXT = { folderName: 'Demo', vars: {} };

describe('compose analysis in a worker thread', function () {
  this.timeout(30_000);

  it('gives the analysis the main thread would give', async () => {
    const result = await analyseOffThread(WORKER, TEXT, CONTEXT, 20_000);
    assert.deepEqual(result, { kind: 'done', analysis: analyzeCompose(TEXT, CONTEXT) });
  });

  it('ends the worker past its budget and says "too long" instead of waiting', async () => {
    // A budget no worker can meet (it has not even started): the answer is the budget's, whatever the machine.
    assert.deepEqual(await analyseOffThread(WORKER, TEXT, CONTEXT, 0), { kind: 'tooLong', budgetMs: 0 });
  });

  it('says the worker failed rather than rejecting', async () => {
    const result = await analyseOffThread(path.join(__dirname, 'no-such-worker.js'), TEXT, CONTEXT, 20_000);
    assert.equal(result.kind, 'failed');
  });

  it('ends the worker when a newer version supersedes it', async () => {
    const newer = new AbortController();
    const running = analyseOffThread(WORKER, TEXT, CONTEXT, 20_000, newer.signal);
    newer.abort();
    assert.deepEqual(await running, { kind: 'failed', message: 'superseded' });
  });
});
