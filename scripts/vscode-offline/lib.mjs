// Helpers to run the real VS Code workbench (code-server) offline on 127.0.0.1 and drive it with headless
// Debian Chromium through playwright-core. Used by the extension-host runner and the e2e tier.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const OFFLINE_HOME = process.env.VSCODE_OFFLINE_HOME || path.join(os.homedir(), '.cache', 'vscode-offline');
export const NODE24 = process.env.NODE24_BIN || path.join(OFFLINE_HOME, 'node24/bin/node');
export const CODE_SERVER_ENTRY =
  process.env.CODE_SERVER_ENTRY || path.join(OFFLINE_HOME, 'code-server/node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

export function log(...a) {
  console.log(`[vscode ${new Date().toISOString().slice(11, 19)}]`, ...a);
}

export function offlineVsCodeAvailable() {
  return fs.existsSync(NODE24) && fs.existsSync(CODE_SERVER_ENTRY) && fs.existsSync(CHROMIUM);
}

// Short scratch paths: VS Code puts IPC sockets in $TMPDIR and unix socket paths are limited to 107 bytes.
export const HARNESS_TMP = process.env.HARNESS_TMP || path.join(os.tmpdir(), 'vlab-vsc');
fs.mkdirSync(HARNESS_TMP, { recursive: true });
process.env.TMPDIR = HARNESS_TMP;

export function mkScratch(prefix) {
  return fs.mkdtempSync(path.join(HARNESS_TMP, prefix));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const UNTRUSTED = process.env.VOLUMES_LAB_WORKSPACE_TRUST === 'untrusted';
/** Workspace trust on, never asked at start-up: the folder stays untrusted. */
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

function baseArgs({ port, userDataDir, extensionsDir }) {
  return [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    // VOLUMES_LAB_WORKSPACE_TRUST=untrusted: the folder opens in Restricted Mode (hostile-repository tests).
    ...(UNTRUSTED ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
}

/** User settings that keep an offline workbench quiet. */
const OFFLINE_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.reduceMotion': 'on',
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'npm.fetchOnlinePackageInfo': false,
  'security.workspace.trust.enabled': false,
};

export function writeUserSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'settings.json'),
    JSON.stringify({ ...OFFLINE_SETTINGS, ...(UNTRUSTED ? UNTRUSTED_SETTINGS : {}), ...extra }, null, 2),
  );
}

/** code-server as a one-shot CLI (e.g. --install-extension). Resolves with { code, out }. */
export function codeServerCli(args, env = {}) {
  return new Promise((resolve) => {
    const p = spawn(NODE24, [CODE_SERVER_ENTRY, ...args], {
      env: { ...process.env, PATH: `${path.dirname(NODE24)}:${process.env.PATH}`, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.stderr.on('data', (d) => {
      out += d;
    });
    p.on('exit', (code) => resolve({ code, out }));
  });
}

/** Starts code-server in its own process group, so that stopTree ends all of it. */
export async function startCodeServer({
  port,
  userDataDir,
  extensionsDir,
  tmpDir,
  extraArgs = [],
  env = {},
  logFile,
  timeoutMs = 60000,
}) {
  const args = [CODE_SERVER_ENTRY, ...baseArgs({ port, userDataDir, extensionsDir }), ...extraArgs];
  if (tmpDir) fs.mkdirSync(tmpDir, { recursive: true });
  const child = spawn(NODE24, args, {
    env: {
      ...process.env,
      PATH: `${path.dirname(NODE24)}:${process.env.PATH}`,
      ...(tmpDir ? { TMPDIR: tmpDir } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logStream = logFile ? fs.createWriteStream(logFile) : null;
  let buf = '';
  const onData = (d) => {
    buf += d;
    logStream?.write(d);
    if (process.env.HARNESS_VERBOSE) process.stdout.write(`[code-server] ${d}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  await new Promise((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error(`code-server did not start within ${timeoutMs} ms:\n${buf}`)),
      timeoutMs,
    );
    const check = () => {
      if (/HTTP server listening on/.test(buf)) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`code-server exited early (${code}):\n${buf}`));
    });
  });
  return { child, url: `http://127.0.0.1:${port}/`, authority: `127.0.0.1:${port}`, output: () => buf };
}

export function stopTree(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      resolve();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      clearTimeout(t);
      resolve();
    }
  });
}

/** Headless Debian Chromium with a fresh profile; the flags keep it off the (closed) network. */
export async function launchChromium({ profileDir, viewport = { width: 1400, height: 900 }, colorScheme = 'dark' }) {
  const { chromium } = require('playwright-core');
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    colorScheme,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Webviews (Markdown previews, walkthrough media) render in nested frames: poll every frame for text. */
export async function waitForFrameText(page, text, timeout = 20_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.content()).includes(text)) return;
      } catch {}
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`text ${JSON.stringify(text)} not found in any frame within ${timeout} ms`);
}
