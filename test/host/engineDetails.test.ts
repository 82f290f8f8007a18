import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, EXTENSION_ID, SETTINGS, VIEWS } from '../../src/constants';
import { testDocker } from '../support/docker';
import { activeApi, eventually } from './helpers';

/** Runs Docker Engine Details, answering its message with `choose`; returns what it showed and its answer. */
async function details(choose: (items: string[]) => string | undefined) {
  const window = vscode.window as unknown as Record<string, unknown>;
  const saved = window.showInformationMessage;
  const shown: { message: string; items: string[] }[] = [];
  window.showInformationMessage = (message: string, ...rest: unknown[]) => {
    // A long line comes as a summary with Details, then (Details chosen) as a dialog whose detail holds the rest.
    const options = typeof rest[0] === 'object' ? (rest.shift() as { detail?: string }) : undefined;
    const items = rest as string[];
    shown.push({ message: options?.detail ? `${message} ${options.detail}` : message, items });
    return Promise.resolve(choose(items));
  };
  try {
    const result: unknown = await vscode.commands.executeCommand(COMMANDS.engineDetails);
    return { shown, result };
  } finally {
    window.showInformationMessage = saved;
  }
}

describe('Docker Engine Details', function () {
  this.timeout(60_000);

  it('is in the palette, the Volumes view’s title menu and the no-volumes welcome', () => {
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: {
        commands: { command: string }[];
        menus: Record<string, { command: string; when?: string }[]>;
        viewsWelcome: { view: string; contents: string }[];
      };
    };
    const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const { commands, menus, viewsWelcome } = manifest.contributes;
    assert.ok(commands.some((c) => c.command === COMMANDS.engineDetails));
    assert.ok(!menus.commandPalette?.some((m) => m.command === COMMANDS.engineDetails && m.when === 'false'));
    assert.ok(
      menus['view/title']?.some((m) => m.command === COMMANDS.engineDetails && m.when === `view == ${VIEWS.volumes}`),
    );
    const noVolumes = viewsWelcome.find((w) => w.contents === '%welcome.noVolumes%');
    assert.match(nls['welcome.noVolumes'] ?? '', /\[Docker Engine Details\]\(command:volumesLab\.daemon\.details\)/);
    assert.ok(noVolumes);
  });

  it('shows the full engine line, and Copy puts it on the clipboard', async () => {
    const api = await activeApi();
    await eventually(() => (api.context.daemon.state.kind === 'reachable' ? true : undefined), 'reachable');
    const { Version: version, ApiVersion: apiVersion } = await testDocker().version();
    await vscode.env.clipboard.writeText('');
    const { shown, result } = await details((items) => items.find((i) => i === 'Copy'));
    assert.equal(result, 'copied');
    const line = `Docker Engine ${version} (API ${apiVersion}) at ${api.context.daemon.endpoint!.host}`;
    assert.deepEqual(shown, [{ message: line, items: ['Copy', 'Open Settings'] }]);
    assert.equal(await vscode.env.clipboard.readText(), line);
  });

  it('names the address it cannot reach, the setting that chose it and why it failed', async () => {
    const api = await activeApi();
    const config = vscode.workspace.getConfiguration(SETTINGS.section);
    try {
      await config.update(
        SETTINGS.dockerHost,
        'unix:///nonexistent/vlab-details.sock',
        vscode.ConfigurationTarget.Global,
      );
      await eventually(() => (api.context.daemon.state.kind === 'unreachable' ? true : undefined), 'unreachable');
      const { shown, result } = await details((items) => items.find((i) => i === 'Details'));
      assert.equal(result, undefined, 'dismissed: nothing done');
      assert.equal(
        shown[0]?.message,
        'Docker at unix:///nonexistent/vlab-details.sock (from the volumesLab.docker.host setting): not connected.',
      );
      assert.deepEqual(shown[0]?.items, ['Copy', 'Open Settings', 'Details']);
      assert.equal(
        shown[1]?.message,
        'Docker at unix:///nonexistent/vlab-details.sock (from the volumesLab.docker.host setting): not connected. ' +
          'Cannot reach the Docker daemon at unix:///nonexistent/vlab-details.sock. Is Docker running? ' +
          'This setting wins over DOCKER_HOST and docker contexts: clear it (Reset Setting in Settings) to use them.',
      );
    } finally {
      await config.update(SETTINGS.dockerHost, undefined, vscode.ConfigurationTarget.Global);
    }
    await eventually(() => (api.context.daemon.state.kind === 'reachable' ? true : undefined), 'reachable again');
  });
});
