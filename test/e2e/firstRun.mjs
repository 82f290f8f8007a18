#!/usr/bin/env node
// The e2e first run: runs `npm start`'s own script (scripts/start.sh) as a new user would, on a private daemon
// of its own with nothing on it, opens the URL it prints in headless Chromium, and checks the first screen (the
// lab workspace, trusted, the first course module open) and each empty view's welcome content and buttons,
// saving screenshots. Linux as root (the private dockerd); elsewhere it says why it is skipped.
// Usage: node test/e2e/firstRun.mjs [--shots <dir>] [--keep]
// Prints "e2e: N passed, M failed"; exit 0 only when every check passed.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, launchChromium, log, mkScratch, waitForFrameText } from '../../scripts/vscode-offline/lib.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { values: opt } = parseArgs({
  options: {
    shots: { type: 'string', default: path.join(root, 'test-artifacts/e2e') },
    keep: { type: 'boolean', default: false },
  },
});
const shots = path.resolve(opt.shots);
fs.mkdirSync(shots, { recursive: true });
let passed = 0,
  failed = 0;
let page;

async function shot(name) {
  const file = path.join(shots, name);
  await page.screenshot({ path: file });
  log(`screenshot ${path.relative(root, file)}`);
}

async function check(name, body) {
  if (process.env.VOLUMES_LAB_E2E_GREP && !new RegExp(process.env.VOLUMES_LAB_E2E_GREP).test(name)) return true;
  try {
    await body(page);
    passed++;
    console.log(`  ✔ ${name}`);
    return true;
  } catch (err) {
    failed++;
    console.log(`  ✖ ${name}: ${err.message.split('\n')[0]}`);
    try {
      if (page) await shot(`FAILED-first-run-${name.replace(/\W+/g, '-').slice(0, 50)}.png`);
    } catch {}
    return false;
  }
}

if (process.platform !== 'linux' || process.getuid?.() !== 0) {
  console.log('first-run e2e skipped: npm start starts a private Docker daemon only as root on Linux');
  console.log('e2e: 0 passed, 0 failed');
  process.exit(0);
}

const scratch = mkScratch('first-');
const workspace = path.join(scratch, 'lab');
const dockerdRoot = path.join(scratch, 'd');
const port = await freePort();
// A new user's environment where no daemon answers (DOCKER_HOST names a socket that is not there, so the machine's
// default socket is never tried): the script falls back to its private daemon. A code-server profile of its own.
const env = { ...process.env };
for (const name of ['DOCKER_CONTEXT', 'VOLUMES_LAB_DAEMON', 'VOLUMES_LAB_DOCKERD_STARTED', 'npm_config_user_agent'])
  delete env[name];
Object.assign(env, {
  DOCKER_HOST: `unix://${path.join(scratch, 'no-daemon.sock')}`,
  VOLUMES_LAB_WORKSPACE: workspace,
  VOLUMES_LAB_PORT: String(port),
  VOLUMES_LAB_DOCKERD_ROOT: dockerdRoot,
  VOLUMES_LAB_DOCKERD_FRESH: '1',
  VOLUMES_LAB_PROFILE: path.join(scratch, 'profile'),
  // Without the `code` CLI: the code-server way, the one a machine without VS Code desktop takes.
  PATH: (env.PATH ?? '')
    .split(':')
    .filter((dir) => !fs.existsSync(path.join(dir, 'code')))
    .join(':'),
});
const output = fs.createWriteStream(path.join(scratch, 'start.log'));
const start = spawn('bash', [path.join(root, 'scripts/start.sh')], {
  env,
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let said = '';
for (const stream of [start.stdout, start.stderr])
  stream.on('data', (d) => {
    said += d;
    output.write(d);
  });
const exited = new Promise((resolve) => start.on('exit', resolve));

let context;
try {
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL in 5 minutes:\n${said}`)), 300_000);
    const poll = setInterval(() => {
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(said);
      if (m) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(m[1]);
      }
    }, 200);
    void exited.then(() => reject(new Error(`npm start exited early:\n${said}`)));
  });
  log(`npm start serves ${url}`);
  context = await launchChromium({ profileDir: path.join(scratch, 'chromium') });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

  await check('npm start opens the lab workspace, trusted, with the first course module open', async () => {
    assert(said.includes(`lab workspace: ${workspace}`), 'the script names the lab workspace');
    assert(said.includes('starting a private Docker daemon'), 'the script starts its private daemon');
    await page.locator('.getting-started-step', { hasText: 'Check the connection to Docker' }).first().waitFor({
      timeout: 60_000,
    });
    await page
      .locator('.gettingStartedContainer', { hasText: 'Docker first steps' })
      .first()
      .waitFor({ timeout: 10_000 });
    // The step's own page beside the list, rendered (a webview).
    await waitForFrameText(page, 'Is Docker answering?', 30_000);
    // The lab projects are in the Explorer's folder, outside the clone.
    const labs = fs.readdirSync(path.join(root, 'labs'));
    assert(labs.length && labs.every((lab) => fs.existsSync(path.join(workspace, lab))), 'every lab project written');
    const restricted = await page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).count();
    assert(restricted === 0, 'no Restricted Mode indicator in the status bar');
    const banner = await page.locator('.monaco-workbench', { hasText: 'Restricted Mode is intended' }).count();
    assert(banner === 0, 'no Restricted Mode banner');
    // Beside the course, the Volumes view whose title answers the first step.
    await page.locator('.part.sidebar', { hasText: 'This Docker daemon has no volumes yet' }).first().waitFor({
      timeout: 20_000,
    });
    await page.waitForTimeout(1500);
    await shot('00-npm-start-first-screen.png');
  });

  const welcome = () => page.locator('.part.sidebar .welcome-view-content');
  await check('on the fresh private daemon, each empty view shows its welcome content', async () => {
    // No click needed: the first start shows the extension's views beside the course.
    await welcome().locator('text=This Docker daemon has no volumes yet').first().waitFor({ timeout: 30_000 });
    await welcome().locator('text=No containers yet').first().waitFor({ timeout: 10_000 });
    await welcome().locator('text=No backups yet').first().waitFor({ timeout: 10_000 });
    // The Volumes title names the engine and, in short, where it runs; the Backups title, where backups go.
    await page
      .locator('.part.sidebar .pane-header .description')
      .filter({ hasText: /^Docker \d+\.\d+ · \S/ })
      .first()
      .waitFor({ timeout: 5_000 });
    await page
      .locator('.part.sidebar', { hasText: path.join(workspace, 'backups') })
      .first()
      .waitFor({ timeout: 5_000 });
    for (const button of [
      'Create a Volume',
      'Run with a Bind Mount',
      'Run with a Volume',
      'Run with tmpfs',
      'Back Up a Volume',
    ])
      await welcome().locator('.monaco-button', { hasText: button }).first().waitFor({ timeout: 5_000 });
    await page.waitForTimeout(500);
    await shot('00b-empty-views-welcome.png');
  });

  const quickInput = page.locator('.quick-input-widget');
  await check('Create a Volume in the empty Volumes view asks for the new volume’s name', async () => {
    await welcome().locator('.monaco-button', { hasText: 'Create a Volume' }).first().click();
    await quickInput.locator('text=Create Volume (1/3): name').first().waitFor({ timeout: 10_000 });
    await shot('00c-welcome-create-volume.png');
    await page.keyboard.press('Escape');
  });
  await check('Run with a Volume in the empty Mounts view asks which volume to mount', async () => {
    await welcome().locator('.monaco-button', { hasText: 'Run with a Volume' }).first().click();
    await quickInput.locator('.monaco-list-row', { hasText: 'New volume…' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
  });
  await check('Back Up a Volume on a daemon without volumes says what to do first', async () => {
    await welcome().locator('.monaco-button', { hasText: 'Back Up a Volume' }).first().click();
    const toast = page.locator('.notifications-toasts', { hasText: 'has no volume yet' }).first();
    await toast.waitFor({ timeout: 10_000 });
    await toast.locator('.monaco-button', { hasText: 'Create Volume…' }).first().waitFor({ timeout: 5_000 });
    await page.waitForTimeout(800); // the toast slides in
    await shot('00d-welcome-backup-no-volume.png');
  });
  await check('Open the Course in the empty Volumes view opens the volumes module', async () => {
    await welcome().locator('.monaco-button', { hasText: 'Open the Course' }).first().click();
    await page
      .locator('.gettingStartedContainer', { hasText: 'Volumes and bind mounts' })
      .first()
      .waitFor({ timeout: 20_000 });
  });
} catch (err) {
  console.error(`first-run e2e harness error: ${err.stack ?? err}`);
  failed++;
} finally {
  await context?.close().catch(() => undefined);
  // Ctrl+C for the script: its trap stops code-server and the private daemon it started.
  try {
    process.kill(-start.pid, 'SIGINT');
  } catch {}
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  try {
    process.kill(-start.pid, 'SIGKILL');
  } catch {}
  // Whatever happened to the script, its daemon does not outlive the test.
  execFileSync('bash', [path.join(root, 'scripts/stop-dockerd.sh')], {
    env: { ...process.env, VOLUMES_LAB_DOCKERD_ROOT: dockerdRoot },
  });
  output.end();
}

function assert(ok, what) {
  if (!ok) throw new Error(what);
}

console.log(`e2e: ${passed} passed, ${failed} failed`);
if (!opt.keep && failed === 0) fs.rmSync(scratch, { recursive: true, force: true });
else log(`logs kept in ${scratch}`);
process.exit(failed === 0 ? 0 : 1);
