import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/constants';
import { OFF_THREAD_BYTES } from '../../src/core/aliasScan';
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

  it('analyses a small alias-heavy compose file in the worker too: a command issued meanwhile is not held up', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-alias-compose-'));
    const file = path.join(dir, 'compose.yaml');
    // 2.6 KiB: one list of 40 binds of folders that do not exist, named by 100 services (4,000 entries).
    const text = `x-v: &v\n${'  - ./missing/a:/b\n'.repeat(40)}services:\n${Array.from({ length: 100 }, (_, i) => `  s${i}: {volumes: *v}\n`).join('')}`;
    assert.ok(text.length > 2048 && text.length < 4096 && text.length < OFF_THREAD_BYTES, `${text.length} bytes`);
    fs.writeFileSync(file, text);
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.commands.executeCommand(COMMANDS.clearVolumeFilter);
      // Analysed on the main thread, the diagnostics would be set before the command could run.
      const atCommand = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Docker Volumes');
      assert.equal(atCommand.length, 0, 'the command ran while the analysis was still under way');
      const after = await eventually(
        () => {
          const found = vscode.languages
            .getDiagnostics(doc.uri)
            .filter((d) => d.code === 'missingBindSource' || d.code === 'notAnalysed');
          return found.length ? found : undefined;
        },
        'the diagnostics of the worker analysis',
        60_000,
      );
      // The 100 services share the 40 anchored entries: one diagnostic per listed bind, on its line.
      const lines = new Set(after.map((d) => d.range.start.line));
      assert.ok(
        after.some((d) => d.code === 'notAnalysed') || lines.size === 40,
        `${after.length} diagnostics on ${lines.size} lines: every listed bind, or the file said not analysed`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
