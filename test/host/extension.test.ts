import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS, EXTENSION_ID, SETTINGS, STEP_KEYS, VIEW_CONTAINER } from '../../src/constants';
import { activeApi, eventually, findVolume } from './helpers';
import { cleanupTestObjects, TEST_LABEL, testDocker, uniqueName } from '../support/docker';

describe('extension', () => {
  after(() => cleanupTestObjects());

  it('activates and reports how long activation took', async () => {
    const api = await activeApi();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs >= 0);
  });

  it('registers every contributed command and contributes every registered one', async () => {
    await activeApi();
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> };
    };
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    // VS Code itself registers these for each contributed view.
    const viewCommands = new Set(
      Object.values(manifest.contributes.views)
        .flat()
        .flatMap((v) =>
          ['focus', 'open', 'resetViewLocation', 'toggleVisibility', 'removeView'].map((s) => `${v.id}.${s}`),
        ),
    );
    const registered = new Set(
      (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('volumesLab.') && !viewCommands.has(c)),
    );
    assert.ok(contributed.size > 0);
    assert.deepEqual(
      [...contributed].filter((c) => !registered.has(c)),
      [],
      'contributed but not registered',
    );
    assert.deepEqual(
      [...registered].filter((c) => !contributed.has(c)),
      [],
      'registered but not contributed',
    );
  });

  it('connects to the test daemon', async () => {
    const api = await activeApi();
    const state = await api.context.daemon.check();
    assert.equal(state.kind, 'reachable', state.kind === 'unreachable' ? state.error.message : '');
    assert.ok(api.context.daemon.endpoint);
  });
});

describe('walkthroughs', () => {
  it('contributes the first-steps walkthrough, which opens, its connection step completing on a context key', async () => {
    await activeApi();
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { walkthroughs: { id: string; steps: { id: string; completionEvents?: string[] }[] }[] };
    };
    const firstSteps = manifest.contributes.walkthroughs.find((w) => w.id === 'firstSteps');
    assert.ok(firstSteps, 'firstSteps walkthrough');
    const check = firstSteps.steps.find((s) => s.id === 'checkConnection');
    assert.deepEqual(check?.completionEvents, [`onContext:${STEP_KEYS.daemonReachable}`]);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#firstSteps`, false);
    await eventually(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input === undefined),
      'walkthrough tab',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

describe('Volumes view', () => {
  after(() => cleanupTestObjects());

  it('lists a volume created through the Engine API, and drops it once removed', async () => {
    const api = await activeApi();
    await vscode.commands.executeCommand(`workbench.view.extension.${VIEW_CONTAINER}`);
    const name = uniqueName('vlab-host');
    const docker = testDocker();
    await docker.createVolume({ Name: name, Labels: { [TEST_LABEL]: '1', purpose: 'host test' } });

    await vscode.commands.executeCommand(COMMANDS.refreshVolumes);
    const found = await eventually(() => findVolume(api, name), `volume ${name} in the tree`);
    assert.equal(found.item.label, name);
    assert.equal(found.group, 'unused');
    assert.equal(found.item.contextValue, 'volume:unused');
    assert.equal(found.item.row?.volume.labels.purpose, 'host test');

    await docker.getVolume(name).remove();
    await vscode.commands.executeCommand(COMMANDS.refreshVolumes);
    assert.equal(await findVolume(api, name), undefined, 'removed volume is gone from the tree');
  });

  it('shows an anonymous volume with a short name', async () => {
    const api = await activeApi();
    const created = await testDocker()
      .createVolume({ Labels: { [TEST_LABEL]: '1' } })
      .then((v) => v.inspect());
    const found = await eventually(() => findVolume(api, created.Name), 'anonymous volume');
    assert.equal(found.group, 'anonymous');
    assert.equal(found.item.contextValue, 'volume:unused:anonymous');
    assert.equal(found.item.label, `${created.Name.slice(0, 12)}…`);
  });

  it('turns unreachable when the endpoint setting points nowhere, and recovers when it is cleared', async () => {
    const api = await activeApi();
    const config = vscode.workspace.getConfiguration(SETTINGS.section);
    try {
      await config.update(
        SETTINGS.dockerHost,
        'unix:///nonexistent/volumes-lab.sock',
        vscode.ConfigurationTarget.Global,
      );
      const unreachable = await eventually(() => {
        const s = api.context.daemon.state;
        return s.kind === 'unreachable' ? s : undefined;
      }, 'unreachable state');
      assert.equal(unreachable.error.kind, 'unreachable');
      assert.equal(api.context.daemon.endpoint?.host, 'unix:///nonexistent/volumes-lab.sock');
      await eventually(
        async () => ((await api.context.volumesTree.getChildren()).length === 0 ? true : undefined),
        'empty tree',
      );
    } finally {
      await config.update(SETTINGS.dockerHost, undefined, vscode.ConfigurationTarget.Global);
    }
    await eventually(() => (api.context.daemon.state.kind === 'reachable' ? true : undefined), 'reachable again');
  });

  if (process.env.VOLUMES_LAB_FAIL_HOST === '1') {
    it('fails on purpose (VOLUMES_LAB_FAIL_HOST=1 proves a failing host test fails the run)', () => {
      assert.fail('deliberate failure');
    });
  }
});
