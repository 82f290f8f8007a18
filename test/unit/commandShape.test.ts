import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { measureCommandHandlers } from '../support/commandHandlers';

/**
 * How the extension's own code reaches its commands' work: through the functions (flows, shared handlers) they call,
 * never `executeCommand` on one of our own ids. Going through the command would hide a failure behind the inner
 * command's error report (the caller sees `undefined`) and skip the types of its arguments.
 */
const src = path.resolve(__dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `executeCommand(COMMANDS.x …)`, `executeCommand<T>('volumesLab.…')`: a call of one of our own commands. */
const OWN_COMMAND_CALL = /executeCommand\s*(<[^>]*>)?\s*\(\s*(COMMANDS\.|['"`]volumesLab\.)/;

export function ownCommandCalls(files: { file: string; text: string }[]): string[] {
  return files.flatMap(({ file, text }) =>
    text
      .split('\n')
      .map((line, i) => ({ line, at: `${file}:${i + 1}` }))
      .filter(({ line }) => OWN_COMMAND_CALL.test(line))
      .map(({ at, line }) => `${at}: ${line.trim()}`),
  );
}

describe('command shape: no executeCommand on our own commands inside the extension', () => {
  it('finds such a call where there is one (the check can fail)', () => {
    assert.equal(
      ownCommandCalls([
        { file: 'a.ts', text: 'await vscode.commands.executeCommand(COMMANDS.createVolume, {});' },
        { file: 'b.ts', text: "vscode.commands.executeCommand<string>('volumesLab.volumes.prune');" },
        { file: 'c.ts', text: "vscode.commands.executeCommand('workbench.action.openSettings', id);" },
      ]).length,
      2,
    );
  });

  it('src/ has none', () => {
    const files = sourceFiles(src).map((file) => ({
      file: path.relative(src, file),
      text: fs.readFileSync(file, 'utf8'),
    }));
    assert.ok(files.length > 50, 'reads the sources');
    assert.deepEqual(ownCommandCalls(files), []);
  });
});

describe('command shape: every registered handler stays short (prompts, a flow, the result)', () => {
  const handlers = measureCommandHandlers(path.join(src, 'commands'));

  it('measures the handlers of every command table', () => {
    const commands = new Set(handlers.map((h) => h.command));
    for (const id of ['COMMANDS.createVolume', 'COMMANDS.backupVolume', 'COMMANDS.restoreBackup', 'COMMANDS.labRun'])
      assert.ok(commands.has(id), `${id} is measured`);
    assert.ok(handlers.length >= 40, `${handlers.length} handlers measured`);
  });

  it('no handler is longer than 40 lines', () => {
    const long = handlers.filter((h) => h.lines > 40).map((h) => `${h.command} (${h.at}): ${h.lines} lines`);
    assert.deepEqual(long, []);
  });
});
