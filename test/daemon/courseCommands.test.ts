import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Every shell command a walkthrough step shows, English and French, runs against this daemon (with the
 * stand-in images of scripts/course-commands.mjs), and does what the step says; the ones that cannot run here
 * are marked in the Markdown with a reason. The summary line is what `npm test` prints.
 */
const root = path.resolve(__dirname, '../../..');

interface Row {
  step: string;
  lang: string;
  command: string;
  status: 'run' | 'marked' | 'failed';
  reason?: string;
}
interface Result {
  rows: Row[];
  run: number;
  marked: number;
  failed: number;
  summary: string;
}

describe('course commands', function () {
  this.timeout(30 * 60_000);

  it('runs every command the walkthrough steps show, in both languages, and marks the rest with a reason', async () => {
    const { runAll } = (await import(pathToFileURL(path.join(root, 'scripts/course-commands.mjs')).href)) as {
      runAll: () => Promise<Result>;
    };
    const result = await runAll();
    console.log(`      ${result.summary}`);
    const failed = result.rows
      .filter((r) => r.status === 'failed')
      .map((r) => `[${r.lang}] ${r.step}: ${r.command}\n    ${r.reason}`);
    assert.deepEqual(failed, [], failed.join('\n'));
    for (const r of result.rows.filter((x) => x.status === 'marked'))
      assert.ok(r.reason && r.reason.length > 10, `marked without a reason: ${r.command}`);
    for (const lang of ['en', 'fr'])
      assert.ok(
        result.rows.filter((r) => r.lang === lang && r.status === 'run').length > 80,
        `too few ${lang} commands ran`,
      );
  });
});
