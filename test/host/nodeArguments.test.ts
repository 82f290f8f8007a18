import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import type { TestApi } from '../../src/extension';
import { cleanupTestObjects, runWithVolume, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, dismissingPickers, eventually } from './helpers';

/** A node of any of our views, as the menus hand it to a command. */
interface ViewNode {
  nodeType: string;
  label?: unknown;
  contextValue?: string;
  row?: { volume: { name: string } };
  group?: { kind: string };
  use?: { containerName: string };
  container?: { name: string };
  mount?: { type: string; name?: string; source?: string };
  volume?: string;
  backup?: { file: string };
  isDirectory?: boolean;
}

/** What a command acts on, and so which part of a node it must read. */
type Takes = 'volume' | 'container' | 'bindFolder' | 'backup' | 'anything';

/**
 * Every command that takes a node, a volume, a container, a mount or a backup. `anything`: the command works on
 * the whole daemon from any node (prune asks with a preview).
 */
const COMMANDS_TAKING_NODES: [string, Takes][] = [
  [COMMANDS.inspectVolume, 'volume'],
  [COMMANDS.copyVolumeName, 'volume'],
  [COMMANDS.copyMountSnippet, 'volume'],
  [COMMANDS.revealVolume, 'volume'],
  [COMMANDS.removeVolume, 'volume'],
  [COMMANDS.testVolume, 'volume'],
  [COMMANDS.runWithVolume, 'volume'],
  [COMMANDS.shareVolume, 'volume'],
  [COMMANDS.backupVolume, 'volume'],
  [COMMANDS.dumpDatabase, 'volume'],
  [COMMANDS.toggleSchedule, 'volume'],
  [COMMANDS.cloneVolume, 'volume'],
  [COMMANDS.pruneVolumes, 'anything'],
  [COMMANDS.stopContainer, 'container'],
  [COMMANDS.removeContainer, 'container'],
  [COMMANDS.openHostFolder, 'bindFolder'],
  [COMMANDS.restoreBackup, 'backup'],
  [COMMANDS.verifyBackup, 'backup'],
  [COMMANDS.deleteBackup, 'backup'],
  [COMMANDS.revealBackup, 'backup'],
];

/** Commands that open something outside this window: recorded, not run. */
const OUTSIDE = new Set(['revealFileInOS', 'vscode.openFolder', 'workbench.action.openSettings']);

/**
 * Records everything a command shows or does that names what it acts on — pickers, questions, messages, progress
 * titles, documents, CLI lines, outside commands, the clipboard, the Volumes view's selection — and cancels every
 * prompt: a command given a node it cannot use must ask or say so, never act on something else or throw.
 */
function recording(api: TestApi) {
  const window = vscode.window as unknown as Record<string, unknown>;
  const commands = vscode.commands as unknown as Record<string, unknown>;
  const log = api.context.log as unknown as Record<string, unknown>;
  const saved = {
    window: Object.fromEntries(
      [
        'showQuickPick',
        'showInputBox',
        'showWarningMessage',
        'showInformationMessage',
        'showErrorMessage',
        'withProgress',
      ].map((k) => [k, window[k]]),
    ),
    executeCommand: commands.executeCommand as typeof vscode.commands.executeCommand,
    cli: log.cli,
    info: log.info,
  };
  const lines: string[] = [];
  const note = (kind: string, ...parts: unknown[]) =>
    lines.push(`${kind}: ${parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' | ')}`);
  const message =
    (kind: string) =>
    (text: string, ...rest: unknown[]) => {
      const options = rest[0] && typeof rest[0] === 'object' ? (rest[0] as { detail?: string }) : undefined;
      note(kind, text, options?.detail ?? '', ...rest.filter((x) => typeof x === 'string'));
      return Promise.resolve(undefined);
    };
  window.showQuickPick = async (
    items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>,
    options?: vscode.QuickPickOptions,
  ) => {
    note(
      'pick',
      options?.title ?? '',
      options?.placeHolder ?? '',
      (await items).map((i) => i.label),
    );
    return undefined;
  };
  window.showInputBox = (options?: vscode.InputBoxOptions) => {
    note('input', options?.title ?? '', options?.prompt ?? '', options?.value ?? '');
    return Promise.resolve(undefined);
  };
  window.showWarningMessage = message('warning');
  window.showInformationMessage = message('info');
  window.showErrorMessage = message('error');
  window.withProgress = (options: vscode.ProgressOptions, task: (...a: unknown[]) => unknown) => {
    note('progress', options.title ?? '');
    return (saved.window.withProgress as typeof vscode.window.withProgress)(options, task as never);
  };
  commands.executeCommand = (id: string, ...args: unknown[]) => {
    if (!OUTSIDE.has(id)) return saved.executeCommand(id, ...args);
    note('outside', id, ...args.map((a) => (a instanceof vscode.Uri ? a.fsPath : a)));
    return Promise.resolve(undefined);
  };
  log.cli = (line: string) => {
    note('cli', line);
    (saved.cli as (l: string) => void).call(api.context.log, line);
  };
  log.info = (line: string) => {
    note('log', line);
    (saved.info as (l: string) => void).call(api.context.log, line);
  };
  // The path pickers are the real ones, built with createQuickPick: recorded the same way, then closed.
  const realPickers = dismissingPickers(({ title, placeholder, labels }) => note('pick', title, placeholder, labels));
  const opened = vscode.workspace.onDidOpenTextDocument((d) =>
    note('document', d.uri.toString(), d.getText().slice(0, 4000)),
  );
  return {
    lines,
    note,
    restore: () => {
      Object.assign(window, saved.window);
      commands.executeCommand = saved.executeCommand;
      log.cli = saved.cli;
      log.info = saved.info;
      opened.dispose();
      realPickers();
    },
  };
}

describe('Commands read every kind of tree node the same way', function () {
  this.timeout(600_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-nodes-'));
  const hostFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-nodes-bind-'));
  const volume = uniqueName('vlab-nodes');
  const decoy = uniqueName('vlab-nodes-decoy');
  const user = uniqueName('vlab-nodes-user');
  const binder = uniqueName('vlab-nodes-bind');
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  const labels = { [TEST_LABEL]: '1' };

  before(async () => {
    await config().update(SETTINGS.backupFolder, folder, vscode.ConfigurationTarget.Global);
    const docker = testDocker();
    for (const Name of [volume, decoy]) await docker.createVolume({ Name, Labels: labels });
    await runWithVolume(volume, 'echo hello > /data/note.txt');
    for (const [name, Mounts] of [
      [user, [{ Type: 'volume', Source: volume, Target: '/data' }]],
      [binder, [{ Type: 'bind', Source: hostFolder, Target: '/site' }]],
    ] as const) {
      const container = await docker.createContainer({
        name,
        Image: TEST_IMAGE,
        Cmd: ['sleep', '3600'],
        Labels: labels,
        HostConfig: { NetworkMode: 'none', Mounts: [...Mounts] },
      });
      await container.start();
    }
    for (const v of [volume, decoy]) {
      const made = await vscode.commands.executeCommand<{ file: string } | undefined>(COMMANDS.backupVolume, {
        volume: v,
        keep: {},
        consistency: 'live',
      });
      assert.ok(made, `a backup of ${v}`);
    }
  });
  after(async () => {
    await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
    await config().update(SETTINGS.scheduledVolumes, undefined, vscode.ConfigurationTarget.Global);
    await cleanupTestObjects();
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(hostFolder, { recursive: true, force: true });
  });

  /** One real node of each kind our views produce, read from the providers. */
  async function nodesOfEveryKind(api: TestApi): Promise<Map<string, ViewNode>> {
    const kinds = new Map<string, ViewNode>();
    await api.context.model.refresh({ sizes: 'skip' });
    const volumesTree = api.context.volumesTree as unknown as { getChildren(n?: ViewNode): Promise<ViewNode[]> };
    const top = await volumesTree.getChildren();
    kinds.set(
      'course',
      top.find((n) => n.nodeType === 'course')!,
    );
    const groups = top.filter((n) => n.nodeType === 'group');
    const rows = groups.length ? (await Promise.all(groups.map((g) => volumesTree.getChildren(g)))).flat() : top;
    const row = rows.find((n) => n.row?.volume.name === volume)!;
    const group = groups.find((g) => g.group && rows.includes(row));
    if (group) kinds.set('group', group);
    kinds.set('volume', row);
    const below = await volumesTree.getChildren(row);
    kinds.set(
      'usage',
      below.find((n) => n.nodeType === 'usage')!,
    );
    const files = below.find((n) => n.nodeType === 'files')!;
    kinds.set('files', files);
    kinds.set(
      'entry',
      (await volumesTree.getChildren(files)).find((n) => n.nodeType === 'entry')!,
    );

    const mountsTree = api.context.mountsTree as unknown as { getChildren(n?: ViewNode): Promise<ViewNode[]> };
    const containers = await mountsTree.getChildren();
    const userNode = containers.find((n) => n.container?.name === user)!;
    kinds.set('container', userNode);
    kinds.set('mount (volume)', (await mountsTree.getChildren(userNode))[0]!);
    const binderNode = containers.find((n) => n.container?.name === binder)!;
    kinds.set('mount (bind)', (await mountsTree.getChildren(binderNode))[0]!);

    api.context.backupsTree.refresh();
    const backupsTree = api.context.backupsTree as unknown as { getChildren(n?: ViewNode): ViewNode[] };
    const backupVolume = backupsTree.getChildren().find((n) => n.volume === volume)!;
    kinds.set('backupVolume', backupVolume);
    kinds.set('backup', backupsTree.getChildren(backupVolume)[0]!);
    for (const [kind, node] of kinds) assert.ok(node, `the views show a ${kind} node`);
    return kinds;
  }

  /** The name a command must act on for a node, when the node stands for what the command takes. */
  function objectOf(takes: Takes, kind: string, node: ViewNode): string | undefined {
    const volumeKinds = ['volume', 'usage', 'files', 'entry', 'mount (volume)', 'backupVolume', 'backup'];
    if (takes === 'volume') return volumeKinds.includes(kind) ? volume : undefined;
    if (takes === 'container') {
      if (kind === 'usage' || kind === 'container' || kind === 'mount (volume)') return user;
      return kind === 'mount (bind)' ? binder : undefined;
    }
    if (takes === 'bindFolder') return kind === 'mount (bind)' ? hostFolder : undefined;
    if (takes === 'backup') return kind === 'backup' ? path.basename(node.backup!.file) : undefined;
    return undefined;
  }

  it('acts on the node’s own volume, container, folder or backup, and otherwise asks or says why it cannot', async () => {
    const api = await activeApi();
    await eventually(async () => {
      await api.context.model.refresh({ sizes: 'skip' });
      return api.context.model.rows.some((r) => r.volume.name === volume && r.users.length) || undefined;
    }, 'the test volume listed with its user');
    const problems: string[] = [];
    for (const [command, takes] of COMMANDS_TAKING_NODES) {
      for (const [kind, node] of await nodesOfEveryKind(api)) {
        // A stop of an earlier row leaves the user stopped: every row starts from the same daemon state.
        await testDocker()
          .getContainer(user)
          .start()
          .catch(() => undefined);
        const failuresBefore = api.context.log.failures.length;
        const ui = recording(api);
        const clipboardBefore = await vscode.env.clipboard.readText();
        try {
          const result = await vscode.commands.executeCommand(command, node);
          if (result !== undefined) ui.note('result', result);
          const clipboard = await vscode.env.clipboard.readText();
          if (clipboard !== clipboardBefore) ui.note('clipboard', clipboard);
          if (command === COMMANDS.revealVolume) {
            const selected = api.context.volumesView.selection as unknown as ViewNode[];
            ui.note(
              'selection',
              selected.map((n) => n.row?.volume.name ?? ''),
            );
          }
        } finally {
          ui.restore();
          await config().update(SETTINGS.scheduledVolumes, undefined, vscode.ConfigurationTarget.Global);
        }
        const transcript = ui.lines.filter((l) => !/^(selection: \[\]|result: false)$/.test(l)).join('\n');
        const failures = api.context.log.failures.slice(failuresBefore);
        const where = `${command} on a ${kind} node`;
        if (failures.some((f) => /Unexpected error|TypeError|undefined/.test(f)))
          problems.push(`${where}: failed without a reason of ours: ${failures.join(' / ')}`);
        const object = objectOf(takes, kind, node);
        if (object !== undefined) {
          if (!transcript.includes(object)) problems.push(`${where}: did not act on ${object}:\n${transcript}`);
          if (transcript.includes(decoy)) problems.push(`${where}: asked which one instead of using the node`);
        } else if (!transcript.replace(/^(log|cli|selection): .*$/gm, '').trim()) {
          problems.push(`${where}: did nothing and said nothing`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
