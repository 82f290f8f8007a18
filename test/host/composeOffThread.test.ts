import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/constants';
import { OFF_THREAD_BYTES } from '../../src/lenses/composeDocuments';
import { eventually } from './helpers';

/** A big compose file: `services` services, each with a bind of a folder that does not exist (one diagnostic each). */
function bigCompose(services: number): string {
  const lines = ['services:'];
  for (let i = 0; i < services; i++)
    lines.push(
      `  svc${i}:`,
      `    image: registry.example.com/team/app${i % 7}:latest`,
      '    environment:',
      `      - SERVICE_ID=${i}`,
      '    volumes:',
      `      - ./missing/svc${i}:/app:ro`,
      `      - data${i % 40}:/var/lib/app`,
    );
  lines.push('volumes:');
  for (let i = 0; i < 40; i++) lines.push(`  data${i}:`);
  return `${lines.join('\n')}\n`;
}

describe('Compose analysis off the main thread', function () {
  this.timeout(120_000);

  it('analyses a big compose file in a worker: a command issued meanwhile is not held up, the diagnostics follow', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-big-compose-'));
    const file = path.join(dir, 'compose.yaml');
    const text = bigCompose(1000);
    assert.ok(text.length > OFF_THREAD_BYTES * 4, `a big file: ${text.length} bytes`);
    fs.writeFileSync(file, text);
    try {
      // Opening the file starts its analysis (diagnostics follow every open document). Done on the main thread, it
      // would be over before the command below could run, and its diagnostics set by then.
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.commands.executeCommand(COMMANDS.clearVolumeFilter);
      const atCommand = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Docker Volumes');
      assert.equal(atCommand.length, 0, 'the command ran while the analysis was still under way');
      const after = await eventually(
        () => {
          const found = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'missingBindSource');
          return found.length ? found : undefined;
        },
        'the diagnostics of the worker analysis',
        60_000,
      );
      assert.equal(after.length, 1000, 'every bind looked at');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
