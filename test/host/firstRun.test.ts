import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, EXTENSION_ID } from '../../src/constants';
import { LABELS } from '../../src/core/labels';
import { endpointShortName } from '../../src/docker/endpoint';
import { activeApi, children, eventually } from './helpers';
import { testDocker, uniqueName } from '../support/docker';

interface Manifest {
  contributes: {
    viewsWelcome: { view: string; contents: string; when?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

const extensionPath = () => vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
const manifest = (): Manifest =>
  JSON.parse(fs.readFileSync(path.join(extensionPath(), 'package.json'), 'utf8')) as Manifest;
const nls = (lang: string): Record<string, string> =>
  JSON.parse(
    fs.readFileSync(
      path.join(extensionPath(), lang === 'en' ? 'package.nls.json' : `package.nls.${lang}.json`),
      'utf8',
    ),
  ) as Record<string, string>;

/** `[label](command:id?args)` links of a welcome text. */
function links(text: string): { label: string; command: string; args: unknown[] }[] {
  return [...text.matchAll(/\[([^\]]+)\]\(command:([\w.]+)(?:\?([^)]+))?\)/g)].map((m) => ({
    label: m[1]!,
    command: m[2]!,
    args: m[3] ? (JSON.parse(decodeURIComponent(m[3])) as unknown[]) : [],
  }));
}

describe('first run', function () {
  this.timeout(60_000);

  it('gives every view welcome content for its empty state, in both languages, whose links are real commands', async () => {
    await activeApi();
    const registered = new Set(await vscode.commands.getCommands(true));
    const welcome = manifest().contributes.viewsWelcome;
    for (const view of ['volumesLab.volumes', 'volumesLab.mounts', 'volumesLab.backups']) {
      const entries = welcome.filter((w) => w.view === view);
      assert.ok(
        entries.some((w) => w.when?.includes('!isWorkspaceTrusted')),
        `${view} says what Restricted Mode allows`,
      );
      assert.ok(
        entries.some((w) => !w.when || /(^|&& )isWorkspaceTrusted/.test(w.when)),
        `${view} has a trusted empty state`,
      );
      for (const entry of entries) {
        const key = /^%(.+)%$/.exec(entry.contents)?.[1];
        assert.ok(key, `${view}: contents come from package.nls`);
        for (const lang of ['en', 'fr']) {
          const text = nls(lang)[key];
          assert.ok(text, `${key} has ${lang} text`);
          // Every state but the passing "connecting…" one offers what to do next.
          if (!entry.when?.includes('connecting'))
            assert.ok(links(text).length > 0, `${key} (${lang}) offers a next action`);
          for (const link of links(text))
            assert.ok(registered.has(link.command), `${key} (${lang}): ${link.command} is a command`);
        }
        assert.deepEqual(
          links(nls('fr')[key]!).map((l) => l.command),
          links(nls('en')[key]!).map((l) => l.command),
          `${key}: same actions in French`,
        );
      }
    }
  });

  it('opens the course from the Volumes view title and the palette, and its top line links the module', async () => {
    const api = await activeApi();
    const title = manifest().contributes.menus['view/title']!;
    for (const view of ['volumesLab.volumes', 'volumesLab.mounts', 'volumesLab.backups'])
      assert.ok(
        title.some((m) => m.command === COMMANDS.openCourse && m.when === `view == ${view}`),
        `in the ${view} title menu`,
      );
    const palette = manifest().contributes.menus['commandPalette'] ?? [];
    assert.ok(!palette.some((m) => m.command === COMMANDS.openCourse && m.when === 'false'), 'in the palette');
    const welcomeLink = links(nls('en')['welcome.noVolumes']!).find((l) => l.command === COMMANDS.openCourse)!;
    assert.equal(
      await vscode.commands.executeCommand(COMMANDS.openCourse, ...welcomeLink.args),
      'volumesBasics',
      'the welcome link opens the module',
    );

    const name = uniqueName('vlab-first');
    await testDocker().createVolume({ Name: name, Labels: { [LABELS.managed]: '1' } });
    try {
      const top = await eventually(async () => {
        await api.context.model.refresh({ sizes: 'skip' });
        const roots = await children(api);
        return roots.length > 1 ? roots[0] : undefined;
      }, 'volumes listed');
      assert.equal(top.nodeType, 'course', 'the first line is the course link');
      assert.equal(top.command?.command, COMMANDS.openCourse);
      assert.equal(
        await vscode.commands.executeCommand(top.command.command, ...((top.command.arguments ?? []) as unknown[])),
        'volumesBasics',
      );
      // The engine line is the view's description: a message would hide the welcome content of an empty daemon.
      assert.equal(api.context.volumesView.message, undefined);
      // Short enough for a side bar of ~300 px: the major.minor version and where the engine runs; the full
      // version and address are in the top line's tooltip.
      const { Version: version } = await testDocker().version();
      const description = api.context.volumesView.description ?? '';
      const majorMinor = version.split('.').slice(0, 2).join('.');
      const endpoint = api.context.daemon.endpoint!;
      // The system's socket is "this machine"; a private daemon's socket is named by its folder.
      if (endpoint.transport === 'unix' && !endpoint.contextName)
        assert.equal(description, `Docker ${majorMinor} · ${endpointShortName(endpoint) ?? 'this machine'}`);
      else assert.match(description, new RegExp(`^Docker ${majorMinor.replace('.', '\\.')} · \\S`));
      assert.ok(description.length <= 32, `short: ${description}`);
      const tooltip = typeof top.tooltip === 'string' ? top.tooltip : (top.tooltip?.value ?? '');
      assert.ok(tooltip.includes(`Docker Engine ${version} (API `), tooltip);
      assert.ok(tooltip.includes(endpoint.host), `the address ${endpoint.host} in ${tooltip}`);
      await vscode.commands.executeCommand(COMMANDS.filterVolumes, { text: name });
      assert.equal(
        (await children(api)).some((n) => n.nodeType === 'course'),
        false,
        'no course line in a filtered list',
      );
      assert.match(api.context.volumesView.message ?? '', /Filter/);
    } finally {
      await vscode.commands.executeCommand(COMMANDS.clearVolumeFilter);
      await testDocker().getVolume(name).remove();
    }
  });
});
