import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import {
  cleanupTestObjects,
  containerUsing,
  TEST_IMAGE,
  TEST_LABEL,
  TEST_MODULE,
  testDocker,
  uniqueName,
} from '../support/docker';
import { activeApi, eventually, shownErrors } from './helpers';

interface ViewNode extends vscode.TreeItem {
  nodeType: string;
  container?: { name: string };
  volume?: string;
}

describe('first run: empty views, counts and long messages', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  after(() => cleanupTestObjects());

  it('the Backups view names the folder in use; empty, it shows no row, and Back Up a Volume fills it', async () => {
    const api = await activeApi();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-first-backups-'));
    await config().update(SETTINGS.backupFolder, folder, vscode.ConfigurationTarget.Global);
    try {
      const home = os.homedir();
      const shown = folder.startsWith(home + path.sep) ? `~${folder.slice(home.length)}` : folder;
      await eventually(
        () => (api.context.backupsView.description === shown ? true : undefined),
        'the folder in the view title',
      );
      // VS Code shows the welcome content (its Back Up a Volume button) only for a tree without rows.
      assert.deepEqual(api.context.backupsTree.getChildren(), []);

      const volume = uniqueName('vlab-first');
      await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
      await vscode.commands.executeCommand(COMMANDS.backupVolume, { volume, keep: {} });
      const rows = api.context.backupsTree.getChildren() as ViewNode[];
      assert.deepEqual(
        rows.map((r) => [r.nodeType, r.volume, r.description]),
        [['backupVolume', volume, '1 backup']],
        'the first backup replaces the welcome content, counted in the singular',
      );
      await vscode.commands.executeCommand(COMMANDS.backupVolume, { volume, keep: {} });
      const again = api.context.backupsTree.getChildren() as ViewNode[];
      assert.equal(again[0]?.description, '2 backups');
    } finally {
      await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('counts a container’s mounts in the singular and the plural', async () => {
    const api = await activeApi();
    const names = [uniqueName('vlab-first-one'), uniqueName('vlab-first-two')];
    // Labelled, so that the clean-up finds them (Docker would create them unlabelled on first use).
    const volumes = [uniqueName('vlab-first-vol'), uniqueName('vlab-first-vol')];
    for (const Name of volumes) await testDocker().createVolume({ Name, Labels: { [TEST_LABEL]: '1' } });
    await containerUsing(volumes[0]!, names[0]);
    await testDocker().createContainer({
      name: names[1],
      Image: TEST_IMAGE,
      Cmd: ['sh'],
      Labels: { [TEST_LABEL]: '1' },
      HostConfig: {
        NetworkMode: 'none',
        Mounts: [
          { Type: 'volume', Source: volumes[1]!, Target: '/data' },
          { Type: 'tmpfs', Source: '', Target: '/cache' },
        ],
      },
    });
    const rows = await eventually(async () => {
      await api.context.model.refresh({ sizes: 'skip' });
      const all = (await api.context.mountsTree.getChildren()) as ViewNode[];
      const ours = names.map((n) => all.find((r) => r.container?.name === n));
      return ours.every(Boolean) ? (ours as ViewNode[]) : undefined;
    }, 'both containers listed');
    assert.match(String(rows[0]!.description), / · 1 mount(?: · |$)/);
    assert.match(String(rows[1]!.description), / · 2 mounts(?: · |$)/);
  });

  it('a long error shows its first sentence, and Details opens the whole text with the advice', async () => {
    const api = await activeApi();
    const window = vscode.window as unknown as Record<string, unknown>;
    const saved = window.showErrorMessage;
    const shown: { message: string; modal: boolean; detail?: string; items: string[] }[] = [];
    const answered = new Promise<void>((resolve) => {
      window.showErrorMessage = (message: string, ...rest: unknown[]) => {
        const options = rest[0] && typeof rest[0] === 'object' ? (rest[0] as vscode.MessageOptions) : undefined;
        const items = rest.filter((x): x is string => typeof x === 'string');
        shown.push({ message, modal: Boolean(options?.modal), detail: options?.detail, items });
        // A person reading the short message asks for the rest.
        if (!options?.modal) return Promise.resolve(items.find((i) => i === 'Details'));
        resolve();
        return Promise.resolve(undefined);
      };
    });
    try {
      // An image that no registry serves: the run fails with the words of the pull, then the advice.
      const image = '127.0.0.1:1/vlab-first-run/an-image-no-registry-serves:1';
      await vscode.commands.executeCommand(COMMANDS.runWithVolume, {
        volume: uniqueName('vlab-first-vol'),
        image,
        target: '/data',
        readOnly: false,
        module: TEST_MODULE,
      });
      await Promise.race([
        answered,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no dialog')), 20_000)),
      ]);
    } finally {
      window.showErrorMessage = saved;
    }
    const full = shownErrors(api).at(-1) ?? '';
    assert.match(full, /Pick a local image, or check the network\.$/, 'the failure ends with its advice');
    const [toast, dialog] = shown;
    assert.ok(toast && dialog, JSON.stringify(shown));
    assert.equal(toast.modal, false);
    // The first sentence, whole; or cut at a word with "…" when the daemon's own reason makes it too long to show.
    assert.match(
      toast.message,
      /^The Docker daemon reported an error: Image 127\.0\.0\.1:1\/\S+ is not on this Docker host and cannot be pulled( \(.*\)\.|.*…)$/,
    );
    assert.ok(toast.message.length < full.length, 'the notification shows the first sentence only');
    assert.deepEqual(toast.items, ['Show Log', 'Details']);
    assert.equal(dialog.modal, true);
    assert.equal(dialog.message, toast.message);
    assert.ok(
      dialog.detail?.endsWith('Pick a local image, or check the network.'),
      `Details shows the advice: ${dialog.detail}`,
    );
    assert.deepEqual(dialog.items, ['Show Log'], 'the dialog offers the same actions');
  });
});
