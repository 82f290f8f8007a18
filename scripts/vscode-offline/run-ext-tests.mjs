#!/usr/bin/env node
// Runs an extension's mocha suite inside code-server's (Node) extension host, offline, the way VS Code runs
// its own browser integration tests: the workbench gets extensionDevelopmentPath / extensionTestsPath as
// vscode-remote:// URIs in the URL `payload` (honoured only with enable-smoke-test-driver), and when the
// suite settles the workbench calls window.codeAutomationExit(code), which we expose through playwright.
// Usage: node run-ext-tests.mjs --ext <dir> [--ext <dir>] --tests <suite index.js> [--workspace <dir>]
//          [--timeout 1200] [--keep] [--locale fr]
// The environment reaches the extension host (DOCKER_HOST, VOLUMES_LAB_TEST_IMAGE, ...).
// Exit code: 0 pass, 1 test failure, 2 harness error or timeout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { parseArgs } from 'node:util';
import { freePort, mkScratch, startCodeServer, launchChromium, log, stopTree, writeUserSettings } from './lib.mjs';

const { values: opt } = parseArgs({
  options: {
    ext: { type: 'string', multiple: true },
    tests: { type: 'string' },
    workspace: { type: 'string' },
    timeout: { type: 'string', default: '1200' },
    keep: { type: 'boolean', default: false },
  },
});
if (!opt.ext?.length || !opt.tests) {
  console.error('need --ext <dir> (repeatable) and --tests <suite index>');
  process.exit(2);
}
const extDirs = opt.ext.map((e) => path.resolve(e));
const testsPath = path.resolve(opt.tests);
const workspace = opt.workspace ? path.resolve(opt.workspace) : null;
const timeoutMs = Number(opt.timeout) * 1000;

const t0 = Date.now();
const scratch = mkScratch('host-');
const resultFile = path.join(scratch, 'result.json');
const dirs = {
  userDataDir: path.join(scratch, 'user-data'),
  extensionsDir: path.join(scratch, 'extensions'),
  profileDir: path.join(scratch, 'chromium'),
};
for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
writeUserSettings(dirs.userDataDir);

let server,
  context,
  finished = false;
async function finish(code, why) {
  if (finished) return;
  finished = true;
  log(`finishing: ${why}`);
  try {
    await context?.close();
  } catch (e) {
    log('browser close error', e.message);
  }
  await stopTree(server?.child);
  let summary = null;
  try {
    summary = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  } catch {}
  // The suite writes a summary; a run that claims success must have one, with no failures and some tests.
  if (code === 0 && !summary) {
    log('exit 0 but the suite wrote no result file -> 1');
    code = 1;
  }
  if (code === 0 && summary && (summary.failures !== 0 || summary.passes === 0)) {
    log(`result file disagrees (${JSON.stringify(summary)}) -> 1`);
    code = 1;
  }
  const keep = opt.keep || code !== 0;
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s, exit ${code}` + (keep ? `; logs kept in ${scratch}` : ''));
  if (!keep) fs.rmSync(scratch, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => finish(130, 'SIGINT'));
process.on('SIGTERM', () => finish(143, 'SIGTERM'));

try {
  const port = await freePort();
  server = await startCodeServer({
    port,
    userDataDir: dirs.userDataDir,
    extensionsDir: dirs.extensionsDir,
    tmpDir: path.join(scratch, 'tmp'),
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    env: { EXT_TEST_RESULT_FILE: resultFile },
    logFile: path.join(scratch, 'code-server.log'),
  });
  log(`code-server up at ${server.url} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  context = await launchChromium({ profileDir: dirs.profileDir });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLog = fs.createWriteStream(path.join(scratch, 'browser-console.log'));
  page.on('console', (msg) => consoleLog.write(`[${msg.type()}] ${msg.text()}\n`));
  page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e}\n`));
  page.on('crash', () => finish(2, 'page crashed'));

  const wbLog = fs.createWriteStream(path.join(scratch, 'workbench.log'));
  const NOISE =
    /open-vsx\.org|authentication provider 'github'|events\.data\.microsoft\.com|took \d+ms|marketplace|gallery/i;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...(args ?? []));
    wbLog.write(`[${type}] ${line}\n`);
    if (type === 'info' || type === 'log')
      console.log(line); // mocha's reporter output from the extension host
    else if (process.env.HARNESS_VERBOSE || !NOISE.test(line))
      console.log(`[workbench ${type}] ${line.split('\n').slice(0, 6).join('\n')}`);
  });
  await page.exposeFunction('codeAutomationExit', async (code, logs) => {
    try {
      for (const l of logs ?? []) {
        const f = path.join(scratch, 'window-logs', l.relativePath);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, l.contents);
      }
    } catch {}
    await finish(code, `codeAutomationExit(${code})`);
  });

  const remote = (p) => `vscode-remote://${server.authority}${p}`;
  const payload = JSON.stringify([
    ...extDirs.map((d) => ['extensionDevelopmentPath', remote(d)]),
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
  ]);
  const q = new URLSearchParams();
  if (!workspace) q.set('ew', 'true');
  else q.set(workspace.endsWith('.code-workspace') ? 'workspace' : 'folder', workspace);
  q.set('payload', payload);
  setTimeout(() => finish(2, `timeout after ${opt.timeout}s (no codeAutomationExit)`), timeoutMs).unref();
  const resp = await page.goto(`${server.url}?${q}`);
  if (!resp || resp.status() >= 400)
    await finish(2, `workbench page answered HTTP ${resp?.status()} (see code-server.log)`);
} catch (e) {
  console.error(e);
  await finish(2, 'harness error');
}
