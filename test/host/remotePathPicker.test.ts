import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import { TEST_IMAGE } from '../support/docker';
import { activeApi, answering, eventually, typeAPath } from './helpers';

describe("The bind-mount picker for a daemon on another machine takes only that machine's paths", function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  const common = { image: TEST_IMAGE, target: '/site', networkMode: 'none', command: ['true'] };
  const remote = 'tcp://127.0.0.1:9';
  before(async () => {
    const api = await activeApi();
    await config().update(SETTINGS.dockerHost, remote, vscode.ConfigurationTarget.Global);
    await eventually(() => (api.context.daemon.endpoint?.host === remote ? true : undefined), 'the remote endpoint');
  });
  after(async () => {
    const api = await activeApi();
    await config().update(SETTINGS.dockerHost, undefined, vscode.ConfigurationTarget.Global);
    await eventually(() => (api.context.daemon.state.kind === 'reachable' ? true : undefined), 'reachable again');
  });

  /** What the picker says of `typed` and whether Enter on it was refused (the picker left open). */
  async function typing(typed: string, enter?: 'now') {
    const ui = answering({ pick: typeAPath, input: [typed], warning: () => undefined, ...(enter ? { enter } : {}) });
    try {
      await vscode.commands.executeCommand(COMMANDS.runWithBindMount, common);
    } finally {
      ui.restore();
    }
    return ui;
  }

  it('refuses a relative path or one from ~, which this machine would resolve, saying why', async () => {
    const relative = await typing('./site');
    assert.equal(
      relative.validations[0],
      'Relative, and the Docker daemon runs on another machine: type the absolute path there.',
    );
    assert.deepEqual(relative.refused, ['./site']);
    // A bare name is not offered while typed (it may filter the choices): Enter refuses it all the same.
    const bare = await typing('site', 'now');
    assert.equal(
      bare.validations[0],
      'Relative, and the Docker daemon runs on another machine: type the absolute path there.',
    );
    assert.deepEqual(bare.refused, ['site']);
    const home = await typing('~/site');
    assert.equal(
      home.validations[0],
      "~ is your home here, not on the Docker daemon's machine: type the absolute path there.",
    );
    assert.deepEqual(home.refused, ['~/site']);
  });

  it('offers its "Type a Path…" as the daemon\'s machine names paths, and starts it at that machine\'s root', async () => {
    const ui = answering({ pick: typeAPath, input: [''], enter: 'onHint', warning: () => undefined });
    try {
      await vscode.commands.executeCommand(COMMANDS.runWithBindMount, common);
    } finally {
      ui.restore();
    }
    assert.equal(
      ui.picks[0]?.find((i) => /^Type a Path/.test(i.label))?.description,
      "type it in the box above: absolute, as the Docker daemon's machine names it",
    );
    assert.deepEqual(ui.values, ['/'], 'not the workspace folder of this machine');
    assert.deepEqual(ui.validations[0], {
      message: 'On 127.0.0.1, where the Docker daemon runs: not checked from here.',
      severity: vscode.InputBoxValidationSeverity.Info,
    });
  });
});
