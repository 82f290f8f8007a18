import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { measureCommandHandlers } from '../support/commandHandlers';

const src = path.resolve(__dirname, '../../../src');

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
