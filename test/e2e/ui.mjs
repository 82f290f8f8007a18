#!/usr/bin/env node
// The e2e tier: installs the packaged .vsix into code-server (the real VS Code workbench), opens it in
// headless Chromium, and checks what a person sees, saving screenshots as test artifacts.
// Usage: node test/e2e/ui.mjs --vsix <file> --shots <dir> [--keep]
// Needs DOCKER_HOST (or the default socket) and VOLUMES_LAB_TEST_IMAGE like the other tiers.
// Prints "e2e: N passed, M failed"; exit 0 only when every check passed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import {
  codeServerCli, freePort, launchChromium, log, mkScratch, startCodeServer, stopTree, writeUserSettings,
} from '../../scripts/vscode-offline/lib.mjs';

const require = createRequire(import.meta.url);
const Docker = require('dockerode');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;
const TEST_LABEL = 'volumes-lab.test';

const { values: opt } = parseArgs({
  options: {
    vsix: { type: 'string' },
    shots: { type: 'string', default: path.join(root, 'test-artifacts/e2e') },
    keep: { type: 'boolean', default: false },
  },
});
const shots = path.resolve(opt.shots);
fs.rmSync(shots, { recursive: true, force: true });
fs.mkdirSync(shots, { recursive: true });
const scratch = mkScratch('e2e-');
const dirs = { userDataDir: path.join(scratch, 'user-data'), extensionsDir: path.join(scratch, 'extensions'), profileDir: path.join(scratch, 'chromium') };
for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });

const docker = new Docker();
const volumeName = `course-data-${Date.now().toString(36)}`;
let server, context, page;
let passed = 0, failed = 0;

async function shot(name) {
  const file = path.join(shots, name);
  await page.screenshot({ path: file });
  log(`screenshot ${path.relative(root, file)}`);
}

/** One named check: counted, and on failure a screenshot of the moment. */
async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`  ✔ ${name}`);
    return true;
  } catch (err) {
    failed++;
    console.log(`  ✖ ${name}: ${err.message.split('\n')[0]}`);
    try { if (page) await shot(`FAILED-${name.replace(/\W+/g, '-').slice(0, 60)}.png`); } catch { }
    return false;
  }
}

async function cleanup() {
  try { await context?.close(); } catch { }
  await stopTree(server?.child);
  const { Volumes } = await docker.listVolumes({ filters: { label: [TEST_LABEL] } }).catch(() => ({ Volumes: [] }));
  await Promise.all((Volumes ?? []).map(v => docker.getVolume(v.Name).remove().catch(() => undefined)));
}

try {
  const ok = await check('the .vsix installs into VS Code', async () => {
    const inst = await codeServerCli(['--extensions-dir', dirs.extensionsDir, '--user-data-dir', dirs.userDataDir, '--install-extension', path.resolve(opt.vsix), '--force']);
    if (inst.code !== 0) throw new Error(`--install-extension failed: ${inst.out}`);
    const list = await codeServerCli(['--extensions-dir', dirs.extensionsDir, '--user-data-dir', dirs.userDataDir, '--list-extensions']);
    if (!list.out.toLowerCase().includes(EXTENSION_ID)) throw new Error(`${EXTENSION_ID} not listed: ${list.out}`);
  });
  if (!ok) throw new Error('cannot continue without the extension');

  // A volume made outside VS Code, through the Engine API, for the view to show.
  await docker.createVolume({ Name: volumeName, Labels: { [TEST_LABEL]: '1', 'com.docker.compose.project': 'course' } });
  await docker.createVolume({ Name: `shared-logs-${Date.now().toString(36)}`, Labels: { [TEST_LABEL]: '1' } });
  await docker.createVolume({ Labels: { [TEST_LABEL]: '1' } }); // anonymous

  writeUserSettings(dirs.userDataDir, { 'workbench.colorTheme': 'Default Dark Modern' });
  const port = await freePort();
  server = await startCodeServer({ port, ...dirs, tmpDir: path.join(scratch, 'tmp'), logFile: path.join(scratch, 'code-server.log') });
  context = await launchChromium({ profileDir: dirs.profileDir });
  page = context.pages()[0] ?? await context.newPage();
  await page.goto(`${server.url}?${new URLSearchParams({ folder: path.join(root, 'test/fixtures/workspace') })}`);

  const activityIcon = page.locator('.part.activitybar .action-item a[aria-label^="Docker Volumes Lab"], .part.activitybar .action-item[aria-label^="Docker Volumes Lab"]').first();
  await check('our activity-bar icon appears in the workbench', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await activityIcon.waitFor({ timeout: 60_000 });
  });

  await check('clicking the icon opens the Volumes view, which lists the volume the test created', async () => {
    await activityIcon.click();
    await page.locator('.part.sidebar .composite.title', { hasText: 'Docker Volumes Lab' }).first().waitFor({ timeout: 20_000 });
    await page.locator('.part.sidebar .monaco-list-row', { hasText: volumeName }).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(400);
    await shot('01-volumes-view.png');
  });

  await check('the view shows the endpoint in use', async () => {
    const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
    // The view's message line names the engine version and the endpoint; it must be visible, not just in the DOM.
    await page.locator('.part.sidebar .message', { hasText: host }).first().waitFor({ state: 'visible', timeout: 10_000 });
  });

  await check('hovering a volume shows its details', async () => {
    await page.locator('.part.sidebar .monaco-list-row', { hasText: volumeName }).first().hover();
    await page.locator('.monaco-hover, .workbench-hover', { hasText: 'com.docker.compose.project' }).first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    await shot('02-volume-tooltip.png');
  });

  await check('the view follows a light theme', async () => {
    await page.mouse.move(900, 600);
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const quickInput = page.locator('.quick-input-widget');
    await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type('Toggle between Light/Dark Themes');
    await quickInput.locator('.monaco-list-row', { hasText: 'Light/Dark' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-workbench.vs:not(.vs-dark)').first().waitFor({ timeout: 15_000 });
    await page.locator('.part.sidebar .monaco-list-row', { hasText: volumeName }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(400);
    await shot('03-volumes-view-light.png');
  });
} catch (err) {
  console.error(`e2e harness error: ${err.stack ?? err}`);
  if (failed === 0) failed = 1;
}
await cleanup();
console.log(`e2e: ${passed} passed, ${failed} failed`);
if (!opt.keep && failed === 0) fs.rmSync(scratch, { recursive: true, force: true });
else log(`logs kept in ${scratch}`);
process.exit(failed === 0 ? 0 : 1);
