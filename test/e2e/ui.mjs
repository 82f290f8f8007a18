#!/usr/bin/env node
// The e2e tier: installs the packaged .vsix into code-server (the real VS Code workbench), opens it in
// headless Chromium, and checks what a person sees, saving screenshots as test artifacts.
// Usage: node test/e2e/ui.mjs --vsix <file> --shots <dir> [--keep]
// Needs DOCKER_HOST (or the default socket) like the other tiers.
// Prints "e2e: N passed, M failed"; exit 0 only when every check passed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  codeServerCli,
  freePort,
  launchChromium,
  log,
  mkScratch,
  startCodeServer,
  stopTree,
  waitForFrameText,
  writeUserSettings,
} from '../../scripts/vscode-offline/lib.mjs';

const require = createRequire(import.meta.url);
const Docker = require('dockerode');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;
const TEST_LABEL = 'volumes-lab.test';
const TEST_IMAGE = process.env.VOLUMES_LAB_TEST_IMAGE || 'busybox';

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
// A copy: checks type into its files, and nothing they do may reach the repository's fixture.
const WORKSPACE = path.join(scratch, 'workspace');
fs.cpSync(path.join(root, 'test/fixtures/workspace'), WORKSPACE, { recursive: true });
const docker = new Docker();
let passed = 0,
  failed = 0;
let session; // the workbench being driven: { server, context, page, dirs }

async function shot(name) {
  const file = path.join(shots, name);
  await session.page.screenshot({ path: file });
  log(`screenshot ${path.relative(root, file)}`);
}

/** One named check: counted, and on failure a screenshot of that moment. */
async function check(name, body) {
  // VOLUMES_LAB_E2E_GREP runs only the checks whose name matches (a failing check, investigated alone).
  if (process.env.VOLUMES_LAB_E2E_GREP && !new RegExp(process.env.VOLUMES_LAB_E2E_GREP).test(name)) return true;
  try {
    await body(session?.page);
    passed++;
    console.log(`  ✔ ${name}`);
    return true;
  } catch (err) {
    failed++;
    console.log(`  ✖ ${name}: ${err.message.split('\n')[0]}`);
    try {
      if (session?.page) await shot(`FAILED-${name.replace(/\W+/g, '-').slice(0, 60)}.png`);
    } catch {}
    return false;
  }
}

/** A fresh user-data dir with the .vsix installed and a keybinding that opens our walkthrough. */
async function prepareProfile(name, settings = {}) {
  const dirs = {
    userDataDir: path.join(scratch, name, 'user-data'),
    extensionsDir: path.join(scratch, name, 'extensions'),
    profileDir: path.join(scratch, name, 'chromium'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  writeUserSettings(dirs.userDataDir, {
    'workbench.colorTheme': 'Default Dark Modern',
    'files.autoSave': 'off',
    'volumesLab.backup.folder': path.join(scratch, name, 'backups'),
    ...settings,
  });
  // A keybinding is the simplest way to run a command with arguments from the UI.
  fs.writeFileSync(
    path.join(dirs.userDataDir, 'User', 'keybindings.json'),
    JSON.stringify([
      { key: 'ctrl+alt+shift+w', command: 'workbench.action.openWalkthrough', args: `${EXTENSION_ID}#firstSteps` },
      { key: 'ctrl+alt+shift+l', command: 'workbench.action.openWalkthrough', args: `${EXTENSION_ID}#sidecarLab` },
      { key: 'ctrl+alt+shift+b', command: 'workbench.action.openWalkthrough', args: `${EXTENSION_ID}#volumesBasics` },
      { key: 'ctrl+alt+shift+d', command: 'workbench.action.openWalkthrough', args: `${EXTENSION_ID}#dataManagement` },
      // The path pickers straight away, in any display language (the palette's titles are translated).
      { key: 'ctrl+alt+shift+m', command: 'volumesLab.run.bindMount', args: { image: TEST_IMAGE, target: '/site' } },
      { key: 'ctrl+alt+shift+r', command: 'volumesLab.backup.restore', args: { target: 'e2e-never-restored' } },
    ]),
  );
  const inst = await codeServerCli([
    '--extensions-dir',
    dirs.extensionsDir,
    '--user-data-dir',
    dirs.userDataDir,
    '--install-extension',
    path.resolve(opt.vsix),
    '--force',
  ]);
  if (inst.code !== 0) throw new Error(`--install-extension failed: ${inst.out}`);
  const list = await codeServerCli([
    '--extensions-dir',
    dirs.extensionsDir,
    '--user-data-dir',
    dirs.userDataDir,
    '--list-extensions',
  ]);
  if (!list.out.toLowerCase().includes(EXTENSION_ID))
    throw new Error(`${EXTENSION_ID} not listed after install: ${list.out}`);
  return dirs;
}

/**
 * French without a real language pack (none installs offline): a stub pack that makes French the display
 * language while VS Code itself stays English, registered in languagepacks.json by hand (the CLI install
 * does not), then code-server started with --locale fr.
 */
async function installFrenchStub(dirs) {
  const source = path.join(root, 'test/fixtures/lang-fr');
  const vsix = path.join(scratch, 'lang-fr.vsix');
  if (!fs.existsSync(vsix))
    execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix], {
      cwd: source,
      stdio: 'ignore',
    });
  const inst = await codeServerCli([
    '--extensions-dir',
    dirs.extensionsDir,
    '--user-data-dir',
    dirs.userDataDir,
    '--install-extension',
    vsix,
    '--force',
  ]);
  if (inst.code !== 0) throw new Error(`language pack install failed: ${inst.out}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  fs.writeFileSync(
    path.join(dirs.userDataDir, 'languagepacks.json'),
    JSON.stringify({
      fr: {
        hash: createHash('md5')
          .update(id + manifest.version)
          .digest('hex'),
        extensions: [{ extensionIdentifier: { id }, version: manifest.version }],
        translations: {
          vscode: path.join(dirs.extensionsDir, `${id}-${manifest.version}`, 'translations/main.i18n.json'),
        },
        label: 'français',
      },
    }),
  );
}

async function openWorkbench(dirs, env = {}, extraArgs = []) {
  const port = await freePort();
  const server = await startCodeServer({
    port,
    ...dirs,
    extraArgs,
    tmpDir: path.join(path.dirname(dirs.userDataDir), 'tmp'),
    env,
    logFile: path.join(path.dirname(dirs.userDataDir), 'code-server.log'),
  });
  const context = await launchChromium({ profileDir: dirs.profileDir });
  const page = context.pages()[0] ?? (await context.newPage());
  session = { server, context, page, dirs };
  await page.goto(`${server.url}?${new URLSearchParams({ folder: WORKSPACE })}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return page;
}

async function closeWorkbench() {
  if (!session) return;
  try {
    await session.context.close();
  } catch {}
  await stopTree(session.server.child);
  session = undefined;
}

const activityIcon = (page) =>
  page
    .locator(
      '.part.activitybar .action-item a[aria-label^="Docker Volumes Lab"], .part.activitybar .action-item[aria-label^="Docker Volumes Lab"]',
    )
    .first();
const sidebarRow = (page, text) => page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

/** Takes keyboard focus back from a webview (which keeps workbench keys to itself). */
async function focusWorkbench(page) {
  await page
    .locator('.part.statusbar')
    .first()
    .click({ position: { x: 600, y: 10 } })
    .catch(() => undefined);
}

/** Opens a walkthrough by its keybinding and waits for a step and for text of its SVG diagram. */
async function walkthroughDiagram(page, keys, stepTitle, diagramText, shotName) {
  await focusWorkbench(page);
  await page.keyboard.press('Escape');
  await page.keyboard.press(keys);
  await page.locator('.getting-started-step', { hasText: stepTitle }).first().waitFor({ timeout: 20_000 });
  await waitForFrameText(page, diagramText);
  await page.waitForTimeout(800);
  await shot(shotName);
}

async function runCommand(page, title) {
  const quickInput = page.locator('.quick-input-widget');
  // A webview (a Markdown preview, a walkthrough) can keep F1 to itself for a moment: focus the workbench and try again.
  for (let attempt = 1; ; attempt++) {
    await focusWorkbench(page);
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const shown = await quickInput.waitFor({ state: 'visible', timeout: 10_000 }).then(
      () => true,
      (err) => {
        if (attempt >= 3) throw err;
        return false;
      },
    );
    if (shown) break;
  }
  await page.keyboard.type(title);
  await quickInput.locator('.monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/**
 * Types `typed` over the open path picker's value, waits for its item to say `says` under it, and throws unless that
 * line is shown whole: the quick pick cuts a detail line too long for it with an ellipsis, and then some box holding
 * its text is narrower than the text. Returns the text's width and the row's, in pixels.
 */
async function typedCheckShownWhole(page, typed, says) {
  const quickInput = page.locator('.quick-input-widget');
  await quickInput.locator('input').first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(typed);
  // The item of the whole value (an older one, of a shorter value, may say the same), once laid out.
  const row = quickInput.locator('.monaco-list-row', { hasText: says }).filter({ hasText: typed }).first();
  await row.waitFor({ timeout: 10_000 });
  const measure = () =>
    row.evaluate(
      (r, text) => ({
        boxes: [...r.querySelectorAll('.quick-input-list-label-meta, .quick-input-list-label-meta *')]
          .filter((e) => e.clientWidth > 0 && e.textContent.includes(text))
          .map((e) => ({ box: e.className, text: e.scrollWidth, room: e.clientWidth })),
        room: r.querySelector('.quick-input-list-rows')?.clientWidth ?? 0,
      }),
      says,
    );
  let { boxes, room } = await measure();
  for (let tries = 0; !boxes.length && tries < 20; tries++) {
    await page.waitForTimeout(100);
    ({ boxes, room } = await measure());
  }
  if (!boxes.length) throw new Error(`no box of the detail line holds "${says}"`);
  const cut = boxes.find((b) => b.text > b.room);
  if (cut) throw new Error(`"${says}" is cut: ${cut.text} px of text in ${cut.room} px (${cut.box})`);
  return { text: Math.max(...boxes.map((b) => b.text)), room };
}

/**
 * The path pickers' longest checks of a typed path, in the display language, measured whole in the real quick pick at
 * the default window size, with a screenshot of each.
 */
async function pathChecksShownWhole(lang) {
  const l10n =
    lang === 'fr' ? JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.fr.json'), 'utf8')) : undefined;
  const t = (text, ...args) => (l10n?.[text] ?? text).replace(/\{(\d+)\}/g, (_, i) => args[Number(i)]);
  const picks = path.join(scratch, `picks-${lang}`);
  fs.mkdirSync(path.join(picks, 'with-backup'), { recursive: true });
  fs.mkdirSync(path.join(picks, 'without-backup'), { recursive: true });
  fs.writeFileSync(path.join(picks, 'with-backup', 'colleague.tar.gz'), '');
  const pickers = [
    {
      keys: 'Control+Alt+Shift+M',
      lines: [[path.join(picks, 'to-create'), t('Does not exist yet: Enter asks whether to create it.')]],
    },
    {
      keys: 'Control+Alt+Shift+R',
      lines: [
        [
          path.join(picks, 'with-backup'),
          t('A folder: pick one of its files below, or press Enter to browse from it.'),
        ],
        [
          path.join(picks, 'without-backup'),
          t('No {0} in this folder: press Enter to browse from it.', t('.tar.gz, .tgz or .sql.gz file')),
        ],
      ],
    },
  ];
  for (const { keys, lines } of pickers)
    await check(`[${lang}] the path picker's check of a typed path is shown whole (${keys})`, async (page) => {
      await focusWorkbench(page);
      await page.keyboard.press('Escape');
      await page.keyboard.press(keys);
      for (const [index, [typed, says]] of lines.entries()) {
        const measured = await typedCheckShownWhole(page, typed, says);
        log(`[${lang}] "${says}": ${measured.text} px of text, ${measured.room} px of room`);
        await shot(`13-path-check-${lang}-${keys.at(-1)}${index + 1}.png`);
      }
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    });
}

const volumeName = `course-data-${Date.now().toString(36)}`;
try {
  let dirs;
  const installed = await check('the .vsix installs into VS Code', async () => {
    dirs = await prepareProfile('main');
  });
  if (!installed) throw new Error('cannot continue without the extension');

  // Volumes made outside VS Code, through the Engine API, for the view to show: one with files and a
  // container using it, one unused, one anonymous.
  await docker.createVolume({
    Name: volumeName,
    Labels: { [TEST_LABEL]: '1', 'com.docker.compose.project': 'course' },
  });
  await docker.createVolume({ Name: `shared-logs-${Date.now().toString(36)}`, Labels: { [TEST_LABEL]: '1' } });
  await docker.createVolume({ Labels: { [TEST_LABEL]: '1' } }); // anonymous
  const writer = await docker.createContainer({
    Image: TEST_IMAGE,
    Labels: { [TEST_LABEL]: '1' },
    Cmd: [
      'sh',
      '-c',
      'mkdir -p /data/site && printf "<h1>Hello from a volume</h1>\\n" > /data/site/index.html && dd if=/dev/zero of=/data/blob bs=1024 count=700 2>/dev/null',
    ],
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volumeName, Target: '/data' }] },
  });
  await writer.start();
  await writer.wait();
  await writer.remove();
  await docker.createContainer({
    name: `web-${Date.now().toString(36)}`,
    Image: TEST_IMAGE,
    Cmd: ['sh'],
    Labels: { [TEST_LABEL]: '1' },
    HostConfig: {
      NetworkMode: 'none',
      Mounts: [{ Type: 'volume', Source: volumeName, Target: '/usr/share/nginx/html', ReadOnly: true }],
    },
  });

  await openWorkbench(dirs);
  await check('our activity-bar icon appears in the workbench', (page) =>
    activityIcon(page).waitFor({ timeout: 60_000 }),
  );

  await check('clicking the icon opens the Volumes view, which lists the volume the test created', async (page) => {
    await activityIcon(page).click();
    await page
      .locator('.part.sidebar .composite.title', { hasText: 'Docker Volumes Lab' })
      .first()
      .waitFor({ timeout: 20_000 });
    await sidebarRow(page, volumeName).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(400);
    await shot('01-volumes-view.png');
  });

  await check(
    'the view title names the engine and where it runs, whole in the side bar; its top line has the full address',
    async (page) => {
      const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
      const description = page
        .locator('.part.sidebar .pane-header .description')
        // Docker's own socket is "this machine"; a private daemon's socket is named by its folder.
        .filter({
          hasText: /^unix:\/\/\/(var\/)?run\/docker\.sock$/.test(host)
            ? /^Docker \d+\.\d+ · this machine$/
            : /^Docker \d+\.\d+ · \S/,
        })
        .first();
      await description.waitFor({ state: 'visible', timeout: 10_000 });
      // Cut with an ellipsis, the text would be wider than its box in the default side bar (the defect: "Docker
      // 20.10.24+dfsg1 at unix:///…").
      const { scrollWidth, clientWidth } = await description.evaluate((e) => ({
        scrollWidth: e.scrollWidth,
        clientWidth: e.clientWidth,
      }));
      if (scrollWidth > clientWidth)
        throw new Error(`the title is cut: ${scrollWidth} px of text in ${clientWidth} px`);
      log(`Volumes view title: "${await description.textContent()}", ${scrollWidth} px of text in ${clientWidth} px`);
      await sidebarRow(page, 'What this view shows').hover();
      await page
        .locator('.monaco-hover, .workbench-hover', { hasText: `at ${host}` })
        .filter({ hasText: /Docker Engine \S+ \(API / })
        .first()
        .waitFor({ timeout: 10_000 });
      await page.mouse.move(900, 600);
    },
  );

  await check('hovering a volume shows its details', async (page) => {
    await sidebarRow(page, volumeName).hover();
    await page
      .locator('.monaco-hover, .workbench-hover', { hasText: 'Compose project' })
      .first()
      .waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    await shot('02-volume-tooltip.png');
  });

  await check(
    'volumes are grouped, with sizes, and expand to their containers and files; a file opens in an editor',
    async (page) => {
      await page.mouse.move(900, 600);
      for (const group of ['In use', 'Unused', 'Anonymous']) await sidebarRow(page, group).waitFor({ timeout: 10_000 });
      const row = sidebarRow(page, volumeName);
      await page
        .locator('.part.sidebar .monaco-list-row', { hasText: volumeName })
        .filter({ hasText: /kB · used by 1/ })
        .first()
        .waitFor({ timeout: 20_000 });
      await row.click();
      await sidebarRow(page, '/usr/share/nginx/html ro').waitFor({ timeout: 10_000 });
      await sidebarRow(page, 'Files').click();
      await sidebarRow(page, 'site').waitFor({ timeout: 15_000 });
      await sidebarRow(page, 'blob').waitFor({ timeout: 5_000 });
      await sidebarRow(page, 'site').click();
      await sidebarRow(page, 'index.html').click();
      await page
        .locator('.monaco-editor .view-lines', { hasText: 'Hello from a volume' })
        .first()
        .waitFor({ timeout: 20_000 });
      await page.waitForTimeout(500);
      await shot('03-volume-files-open.png');
      await page.keyboard.press('Control+W').catch(() => undefined);
    },
  );

  await check(
    "the Mounts view shows a container's bind (ro), volume and tmpfs mounts, with a warning",
    async (page) => {
      const site = fs.mkdtempSync(path.join(scratch, 'site-'));
      const name = `site-${Date.now().toString(36)}`;
      await docker.createContainer({
        name,
        Image: TEST_IMAGE,
        Cmd: ['sh'],
        Labels: { [TEST_LABEL]: '1' },
        HostConfig: {
          NetworkMode: 'none',
          Mounts: [
            { Type: 'bind', Source: site, Target: '/usr/share/nginx/html', ReadOnly: true },
            { Type: 'volume', Source: volumeName, Target: '/var/cache/nginx' },
            { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 64 * 1024 * 1024 } },
            // The daemon's own socket: the classic risky bind.
            {
              Type: 'bind',
              Source: (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, ''),
              Target: '/var/run/docker.sock',
            },
          ],
        },
      });
      await runCommand(page, 'Docker Volumes: Refresh Mounts');
      const header = page.locator('.part.sidebar .pane-header', { hasText: 'Mounts' }).first();
      await header.waitFor({ timeout: 10_000 });
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      // Give the Mounts pane room: collapse the Volumes pane.
      const volumesHeader = page.locator('.part.sidebar .pane-header', { hasText: 'Volumes' }).first();
      if ((await volumesHeader.getAttribute('aria-expanded')) === 'true') await volumesHeader.click();
      const row = page.locator('.part.sidebar .monaco-list-row', { hasText: name }).first();
      await row.waitFor({ timeout: 15_000 });
      await row.locator('text=⚠ 1').first().waitFor({ timeout: 5_000 });
      await row.click();
      await sidebarRow(page, '/usr/share/nginx/html').locator('text=ro').first().waitFor({ timeout: 10_000 });
      await sidebarRow(page, '/var/cache/nginx').waitFor({ timeout: 5_000 });
      await sidebarRow(page, '/tmp').locator('text=size=64m').first().waitFor({ timeout: 5_000 });
      await sidebarRow(page, '/var/run/docker.sock').locator('.codicon-warning').first().waitFor({ timeout: 5_000 });
      // Hover the risky mount (twice if the first hover is eaten by a re-render) to read its warning.
      const tooltip = page.locator('.monaco-hover, .workbench-hover', { hasText: 'full control of Docker' }).first();
      for (let attempt = 0; attempt < 3; attempt++) {
        await page.mouse.move(900, 600);
        await sidebarRow(page, '/var/run/docker.sock').hover();
        try {
          await tooltip.waitFor({ timeout: 5_000 });
          break;
        } catch (err) {
          if (attempt === 2) throw err;
        }
      }
      await page.waitForTimeout(400);
      await shot('04-mounts-view.png');
      await page.mouse.move(900, 600);
      await header.click();
      await volumesHeader.click();
    },
  );

  await check('Back Up Volume from the palette: progress, then the backup in the Backups view', async (page) => {
    await runCommand(page, 'Docker Volumes: Back Up Volume');
    const quickInput = page.locator('.quick-input-widget');
    await quickInput.locator('.monaco-list-row').first().waitFor({ timeout: 10_000 });
    await page.keyboard.type(volumeName); // the list is virtualised: filter first, then pick
    await quickInput.locator('.monaco-list-row', { hasText: volumeName }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page
      .locator('.notification-toast', { hasText: `Backed up ${volumeName}` })
      .first()
      .waitFor({ timeout: 30_000 });
    const header = page.locator('.part.sidebar .pane-header', { hasText: 'Backups' }).first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const volumesHeader = page.locator('.part.sidebar .pane-header', { hasText: 'Volumes' }).first();
    if ((await volumesHeader.getAttribute('aria-expanded')) === 'true') await volumesHeader.click();
    await sidebarRow(page, volumeName).waitFor({ timeout: 10_000 });
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'verified' }).first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    await shot('04c-backups-view.png');
    await header.click();
    await volumesHeader.click();
  });

  await check(
    'the bind-mount picker takes a path typed straight into it, shows its check, and asks before creating a missing one',
    async (page) => {
      await runCommand(page, 'Docker Volumes: Run Container with Bind Mount');
      const quickInput = page.locator('.quick-input-widget');
      await quickInput.locator('.monaco-list-row').first().waitFor({ timeout: 10_000 });
      await page.keyboard.type(TEST_IMAGE);
      await quickInput.locator('.monaco-list-row', { hasText: TEST_IMAGE }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      // The folder picker's placeholder says a path can be typed, and typing one needs no other step.
      await quickInput
        .locator('input[placeholder*="type a path"]')
        .first()
        .waitFor({ timeout: 10_000 })
        .catch(async (err) => {
          const shown = await quickInput.locator('input').first().getAttribute('placeholder');
          throw new Error(`placeholder "${shown}": ${err.message}`);
        });
      await page.keyboard.type('./src');
      const existing = path.join(WORKSPACE, 'src');
      const offered = (where, says) =>
        quickInput.locator('.monaco-list-row', { hasText: where }).filter({ hasText: says }).first();
      await offered(existing, 'This folder exists: press Enter to use it.').waitFor({ timeout: 10_000 });
      await shot('04d-bind-mount-typed-path.png');

      // Typed over: a folder that is not there yet is offered too, saying the user will be asked.
      await page.keyboard.press('Control+A');
      await page.keyboard.type('src/site-to-serve');
      const missing = path.join(WORKSPACE, 'src/site-to-serve');
      await offered(missing, 'Does not exist yet: Enter asks whether to create it.').waitFor({
        timeout: 10_000,
      });
      await shot('04e-bind-mount-typed-missing-path.png');
      // Enter takes the typed path: the question says where the folder would be made; no creation without a yes.
      await page.keyboard.press('Enter');
      const question = page.locator('.monaco-dialog-box', {
        hasText: `${missing} does not exist. Create it, inside the workspace?`,
      });
      await question.waitFor({ timeout: 10_000 });
      await page.keyboard.press('Escape');
      await question.waitFor({ state: 'hidden', timeout: 10_000 });
      await quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
      if (fs.existsSync(missing)) throw new Error(`${missing} was created without a yes`);
    },
  );

  await check('a compose file shows volume lenses with live state, and a diagnostic', async (page) => {
    await focusWorkbench(page);
    await page.keyboard.press('Control+P');
    const quickInput = page.locator('.quick-input-widget');
    await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type('compose.yaml');
    // The workspace also holds language/compose.yaml: open the root one, whichever order quick open lists them in.
    const rootCompose = quickInput
      .locator('.monaco-list-row', { hasText: 'compose.yaml', hasNotText: 'language' })
      .first();
    await rootCompose.waitFor({ timeout: 10_000 });
    await rootCompose.click();
    await page
      .locator('.monaco-editor .codelens-decoration', { hasText: 'workspace_pgdata' })
      .first()
      .waitFor({ timeout: 20_000 });
    await page
      .locator('.monaco-editor .codelens-decoration', { hasText: 'bind ./src → /app' })
      .first()
      .waitFor({ timeout: 10_000 });
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    await shot('04f-compose-lenses.png');
    await runCommand(page, 'View: Close All Editors');
  });

  /** Opens a workspace file by its relative path through quick open (several files share a name). */
  async function openWorkspaceFile(page, relative) {
    await focusWorkbench(page);
    await page.keyboard.press('Control+P');
    const quickInput = page.locator('.quick-input-widget');
    await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(relative);
    const folder = path.dirname(relative);
    const row = quickInput
      .locator('.monaco-list-row', { hasText: path.basename(relative) })
      .filter({ hasText: folder })
      .first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await page.locator('.tab.active', { hasText: path.basename(relative) }).waitFor({ timeout: 10_000 });
  }

  async function goToLine(page, line) {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(`:${line}`);
    await page.keyboard.press('Enter');
  }

  await check("completion in a compose file offers the daemon's volumes with their size and users", async (page) => {
    await openWorkspaceFile(page, 'language/compose.yaml');
    // Line 11 is the app service's last volume entry: typed over (the file is reverted after).
    await goToLine(page, 11);
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('- course-d');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.editor-widget.suggest-widget');
    await suggest.locator('.monaco-list-row', { hasText: volumeName }).first().waitFor({ timeout: 15_000 });
    // The detail of the focused item: size and the containers using it, from the daemon.
    const details = page.locator('.suggest-details', { hasText: /used by/ }).first();
    // Control+Space again shows the focused item's details when the widget opened without them.
    if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
    await details.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(400);
    await shot('04g-compose-completion.png');
    await page.keyboard.press('Escape');
    await runCommand(page, 'File: Revert File');
    await page.locator('.tab.active:not(.dirty)', { hasText: 'compose.yaml' }).waitFor({ timeout: 10_000 });
  });

  await check(
    'a stateful service without a volume is flagged, and its quick fix mounts and declares a named volume',
    async (page) => {
      await goToLine(page, 3);
      await page.keyboard.press('End');
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Control+.');
      const fix = page
        .locator('.action-widget .monaco-list-row', { hasText: 'Keep /var/lib/postgresql/data in a named volume' })
        .first();
      await fix.waitFor({ timeout: 10_000 });
      await page.waitForTimeout(300);
      await shot('04h-stateful-quick-fix.png');
      await fix.click();
      await page
        .locator('.monaco-editor .view-lines', { hasText: 'db-data:/var/lib/postgresql/data' })
        .first()
        .waitFor({ timeout: 10_000 });
      await page.waitForTimeout(400);
      await shot('04i-stateful-fixed.png');
      await runCommand(page, 'File: Revert File');
      await runCommand(page, 'View: Close All Editors');
    },
  );

  await check('Show Disk Usage renders a readable report', async (page) => {
    await runCommand(page, 'Docker Volumes: Show Disk Usage');
    await waitForFrameText(page, 'Reclaimable');
    await waitForFrameText(page, 'Largest volumes');
    await page.waitForTimeout(500);
    await shot('04b-disk-usage.png');
    await runCommand(page, 'View: Close All Editors');
  });

  await check('the first walkthrough step is complete because the daemon answered', async (page) => {
    await page.mouse.move(900, 600);
    await focusWorkbench(page);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Alt+Shift+W');
    const step = page.locator('.getting-started-step', { hasText: 'Check the connection to Docker' }).first();
    await step.waitFor({ timeout: 20_000 });
    // Completion comes from our context key, set because the daemon answered: no click on the step.
    await step
      .locator('.codicon-getting-started-step-checked, .codicon-pass-filled')
      .first()
      .waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    await shot('05-walkthrough-first-step.png');
  });

  await check('a walkthrough diagram follows the dark theme', (page) =>
    walkthroughDiagram(
      page,
      'Control+Alt+Shift+B',
      'Create a volume',
      'managed by Docker',
      '11-walkthrough-diagram-dark.png',
    ),
  );

  await check('the view follows a light theme', async (page) => {
    await runCommand(page, 'Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs:not(.vs-dark)').first().waitFor({ timeout: 15_000 });
    if (!(await sidebarRow(page, volumeName).isVisible())) await activityIcon(page).click();
    await sidebarRow(page, volumeName).waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(400);
    await shot('06-volumes-view-light.png');
  });
  await check('a walkthrough diagram follows the light theme', (page) =>
    walkthroughDiagram(
      page,
      'Control+Alt+Shift+D',
      'The writable layer dies with the container',
      'writable layer (container)',
      '12-walkthrough-diagram-light.png',
    ),
  );
  await closeWorkbench();

  // The sidecar walkthrough, completed by clicking its step buttons only, once in English, once in French.
  // Step titles and button labels come from the manifest's strings in each language; the buttons clicked
  // are these actions of each step (the others, like "Write the Lab Files", are optional).
  const CLICKS = {
    createVolume: ['create'],
    startWriter: ['run'],
    startReader: ['run'],
    watchLogs: ['logs'],
    proveReadOnly: ['exec'],
    removeContainers: ['remove'],
    namedVsAnonymous: ['anonymous', 'named'],
    cleanUp: ['reset'],
  };
  const sidecarSteps = (lang) => {
    const nls = JSON.parse(
      fs.readFileSync(path.join(root, lang === 'fr' ? 'package.nls.fr.json' : 'package.nls.json'), 'utf8'),
    );
    return Object.entries(CLICKS).map(([step, actions]) => {
      const description = nls[`walkthrough.sidecarLab.${step}.description`];
      const label = (action) =>
        [...description.matchAll(/\[([^\]]+)\]\(command:volumesLab\.lab\.run\?([^)]+)\)/g)].find(
          (m) => JSON.parse(decodeURIComponent(m[2]))[0] === `sidecarLab.${step}.${action}`,
        )[1];
      // The step's media: the first heading of its Markdown in this language (none for the diagram).
      const media = pkg.contributes.walkthroughs.find((w) => w.id === 'sidecarLab').steps.find((x) => x.id === step)
        .media.markdown;
      const heading =
        media &&
        fs
          .readFileSync(path.join(root, lang === 'fr' ? media.replace(/\.md$/, '.nls.fr.md') : media), 'utf8')
          .match(/^# (.+)$/m)[1];
      // Removing things asks first: those buttons are followed by the dialog's answer.
      return [
        nls[`walkthrough.sidecarLab.${step}.title`],
        actions.map((action) => ({ label: label(action), confirms: ['remove', 'reset'].includes(action) })),
        heading,
      ];
    });
  };
  const DIALOG = {
    en: 'Remove',
    fr: JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.fr.json'), 'utf8')).Remove,
  };
  for (const lang of ['en', 'fr']) {
    const labDirs = await prepareProfile(`sidecar-${lang}`, {
      'volumesLab.labs.image': TEST_IMAGE,
      'volumesLab.run.networkMode': 'none',
    });
    if (lang === 'fr') await installFrenchStub(labDirs);
    await openWorkbench(labDirs, {}, lang === 'fr' ? ['--locale', 'fr'] : []);
    await activityIcon(session.page).waitFor({ timeout: 60_000 });
    const steps = sidecarSteps(lang);
    const dialog = DIALOG[lang];
    await check(`the sidecar walkthrough opens in ${lang === 'en' ? 'English' : 'French'}`, async (page) => {
      await focusWorkbench(page);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Alt+Shift+L');
      await page.locator('.getting-started-step', { hasText: steps[0][0] }).first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(800);
    });
    for (const [index, [title, buttons, heading]] of steps.entries()) {
      const ok = await check(`[${lang}] ${title}: done by its buttons, checked by the daemon's state`, async (page) => {
        const step = page.locator('.getting-started-step', { hasText: title }).first();
        await step.locator('.step-title').first().click();
        for (const { label, confirms } of buttons) {
          const button = step.locator('.monaco-button, a', { hasText: label }).first();
          await button.waitFor({ state: 'visible', timeout: 10_000 });
          await button.click();
          if (confirms) {
            const confirm = page
              .locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: dialog })
              .first();
            await confirm.waitFor({ timeout: 15_000 });
            await confirm.click();
          }
          await page.waitForTimeout(300);
        }
        await step.locator('.codicon-getting-started-step-checked').first().waitFor({ timeout: 30_000 });
        // For the screenshot only: give the step's Markdown time to render (webview frames come and go, so not a check).
        if (heading) await waitForFrameText(page, heading.split(/[`:']/)[0].trim(), 8_000).catch(() => undefined);
        await page.waitForTimeout(600);
        await shot(`10-sidecar-${lang}-${index + 1}.png`);
      });
      if (!ok) break;
      // Two containers now share the lab's volume, each with one mount: both counts in the language's forms.
      if (Object.keys(CLICKS)[index] === 'startReader')
        await check(`[${lang}] counts use the language's plural forms`, async (page) => {
          const [users, mounts] =
            lang === 'en' ? ['used by 2 containers', ' 1 mount'] : ['utilisé par 2 conteneurs', ' 1 montage'];
          const ours = page.locator('.part.sidebar .composite.title', { hasText: 'Docker Volumes Lab' });
          if (!(await ours.isVisible().catch(() => false))) await activityIcon(page).click();
          await sidebarRow(page, users).waitFor({ timeout: 15_000 });
          await sidebarRow(page, mounts).waitFor({ timeout: 15_000 });
          await page.waitForTimeout(300);
          await shot(`10-sidecar-${lang}-counts.png`);
        });
    }
    await pathChecksShownWhole(lang);
    await closeWorkbench();
    // The lab's own Reset removed its objects; anything left by a failed run goes here.
    for (const c of await docker.listContainers({ all: true, filters: { label: ['volumes-lab.module=sidecarLab'] } }))
      await docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined);
    for (const v of ['shared-logs', 'postgres-prod'])
      await docker
        .getVolume(v)
        .remove({ force: true })
        .catch(() => undefined);
  }

  // The same extension with no daemon behind DOCKER_HOST: the welcome view explains and offers the way out.
  const offline = await prepareProfile('offline');
  const missing = '/nonexistent/volumes-lab/docker.sock';
  await openWorkbench(offline, { DOCKER_HOST: `unix://${missing}` });
  await check('with no daemon, the welcome view gives the cause, Retry and Open Settings', async (page) => {
    await activityIcon(page).waitFor({ timeout: 60_000 });
    await activityIcon(page).click();
    const welcome = page.locator('.part.sidebar .welcome-view-content');
    await welcome.locator('text=Cannot reach the Docker daemon').first().waitFor({ timeout: 20_000 });
    await welcome.locator('text=Is Docker running?').first().waitFor({ timeout: 10_000 });
    // The address in use is in the view's title.
    await page.locator('.part.sidebar', { hasText: missing }).first().waitFor({ timeout: 5_000 });
    await welcome.locator('.monaco-button', { hasText: 'Retry' }).first().waitFor({ timeout: 5_000 });
    await welcome.locator('.monaco-button', { hasText: 'Open Settings' }).first().waitFor({ timeout: 5_000 });
    await page.waitForTimeout(300);
    await shot('07-daemon-unreachable.png');
  });
  await check('Open Settings in the welcome view opens our connection settings', async (page) => {
    await page
      .locator('.part.sidebar .welcome-view-content .monaco-button', { hasText: 'Open Settings' })
      .first()
      .click();
    await page.locator('.settings-editor').first().waitFor({ timeout: 15_000 });
    await page
      .locator('.settings-editor .setting-item', { hasText: 'Docker daemon address' })
      .first()
      .waitFor({ timeout: 15_000 });
    await page
      .locator('.settings-editor .setting-item', { hasText: 'How long to wait' })
      .first()
      .waitFor({ timeout: 5_000 });
    await page.waitForTimeout(300);
    await shot('08-connection-settings.png');
  });
} catch (err) {
  console.error(`e2e harness error: ${err.stack ?? err}`);
  if (failed === 0) failed = 1;
}
await closeWorkbench();
const leftContainers = await docker.listContainers({ all: true, filters: { label: [TEST_LABEL] } }).catch(() => []);
await Promise.all(
  leftContainers.map((c) =>
    docker
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined),
  ),
);
const { Volumes } = await docker.listVolumes({ filters: { label: [TEST_LABEL] } }).catch(() => ({ Volumes: [] }));
await Promise.all(
  (Volumes ?? []).map((v) =>
    docker
      .getVolume(v.Name)
      .remove()
      .catch(() => undefined),
  ),
);
console.log(`e2e: ${passed} passed, ${failed} failed`);
if (!opt.keep && failed === 0) fs.rmSync(scratch, { recursive: true, force: true });
else log(`logs kept in ${scratch}`);
process.exit(failed === 0 ? 0 : 1);
