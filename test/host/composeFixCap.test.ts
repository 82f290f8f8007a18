import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAX_FIXES_PER_LINE } from '../../src/lenses/composeQuickFixes';
import { activeApi, eventually } from './helpers';

describe('compose quick fixes on a line many services share', function () {
  this.timeout(90_000);

  it('offers at most the cap of fixes for one anchored database line, however many services name it', async () => {
    await activeApi();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-fix-cap-'));
    const file = path.join(dir, 'compose.yaml');
    // One PostgreSQL image line, anchored, named by 25 services: each needs a volume, and its warning is on that line.
    const services = 25;
    const text = [
      'x-image: &pg postgres:16',
      'services:',
      ...Array.from({ length: services }, (_, i) => `  db${i}:\n    image: *pg`),
      '',
    ].join('\n');
    fs.writeFileSync(file, text);
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      const warnings = await eventually(() => {
        const found = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'statefulWithoutVolume');
        return found.length ? found : undefined;
      }, 'the stateful warnings');
      const line = warnings[0]!.range;
      assert.equal(line.start.line, 0, 'the warning is on the anchored image line');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        line,
        vscode.CodeActionKind.QuickFix.value,
      );
      const keep = actions.filter((a) => a.title.startsWith('Keep /var/lib/postgresql/data in a named volume'));
      // 25 services would each get one (each fix parses the document again): the cap, no more, and never none.
      assert.equal(keep.length, MAX_FIXES_PER_LINE, keep.map((a) => a.title).join(' | '));
      assert.equal(new Set(keep.map((a) => a.title)).size, keep.length, 'no fix offered twice');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
