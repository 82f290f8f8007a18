// `npm start` (scripts/start.sh) where VS Code desktop is installed: the `code` it calls is a stand-in first on PATH
// that records how it was called, since no VS Code desktop can run here. The script really runs: it writes the lab
// workspace and the profile, and asks the test daemon whether it answers (so it starts no daemon of its own).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { testDocker } from '../support/docker';

const root = path.resolve(__dirname, '../../..');

describe('npm start with VS Code desktop', function () {
  this.timeout(120_000);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-start-desktop-'));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('opens the lab workspace with the extension, in a profile of its own that trusts it and opens the course', async () => {
    await testDocker().ping(); // the script must find a daemon that answers, or it would start one of its own
    const bin = path.join(scratch, 'bin');
    const home = path.join(scratch, 'home');
    const calls = path.join(scratch, 'code-calls');
    fs.mkdirSync(bin);
    fs.mkdirSync(home);
    // One argument per line, then the environment it was given.
    fs.writeFileSync(
      path.join(bin, 'code'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${calls}.args"\nenv > "${calls}.env"\n`,
      { mode: 0o755 },
    );
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, PATH: `${bin}:${process.env.PATH ?? ''}` };
    // The defaults are what is checked (workspace and profile under the home folder); `VOLUMES_LAB_DAEMON=private` of
    // a test run would make the script start a daemon.
    for (const name of ['VOLUMES_LAB_WORKSPACE', 'VOLUMES_LAB_PROFILE', 'VOLUMES_LAB_DAEMON', 'XDG_DATA_HOME'])
      delete env[name];
    // The tree this test runs from is the one the script uses: a rebuild (or npm ci) would rewrite it under the runner.
    env.VOLUMES_LAB_SKIP_BUILD = '1';
    const { stdout } = await promisify(execFile)('bash', [path.join(root, 'scripts/start.sh')], { env });

    const workspace = path.join(home, 'docker-volumes-lab');
    assert.match(stdout, new RegExp(`lab workspace: ${workspace}`));
    assert.doesNotMatch(stdout, /starting a private Docker daemon/);
    const args = fs.readFileSync(`${calls}.args`, 'utf8').split('\n').slice(0, -1);
    assert.equal(args.at(-1), workspace, `the lab workspace is the folder opened: ${args.join(' ')}`);
    assert.ok(args.includes(`--extensionDevelopmentPath=${root}`), args.join(' '));
    const userData = args[args.indexOf('--user-data-dir') + 1]!;
    assert.ok(args.includes('--user-data-dir'), `a profile of its own: ${args.join(' ')}`);
    // Electron will not start as root without it (and `code` would still exit 0, with no window).
    const asRoot = process.getuid?.() === 0;
    assert.equal(args.includes('--no-sandbox'), asRoot, `--no-sandbox exactly when run as root: ${args.join(' ')}`);
    assert.equal(userData, path.join(home, '.local/share/docker-volumes-lab/desktop/user-data'));
    const settings = JSON.parse(fs.readFileSync(path.join(userData, 'User/settings.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(settings['security.workspace.trust.enabled'], false, 'the lab workspace opens trusted');
    assert.equal(settings['volumesLab.course.openOnStartup'], true, 'the first course module opens');
    for (const lab of fs.readdirSync(path.join(root, 'labs')))
      assert.ok(fs.existsSync(path.join(workspace, lab)), `${lab} written into the workspace`);
    // The extension host inherits this environment: it reaches the daemon the script found.
    const codeEnv = fs.readFileSync(`${calls}.env`, 'utf8');
    // Without DOCKER_HOST, the script found the default socket and sets none: the host resolves that same default.
    const passed = /^DOCKER_HOST=(.*)$/m.exec(codeEnv)?.[1];
    assert.equal(passed, process.env.DOCKER_HOST, 'the extension host gets the DOCKER_HOST the script checked');

    // A second start keeps the learner's own settings in that profile and the files they changed.
    fs.writeFileSync(
      path.join(userData, 'User/settings.json'),
      JSON.stringify({ ...settings, 'editor.fontSize': 18, 'security.workspace.trust.enabled': true }),
    );
    fs.writeFileSync(path.join(workspace, 'flask', 'app.py'), 'mine');
    await promisify(execFile)('bash', [path.join(root, 'scripts/start.sh')], { env });
    const again = JSON.parse(fs.readFileSync(path.join(userData, 'User/settings.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(again['editor.fontSize'], 18, 'a setting of the learner is kept');
    assert.equal(again['security.workspace.trust.enabled'], false, 'trust is off again');
    assert.equal(fs.readFileSync(path.join(workspace, 'flask', 'app.py'), 'utf8'), 'mine');
  });

  it('without VS Code desktop, a taken port is said before anything starts, naming VOLUMES_LAB_PORT', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const home = fs.mkdtempSync(path.join(scratch, 'home-'));
    // No `code` on this PATH: the code-server branch is the one that needs the port.
    const pathWithoutCode = (process.env.PATH ?? '')
      .split(':')
      .filter((dir) => !fs.existsSync(path.join(dir, 'code')))
      .join(':');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      PATH: pathWithoutCode,
      VOLUMES_LAB_PORT: String(port),
      VOLUMES_LAB_SKIP_BUILD: '1',
    };
    delete env.VOLUMES_LAB_WORKSPACE;
    try {
      const failed = await promisify(execFile)('bash', [path.join(root, 'scripts/start.sh')], { env }).then(
        () => undefined,
        (err: { code: number; stderr: string }) => err,
      );
      assert.ok(failed, 'start.sh went on with its port taken');
      assert.equal(failed.code, 2);
      assert.match(failed.stderr, new RegExp(`port ${port} .*taken.*VOLUMES_LAB_PORT`));
      assert.ok(!fs.existsSync(path.join(home, 'docker-volumes-lab')), 'nothing was written before the refusal');
    } finally {
      taken.close();
    }
  });
});
