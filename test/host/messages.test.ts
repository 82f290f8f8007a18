import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runLabContainer } from '../../src/commands/runPrompts';
import { COMMANDS, SETTINGS } from '../../src/constants';
import { cleanupTestObjects, TEST_IMAGE, TEST_LABEL, TEST_MODULE, testDocker, uniqueName } from '../support/docker';
import { activeApi } from './helpers';

interface RunResult {
  id: string;
  name: string;
  cli: { short: string };
  outcome: { state: string; exitCode?: number; lastLine?: string };
}

/**
 * Answers the extension's questions in place of a person, and records them. What is checked is our
 * wording and our handling of each answer; VS Code's own dialogs are not what these tests are about.
 */
type Answer = (question: { message: string; detail?: string; items: string[] }) => string | undefined;
function answering(answers: {
  warning?: Answer;
  input?: (prompt: string) => string | undefined;
  pick?: (items: string[]) => string | undefined;
}) {
  const window = vscode.window as unknown as Record<string, unknown>;
  const saved = {
    showWarningMessage: window.showWarningMessage,
    showInformationMessage: window.showInformationMessage,
    showInputBox: window.showInputBox,
    showQuickPick: window.showQuickPick,
  };
  const asked: { kind: string; message: string; detail?: string; items: string[] }[] = [];
  // A long notice shows its first sentence and a Details button: the person asks for the rest, and the whole text
  // (the sentence, then the dialog's detail) is recorded as one notice.
  let detailsAsked = false;
  const wholeNotice = (kind: string, message: string, rest: unknown[]): boolean => {
    const options = rest[0] && typeof rest[0] === 'object' ? (rest[0] as { detail?: string }) : undefined;
    const items = rest.filter((x): x is string => typeof x === 'string');
    if (!detailsAsked && items.at(-1) === 'Details') return (detailsAsked = true);
    if (!detailsAsked) return false;
    detailsAsked = false;
    asked.push({ kind, message: `${message} ${options?.detail ?? ''}`.trim(), items });
    return true;
  };
  window.showInformationMessage = (message: string, ...rest: unknown[]) => {
    if (wholeNotice('info', message, rest)) return Promise.resolve(detailsAsked ? 'Details' : undefined);
    asked.push({ kind: 'info', message, items: rest.filter((x): x is string => typeof x === 'string') });
    return Promise.resolve(undefined);
  };
  window.showWarningMessage = (message: string, ...rest: unknown[]) => {
    if (wholeNotice('warning', message, rest)) return Promise.resolve(detailsAsked ? 'Details' : undefined);
    const options =
      rest[0] && typeof rest[0] === 'object' ? (rest[0] as { modal?: boolean; detail?: string }) : undefined;
    const items = rest.filter((x): x is string => typeof x === 'string');
    asked.push({ kind: 'warning', message, ...(options?.detail ? { detail: options.detail } : {}), items });
    return Promise.resolve(
      answers.warning?.({ message, ...(options?.detail ? { detail: options.detail } : {}), items }),
    );
  };
  window.showInputBox = (options?: vscode.InputBoxOptions) => {
    asked.push({ kind: 'input', message: options?.prompt ?? '', items: [] });
    return Promise.resolve(answers.input ? answers.input(options?.prompt ?? '') : options?.value);
  };
  window.showQuickPick = async (
    items: readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>,
  ) => {
    const list = await items;
    const labels = list.map((i) => (typeof i === 'string' ? i : i.label));
    asked.push({ kind: 'pick', message: '', items: labels });
    const label = answers.pick?.(labels) ?? labels[0];
    return list.find((i) => (typeof i === 'string' ? i : i.label) === label);
  };
  return { asked, restore: () => Object.assign(window, saved) };
}

describe('Messages say what happened', function () {
  this.timeout(90_000);
  after(() => cleanupTestObjects());
  const common = { image: TEST_IMAGE, module: TEST_MODULE, networkMode: 'none' };

  const LIVES =
    'A container lives as long as its command: give one that keeps running (e.g. sleep 3600) to keep it up.';

  it('Run with Volume and with tmpfs report a container that already exited, with its code and last output line', async () => {
    await activeApi();
    const ui = answering({});
    let exited: RunResult, defaultCommand: RunResult, running: RunResult;
    try {
      exited = await vscode.commands.executeCommand<RunResult>(COMMANDS.runWithVolume, {
        ...common,
        volume: uniqueName('vlab-msg-vol'),
        target: '/data',
        readOnly: false,
        command: ['sh', '-c', 'echo first; echo "all done"; exit 3'],
      });
      defaultCommand = await vscode.commands.executeCommand<RunResult>(COMMANDS.runWithTmpfs, {
        ...common,
        target: '/cache',
      });
      running = await vscode.commands.executeCommand<RunResult>(COMMANDS.runWithTmpfs, {
        ...common,
        target: '/cache',
        command: ['sleep', '300'],
      });
    } finally {
      ui.restore();
    }
    assert.deepEqual(exited.outcome, { state: 'exited', exitCode: 3, lastLine: 'all done' });
    assert.equal(defaultCommand.outcome.state, 'exited', "the image's default sh ends at once without a terminal");
    assert.equal((await testDocker().getContainer(defaultCommand.id).inspect()).State.Running, false);
    assert.deepEqual(running.outcome, { state: 'running' });
    assert.equal((await testDocker().getContainer(running.id).inspect()).State.Running, true);
    // The sentences shown, in order: a failure is a warning, the others are information.
    assert.deepEqual(
      ui.asked.filter((q) => q.kind === 'warning' || q.kind === 'info').map((q) => [q.kind, q.message]),
      [
        [
          'warning',
          `Container ${exited.name} exited with code 3; its last output: "all done". ${LIVES} The same from a terminal: ${exited.cli.short}`,
        ],
        [
          'info',
          `Container ${defaultCommand.name} exited with code 0, with no output. ${LIVES} The same from a terminal: ${defaultCommand.cli.short}`,
        ],
        ['info', `Container ${running.name} started. The same from a terminal: ${running.cli.short}`],
      ],
    );
  });

  it('a lab run whose command ends at once reports that it exited, not that it started', async () => {
    await activeApi();
    const docker = testDocker();
    const config = vscode.workspace.getConfiguration(SETTINGS.section);
    const previousImage = config.inspect<string>(SETTINGS.labImage)?.globalValue;
    await config.update(SETTINGS.labImage, TEST_IMAGE, vscode.ConfigurationTarget.Global);
    await docker
      .getContainer('first-echo')
      .remove({ force: true })
      .catch(() => undefined);
    const ui = answering({});
    let result: RunResult;
    try {
      result = await vscode.commands.executeCommand<RunResult>(COMMANDS.labRun, 'firstSteps.runContainer.echo', {
        confirm: true,
      });
    } finally {
      ui.restore();
      await config.update(SETTINGS.labImage, previousImage, vscode.ConfigurationTarget.Global);
    }
    try {
      assert.deepEqual(result.outcome, { state: 'exited', exitCode: 0, lastLine: 'hello from alpine' });
      assert.deepEqual(
        ui.asked.filter((q) => q.kind === 'info').map((q) => q.message),
        [
          `Container first-echo exited with code 0; its last output: "hello from alpine". ${LIVES} The same from a terminal: ${result.cli.short}`,
        ],
      );
    } finally {
      await docker
        .getContainer('first-echo')
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  it('a lab run watches its start as any run does: a command that ends a moment later is reported as exited', async () => {
    // `echo` ends before even a single status check: only a command that outlives the start shows whether the lab run
    // waits the settle time (read once, it would be called running).
    const api = await activeApi();
    const name = uniqueName('vlab-lab-settle');
    const command = ['sh', '-c', 'sleep 0.2; echo settled'];
    const ui = answering({});
    let result: Awaited<ReturnType<typeof runLabContainer>>;
    try {
      result = await runLabContainer(api.context, { image: TEST_IMAGE, name, command, mounts: [] }, TEST_MODULE);
    } finally {
      ui.restore();
    }
    try {
      assert.deepEqual(result.outcome, { state: 'exited', exitCode: 0, lastLine: 'settled' });
    } finally {
      await testDocker()
        .getContainer(name)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  it('the volume and tmpfs wizards ask for a command and a name, and use them', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-msg-ask');
    const name = uniqueName('vlab-asked');
    await testDocker().createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    await api.context.model.refresh();
    const ui = answering({
      input: (prompt) =>
        /^Command/.test(prompt)
          ? 'echo asked; sleep 300'
          : /^Container name/.test(prompt)
            ? name
            : /^Path inside/.test(prompt)
              ? '/data'
              : undefined,
      pick: (items) => items.find((i) => i === volume) ?? items.find((i) => i === TEST_IMAGE) ?? items[0],
    });
    let result: RunResult | undefined;
    try {
      result = await vscode.commands.executeCommand<RunResult>(COMMANDS.runWithVolume, {
        module: TEST_MODULE,
        networkMode: 'none',
        volume,
        image: TEST_IMAGE,
      });
    } finally {
      ui.restore();
    }
    const prompts = ui.asked.filter((q) => q.kind === 'input').map((q) => q.message);
    assert.ok(
      prompts.some((p) => /^Command/.test(p)),
      prompts.join(' | '),
    );
    assert.ok(
      prompts.some((p) => /^Container name/.test(p)),
      prompts.join(' | '),
    );
    assert.equal(result?.name, name);
    const info = await testDocker().getContainer(result.id).inspect();
    assert.deepEqual(info.Config.Cmd, ['sh', '-c', 'echo asked; sleep 300']);
    assert.equal(result.outcome.state, 'running');

    const tmpfsName = uniqueName('vlab-asked-tmpfs');
    const ui2 = answering({
      input: (prompt) =>
        /^Command/.test(prompt)
          ? 'sleep 300'
          : /^Container name/.test(prompt)
            ? tmpfsName
            : /^Size/.test(prompt)
              ? '8m'
              : /^Permissions/.test(prompt)
                ? ''
                : '/cache',
      pick: (items) => items.find((i) => i === TEST_IMAGE) ?? items[0],
    });
    try {
      result = await vscode.commands.executeCommand<RunResult>(COMMANDS.runWithTmpfs, {
        module: TEST_MODULE,
        networkMode: 'none',
        image: TEST_IMAGE,
      });
    } finally {
      ui2.restore();
    }
    assert.equal(result?.name, tmpfsName);
    assert.ok(
      ui2.asked.some((q) => /^Command/.test(q.message)) && ui2.asked.some((q) => /^Container name/.test(q.message)),
    );
  });

  it('Remove Volume on a volume a running container uses says so in the question, offers stop-and-remove or cancel, and does it', async () => {
    const api = await activeApi();
    const docker = testDocker();
    const volume = uniqueName('vlab-msg-busy');
    await docker.createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    const app = await docker.createContainer({
      name: uniqueName('vlab-busy-app'),
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: { [TEST_LABEL]: '1' },
      HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
    });
    await app.start();
    const appName = (await app.inspect()).Name.replace(/^\//, '');
    await api.context.model.refresh();

    const cancelled = answering({ warning: () => undefined });
    try {
      const kept = await vscode.commands.executeCommand<{ removed: string[] }>(COMMANDS.removeVolume, {
        names: [volume],
      });
      assert.deepEqual(kept.removed, []);
    } finally {
      cancelled.restore();
    }
    const question = cancelled.asked.find((q) => q.kind === 'warning');
    assert.ok(question, 'a question was asked');
    assert.match(question.message, /in use by running containers/);
    assert.ok(question.message.includes(appName), question.message);
    assert.ok(!question.items.includes('Remove'), `no Remove that Docker would refuse: ${question.items.join(', ')}`);
    assert.deepEqual(question.items, ['Stop and Remove the Containers, Then the Volume']);
    assert.equal((await app.inspect()).State.Running, true, 'cancel touched nothing');

    const agreed = answering({ warning: (q) => q.items[0] });
    let result: { removed: string[]; removedContainers: string[] };
    try {
      result = await vscode.commands.executeCommand(COMMANDS.removeVolume, { names: [volume] });
    } finally {
      agreed.restore();
    }
    assert.deepEqual(result.removed, [volume]);
    assert.deepEqual(result.removedContainers, [appName]);
    assert.equal(agreed.asked.filter((q) => q.kind === 'warning').length, 1, 'one question, no second refusal');
    await assert.rejects(docker.getVolume(volume).inspect());
  });

  it('the prune confirmation shows a line that removes what we remove (API 1.41: no plain prune for anonymous only)', async () => {
    const api = await activeApi();
    const docker = testDocker();
    const tag = uniqueName('prune-line');
    const labels = { [TEST_LABEL]: '1', 'vlab.prune': tag };
    const named = uniqueName('vlab-msg-named');
    await docker.createVolume({ Name: named, Labels: labels });
    const anonymous = ((await docker.createVolume({ Labels: labels })) as unknown as { name: string }).name;
    await api.context.model.refresh();
    const engineApi = api.context.daemon.state.kind === 'reachable' ? api.context.daemon.state.engine.apiVersion : '';
    const ui = answering({ warning: (q) => q.items[0] });
    let result: { previewed: string[]; removed: string[]; cli: string };
    try {
      result = await vscode.commands.executeCommand(COMMANDS.pruneVolumes, {
        scope: 'anonymous',
        label: `vlab.prune=${tag}`,
      });
    } finally {
      ui.restore();
    }
    assert.deepEqual(result.removed, [anonymous]);
    const detail = ui.asked.find((q) => q.kind === 'warning')?.detail ?? '';
    assert.ok(detail.includes(result.cli), `the confirmation shows the line: ${detail}`);
    const [major = 0, minor = 0] = engineApi.split('.').map(Number);
    if (major === 1 && minor < 42) {
      assert.match(result.cli, new RegExp(`^docker (-H \\S+ )?volume rm ${anonymous}$`));
      assert.doesNotMatch(detail, /docker volume prune/);
    } else {
      assert.match(result.cli, /^docker (-H \S+ )?volume prune --filter /);
    }
    assert.equal((await docker.getVolume(named).inspect()).Name, named, 'the named volume stays');
  });
});
