import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONTEXT_KEYS, EXTENSION_ID, SETTINGS, VIEWS } from '../../src/constants';
import { welcomeErrorKind } from '../../src/core/errorReasons';
import { activeApi, eventually } from './helpers';

interface WelcomeEntry {
  view: string;
  contents: string;
  when?: string;
}

/** The `/version` answer of a real Docker Engine 20.10 (taken from the test daemon), so the version check passes. */
const ENGINE_VERSION = {
  Platform: { Name: '' },
  Components: [{ Name: 'Engine', Version: '20.10.24', Details: { ApiVersion: '1.41', MinAPIVersion: '1.12' } }],
  Version: '20.10.24',
  ApiVersion: '1.41',
  MinAPIVersion: '1.12',
  GitCommit: '5d6db84',
  GoVersion: 'go1.19.8',
  Os: 'linux',
  Arch: 'amd64',
  KernelVersion: '6.1.0',
  BuildTime: '2026-05-07T21:09:36.000000000+00:00',
};

/** A local HTTP server standing at the Docker address; `answer` gets the path without its `/v1.xx` prefix. */
async function fakeEngine(
  answer: (route: string) => { status: number; body: unknown },
): Promise<{ host: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const route = (req.url ?? '/').replace(/^\/v\d+\.\d+/, '').replace(/\?.*$/, '');
    const { status, body } = answer(route);
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json',
      'Api-Version': '1.41',
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `tcp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Whether a viewsWelcome `when` of the manifest's forms (`a == b`, `a != b`, `a >= n`, `!a`, joined by &&) holds. */
function holds(when: string, keys: Record<string, string | number | boolean>): boolean {
  return when.split('&&').every((raw) => {
    const term = raw.trim();
    const compared = /^(\S+)\s*(==|!=|>=)\s*(\S+)$/.exec(term);
    if (compared) {
      const [, key, op, expected] = compared;
      const value = keys[key!];
      if (op === '>=') return Number(value) >= Number(expected);
      return (String(value) === expected) === (op === '==');
    }
    return term.startsWith('!') ? !keys[term.slice(1)] : Boolean(keys[term]);
  });
}

/** The welcome texts (their nls keys) a view shows for these context values. */
function shownWelcomes(view: string, keys: Record<string, string | number | boolean>): string[] {
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { viewsWelcome: WelcomeEntry[] };
  };
  return manifest.contributes.viewsWelcome
    .filter((entry) => entry.view === view && holds(entry.when ?? '', keys))
    .map((entry) => entry.contents.replace(/^%(.+)%$/, '$1'));
}

describe('failure welcomes: a listing that fails, an address that does not answer as Docker', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);

  async function contextNow(): Promise<Record<string, string | number | boolean>> {
    const api = await activeApi();
    const state = api.context.daemon.state;
    return {
      [CONTEXT_KEYS.daemonState]: state.kind,
      [CONTEXT_KEYS.daemonError]: state.kind === 'unreachable' ? welcomeErrorKind(state.error.kind) : '',
      [CONTEXT_KEYS.endpointSource]: api.context.daemon.endpoint?.source ?? '',
      [CONTEXT_KEYS.volumeCount]: api.context.volumesTree.volumeCountKey,
      isWorkspaceTrusted: vscode.workspace.isTrusted,
    };
  }

  it('an engine that answers its version but fails the listing: -2 volumes, no rows, the failed-listing welcomes', async () => {
    const api = await activeApi();
    const engine = await fakeEngine((route) =>
      route === '/_ping'
        ? { status: 200, body: 'OK' }
        : route === '/version'
          ? { status: 200, body: ENGINE_VERSION }
          : { status: 500, body: { message: 'listing broke on purpose' } },
    );
    try {
      await config().update(SETTINGS.dockerHost, engine.host, vscode.ConfigurationTarget.Global);
      await eventually(
        () =>
          api.context.daemon.endpoint?.host === engine.host && api.context.daemon.state.kind === 'reachable'
            ? true
            : undefined,
        'the fake engine is reachable',
      );
      await api.context.model.refresh({ sizes: 'skip' });
      const keys = await eventually(async () => {
        const now = await contextNow();
        return now[CONTEXT_KEYS.volumeCount] === -2 ? now : undefined;
      }, 'the failed listing published as -2');
      assert.equal(keys[CONTEXT_KEYS.daemonState], 'reachable');
      assert.deepEqual(await api.context.volumesTree.getChildren(), [], 'no row hides the welcome');
      assert.deepEqual(shownWelcomes(VIEWS.volumes, keys), ['welcome.listFailed']);
      assert.deepEqual(
        shownWelcomes(VIEWS.mounts, keys),
        ['welcome.mountsListFailed'],
        'the Mounts view does not say there are no containers',
      );
    } finally {
      await config().update(SETTINGS.dockerHost, undefined, vscode.ConfigurationTarget.Global);
      await engine.close();
    }
    await eventually(() => (api.context.daemon.state.kind === 'reachable' ? true : undefined), 'reachable again');
    await api.context.model.refresh({ sizes: 'skip' });
  });

  it('a web server answering 404 everywhere: an engine error, with its own welcome', async () => {
    const api = await activeApi();
    const server = await fakeEngine(() => ({ status: 404, body: '404 page not found' }));
    try {
      await config().update(SETTINGS.dockerHost, server.host, vscode.ConfigurationTarget.Global);
      const keys = await eventually(async () => {
        const now = await contextNow();
        return api.context.daemon.endpoint?.host === server.host && now[CONTEXT_KEYS.daemonState] === 'unreachable'
          ? now
          : undefined;
      }, 'the 404 server refused');
      assert.equal(keys[CONTEXT_KEYS.daemonError], 'engine');
      assert.deepEqual(shownWelcomes(VIEWS.volumes, keys), ['welcome.engineError']);
      assert.deepEqual(shownWelcomes(VIEWS.mounts, keys), ['welcome.mountsUnreachable']);
    } finally {
      await config().update(SETTINGS.dockerHost, undefined, vscode.ConfigurationTarget.Global);
      await server.close();
    }
    await eventually(() => (api.context.daemon.state.kind === 'reachable' ? true : undefined), 'reachable again');
  });
});
