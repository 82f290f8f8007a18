#!/usr/bin/env node
// The `host` tier: the mocha suite in out/test/host runs inside a real VS Code extension host through
// @vscode/test-electron's runTests. With internet, runTests downloads VS Code desktop and uses it; where it
// cannot (offline: it fails at once with ENOTFOUND), the same runTests call is given code-server through a
// shim executable. VOLUMES_LAB_VSCODE=desktop|offline forces one of the two.
// Suites (VOLUMES_LAB_HOST_SUITES, default all three): main (test/fixtures/workspace open), hostile (a hostile
// repository, untrusted then trusted), nofolder (a window with no folder open: what the pickers do without one).
import { runTests } from '@vscode/test-electron';
import * as path from 'node:path';
import * as fs from 'node:fs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const extensionDevelopmentPath = root;
const extensionTestsPath = path.join(root, 'out/test/host/index.js');
const workspace = path.join(root, 'test/fixtures/workspace');
const shim = path.join(root, 'scripts/vscode-offline/code-server-electron-shim.sh');
const mode = process.env.VOLUMES_LAB_VSCODE ?? 'auto';

const common = {
  extensionDevelopmentPath,
  extensionTestsPath,
  launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  extensionTestsEnv: { ...process.env },
};

async function desktop(options = common) {
  return runTests({ ...options, version: process.env.VSCODE_VERSION ?? 'stable' });
}
async function offline(options = common) {
  if (
    !fs.existsSync(
      path.join(
        process.env.VSCODE_OFFLINE_HOME ?? path.join(process.env.HOME ?? '', '.cache/vscode-offline'),
        'code-server',
      ),
    )
  ) {
    console.error('code-server is not provisioned: run scripts/vscode-offline/setup.sh');
    process.exit(2);
  }
  return runTests({ ...options, vscodeExecutablePath: shim });
}

/** Desktop VS Code when it can be had, else code-server; `used` remembers which, so later suites skip the try. */
let used = mode;
async function anyVsCode(options = common) {
  if (used === 'offline') return offline(options);
  if (used === 'desktop') return desktop(options);
  try {
    const code = await desktop(options);
    used = 'desktop';
    return code;
  } catch (err) {
    const text = String(err?.message ?? err);
    if (!/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|network|Failed to get|socket hang up/i.test(text)) throw err;
    console.log(`VS Code desktop cannot be downloaded here (${text.split('\n')[0]}); using code-server`);
    used = 'offline';
    return offline(options);
  }
}

/**
 * The hostile-repository suite: test/fixtures/hostile opened untrusted (Restricted Mode), then trusted.
 * Offline only: code-server can open a folder untrusted without a prompt (see scripts/vscode-offline/lib.mjs).
 */
async function hostile(trust) {
  if (
    !fs.existsSync(
      path.join(
        process.env.VSCODE_OFFLINE_HOME ?? path.join(process.env.HOME ?? '', '.cache/vscode-offline'),
        'code-server',
      ),
    )
  ) {
    console.log('hostile-repository suite skipped: code-server is not provisioned (scripts/vscode-offline/setup.sh)');
    return 0;
  }
  console.log(`hostile-repository suite, workspace ${trust}`);
  const env = { ...process.env, VOLUMES_LAB_WORKSPACE_TRUST: trust, VOLUMES_LAB_EXPECT_TRUST: trust };
  return runTests({
    ...common,
    vscodeExecutablePath: shim,
    extensionTestsPath: path.join(root, 'out/test/hostile/index.js'),
    launchArgs: [
      path.join(root, 'test/fixtures/hostile'),
      '--disable-extensions',
      ...(trust === 'trusted' ? ['--disable-workspace-trust'] : []),
    ],
    extensionTestsEnv: env,
  });
}

/**
 * The suite of a window with no folder open: the pickers' typed paths with no workspace folder to write into or to
 * take a relative path from (the lab-folder picker shows only then). Desktop or code-server, as the main suite.
 */
async function noFolder() {
  console.log('no-folder suite, a window with no folder open');
  return anyVsCode({
    ...common,
    extensionTestsPath: path.join(root, 'out/test/nofolder/index.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  });
}

let code;
try {
  const suites = (process.env.VOLUMES_LAB_HOST_SUITES ?? 'main hostile nofolder').split(/\s+/);
  if (suites.includes('main')) code = await anyVsCode();
  if (suites.includes('hostile') && !code) {
    if (mode === 'desktop')
      console.log('hostile-repository suite skipped: it needs code-server (VOLUMES_LAB_VSCODE=offline or auto)');
    else code = (await hostile('untrusted')) || (await hostile('trusted'));
  }
  if (suites.includes('nofolder') && !code) code = await noFolder();
} catch (err) {
  // runTests rejects with a TestRunFailedError carrying the exit code when the suite fails.
  console.error(`host tests failed: ${err?.message ?? err}`);
  process.exit(typeof err?.code === 'number' && err.code > 0 ? err.code : 1);
}
process.exit(code ?? 0);
