import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, SETTINGS, VIEWS } from '../../src/constants';
import { cleanupTestObjects, testDocker } from '../support/docker';
import { activeApi, answering, children, shownErrors } from './helpers';

interface WelcomeEntry {
  view: string;
  contents: string;
  when?: string;
}

/** The welcome content each view shows when it is empty, in a trusted workspace on a reachable daemon. */
function emptyStateWelcome(): Map<string, string> {
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { viewsWelcome: WelcomeEntry[] };
  };
  const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const shown = new Map<string, string>();
  for (const entry of manifest.contributes.viewsWelcome) {
    const when = entry.when ?? '';
    const unreachable = /daemonState == (connecting|unreachable)|volumeCount == -2/.test(when);
    if (unreachable || /!isWorkspaceTrusted/.test(when)) continue;
    shown.set(entry.view, nls[/^%(.+)%$/.exec(entry.contents)?.[1] ?? ''] ?? entry.contents);
  }
  return shown;
}

/** The `[label](command:id?args)` buttons of a welcome text, their arguments decoded as VS Code does. */
function buttons(text: string): { label: string; command: string; args: unknown[] }[] {
  return [...text.matchAll(/\[([^\]]+)\]\(command:([^)?]+)(?:\?([^)]*))?\)/g)].map(([, label, command, query]) => {
    const args: unknown = query ? JSON.parse(decodeURIComponent(query)) : [];
    return { label: label!, command: command!, args: Array.isArray(args) ? args : [args] };
  });
}

type Button = [label: string, command: string, ...args: unknown[]];

/**
 * Every welcome text's buttons, by view and state (its nls key), as they must be: a button pointing at the wrong
 * command, or a state that loses or gains one, fails. The Restricted Mode welcomes are checked here from the manifest,
 * since the test host cannot take trust away.
 */
const RETRY: Button = ['Retry', 'volumesLab.daemon.retry'];
const DETAILS: Button = ['Docker Engine Details', 'volumesLab.daemon.details'];
const SETTINGS_BUTTON: Button = ['Open Settings', 'volumesLab.daemon.openSettings'];
const LOG: Button = ['Show Log', 'volumesLab.showLog'];
const TRUST: Button = ['Trust This Folder', 'workbench.trust.manage'];
const VOLUMES_COURSE: Button = ['Open the Course', 'volumesLab.course.open', 'volumesBasics'];
const RUNS: Button[] = [
  ['Run with a Bind Mount', 'volumesLab.run.bindMount'],
  ['Run with a Volume', 'volumesLab.run.volume'],
  ['Run with tmpfs', 'volumesLab.run.tmpfs'],
];
const EXPECTED_BUTTONS: Record<string, Button[]> = {
  'volumesLab.volumes welcome.connecting': [],
  'volumesLab.volumes welcome.unreachable': [RETRY, DETAILS, SETTINGS_BUTTON, LOG],
  'volumesLab.volumes welcome.unreachableSetting': [SETTINGS_BUTTON, DETAILS, RETRY, LOG],
  'volumesLab.volumes welcome.permissionDenied': [RETRY, DETAILS, SETTINGS_BUTTON, LOG],
  'volumesLab.volumes welcome.timeout': [RETRY, SETTINGS_BUTTON, LOG],
  'volumesLab.volumes welcome.invalidEndpoint': [SETTINGS_BUTTON, RETRY, LOG],
  'volumesLab.volumes welcome.engineError': [SETTINGS_BUTTON, DETAILS, RETRY, LOG],
  'volumesLab.volumes welcome.listFailed': [['Retry', 'volumesLab.volumes.refresh'], LOG],
  'volumesLab.volumes welcome.noVolumes': [['Create a Volume', 'volumesLab.volumes.create'], VOLUMES_COURSE, DETAILS],
  'volumesLab.volumes welcome.noVolumesRestricted': [
    ['Create a Volume', 'volumesLab.volumes.create'],
    TRUST,
    VOLUMES_COURSE,
    DETAILS,
  ],
  'volumesLab.mounts welcome.connecting': [],
  'volumesLab.mounts welcome.mountsListFailed': [['Retry', 'volumesLab.volumes.refresh']],
  'volumesLab.mounts welcome.noContainers': [...RUNS, VOLUMES_COURSE],
  'volumesLab.mounts welcome.noContainersRestricted': [...RUNS, TRUST, VOLUMES_COURSE],
  'volumesLab.mounts welcome.mountsUnreachable': [RETRY],
  'volumesLab.backups welcome.noBackups': [
    ['Back Up a Volume', 'volumesLab.backup.create'],
    ['Choose the Backup Folder', 'volumesLab.backup.chooseFolder'],
    ['Open the Course', 'volumesLab.course.open', 'dataManagement'],
  ],
  'volumesLab.backups welcome.noBackupsRestricted': [
    ['Back Up a Volume', 'volumesLab.backup.create'],
    TRUST,
    ['Open the Course', 'volumesLab.course.open', 'dataManagement'],
  ],
};

/** Each view's welcome entries, keyed `view nlsKey`, with their English and French texts. */
function allWelcomes(): Map<string, { en: string; fr: string }> {
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, string>;
  const manifest = read('package.json') as unknown as { contributes: { viewsWelcome: WelcomeEntry[] } };
  const [en, fr] = [read('package.nls.json'), read('package.nls.fr.json')];
  const welcomes = new Map<string, { en: string; fr: string }>();
  for (const entry of manifest.contributes.viewsWelcome) {
    const key = /^%(.+)%$/.exec(entry.contents)?.[1] ?? entry.contents;
    welcomes.set(`${entry.view} ${key}`, { en: en[key] ?? '', fr: fr[key] ?? '' });
  }
  return welcomes;
}

describe('empty views show their welcome content, and its buttons run', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-host-empty-'));
  after(async () => {
    await config().update(SETTINGS.backupFolder, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('on a daemon without volumes or containers and an empty backup folder, each view has no row and no message', async function () {
    const api = await activeApi();
    await cleanupTestObjects();
    const { Volumes } = await testDocker().listVolumes();
    const containers = await testDocker().listContainers({ all: true });
    // Someone's own daemon may hold volumes: the empty state is checked on the private test daemon, always.
    if ((Volumes?.length || containers.length) && !process.env.VOLUMES_LAB_PRIVATE_DAEMON) this.skip();
    assert.deepEqual([Volumes?.map((v) => v.Name) ?? [], containers.map((c) => c.Names)], [[], []], 'empty daemon');
    await config().update(SETTINGS.backupFolder, folder, vscode.ConfigurationTarget.Global);
    await api.context.model.refresh({ sizes: 'skip' });

    // VS Code shows welcome content only for a tree without rows, and a view message hides it.
    assert.deepEqual(await children(api), [], 'the Volumes view has no row, not even the course line');
    assert.ok(!api.context.volumesView.message, `no message: ${api.context.volumesView.message}`);
    assert.match(String(api.context.volumesView.description), /^Docker \d+\.\d+ · \S/, 'the engine is in the title');
    assert.deepEqual(await api.context.mountsTree.getChildren(), [], 'the Mounts view has no row');
    assert.ok(!api.context.mountsView.message, `no message: ${api.context.mountsView.message}`);
    assert.deepEqual(api.context.backupsTree.getChildren(), [], 'the Backups view has no row');
    assert.ok(!api.context.backupsView.message, `no message: ${api.context.backupsView.message}`);
  });

  it('each welcome’s buttons run the commands they say, in English and in French, Restricted Mode’s included', () => {
    const welcomes = allWelcomes();
    assert.deepEqual([...welcomes.keys()].sort(), Object.keys(EXPECTED_BUTTONS).sort(), 'every view and state');
    for (const [key, { en, fr }] of welcomes) {
      const table = buttons(en).map(({ label, command, args }): Button => [label, command, ...args]);
      assert.deepEqual(table, EXPECTED_BUTTONS[key], `${key}: label → command`);
      // The French buttons are the same commands in the same order (their labels are translations).
      const commandsOf = (text: string) => buttons(text).map(({ command, args }) => [command, ...args]);
      assert.deepEqual(commandsOf(fr), commandsOf(en), `${key}: French buttons`);
    }
  });

  it('every button of the empty views’ welcome content is a registered command, and runs', async () => {
    const api = await activeApi();
    const welcome = emptyStateWelcome();
    assert.deepEqual([...welcome.keys()].sort(), [VIEWS.backups, VIEWS.mounts, VIEWS.volumes].sort());
    const registered = new Set(await vscode.commands.getCommands(true));
    const all = [...welcome.values()].flatMap(buttons);
    assert.ok(all.length >= 8, JSON.stringify(all));
    for (const { label, command } of all) assert.ok(registered.has(command), `${label}: ${command} is registered`);

    // Each button, with every question it asks cancelled: nothing fails, the course opens the module named.
    const errorsBefore = shownErrors(api).length;
    for (const { label, command, args } of all) {
      const ui = answering({ pick: () => undefined, warning: () => undefined });
      let result: unknown;
      try {
        result = await vscode.commands.executeCommand(command, ...args);
      } finally {
        ui.restore();
      }
      if (command.endsWith('.course.open')) assert.equal(result, args[0], `${label} opens its module`);
      else if (command.startsWith('volumesLab.')) assert.equal(result, undefined, `${label}: cancelled, nothing done`);
    }
    assert.deepEqual(shownErrors(api).slice(errorsBefore), [], 'no button failed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
