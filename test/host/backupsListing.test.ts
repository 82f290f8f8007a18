import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import { activeApi, answering, eventually } from './helpers';

interface BackupsRow extends vscode.TreeItem {
  nodeType: string;
  volume?: string;
  backups?: { file: string }[];
  backup?: { file: string };
}

describe('the Backups view lists every archive and dump of the folder', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-listing-'));
  before(() => config().update(SETTINGS.backupFolder, folder, vscode.ConfigurationTarget.Global));
  after(async () => {
    await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('shows an archive made with the tar CLI, without a manifest, as soon as it lands, and Restore lists it too', async () => {
    const api = await activeApi();
    const tree = api.context.backupsTree;
    await eventually(() => (tree.getChildren().length === 0 ? true : undefined), 'an empty Backups view');
    // What `docker run -v data:/data -v "$PWD":/backup busybox tar czf /backup/x.tar.gz -C /data .` leaves behind.
    const content = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-listing-data-'));
    fs.writeFileSync(path.join(content, 'hello.txt'), 'hello');
    const changed = new Promise<void>((resolve) => {
      const listener = tree.onDidChangeTreeData(() => {
        listener.dispose();
        resolve();
      });
    });
    // The view watches the folder from its first listing; a watcher asked for after it and seeing a file says
    // that watching is under way (VS Code sets it up asynchronously).
    const probe = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '*'));
    let watching = false;
    probe.onDidCreate(() => (watching = true));
    await eventually(() => {
      fs.writeFileSync(path.join(folder, `probe-${Date.now()}.txt`), '');
      return watching ? true : undefined;
    }, 'the folder watched');
    probe.dispose();
    const archive = path.join(folder, 'x.tar.gz');
    execFileSync('tar', ['czf', archive, '-C', content, '.']);
    fs.rmSync(content, { recursive: true, force: true });
    await Promise.race([
      changed,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the folder watcher did not fire')), 20_000)),
    ]);

    const groups = tree.getChildren() as BackupsRow[];
    assert.deepEqual(
      groups.map((g) => [g.nodeType, g.label, g.volume]),
      [['backupVolume', 'Other archives and dumps', undefined]],
    );
    const rows = tree.getChildren(groups[0] as never) as BackupsRow[];
    assert.deepEqual(
      rows.map((r) => [r.nodeType, r.label, r.backup?.file, r.contextValue]),
      [['backup', 'x.tar.gz', archive, 'backup']],
    );
    assert.match(String(rows[0]!.description), / · no manifest$/);
    assert.match(
      (rows[0]!.tooltip as vscode.MarkdownString).value,
      /No manifest: the volume it came from and its entry count and size cannot be checked/,
    );

    const ui = answering({ pick: () => undefined });
    try {
      await vscode.commands.executeCommand(COMMANDS.restoreBackup);
    } finally {
      ui.restore();
    }
    const listed = ui.picks[0]?.find((i) => i.label === 'x.tar.gz');
    assert.ok(listed, `Restore lists the archive: ${JSON.stringify(ui.picks[0])}`);
    assert.match(listed.description!, /no manifest/);
  });
});
