// ssh:// endpoints through the bundled daemon layer: the bundle leaves out ssh2's native crypto module,
// so this proves its JavaScript fallback carries real Engine API calls. A private sshd on 127.0.0.1 runs
// `docker system dial-stdio` against the test daemon, as the Docker CLI's ssh transport does.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as ClientModule from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';

const SSHD = '/usr/sbin/sshd';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > end) throw new Error(`sshd did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ssh:// endpoint through the bundled client', function () {
  this.timeout(60_000);
  let dir = '';
  let sshd: ChildProcess | undefined;
  let port = 0;

  before(async function () {
    const dockerHost = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    if (!fs.existsSync(SSHD) || process.getuid?.() !== 0 || !dockerHost.startsWith('unix://')) {
      // A private sshd needs root and Debian's openssh-server (CI installs it).
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-ssh-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'client_key')]);
    fs.copyFileSync(path.join(dir, 'client_key.pub'), path.join(dir, 'authorized_keys'));
    fs.mkdirSync('/run/sshd', { recursive: true });
    port = await freePort();
    fs.writeFileSync(
      path.join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${path.join(dir, 'host_key')}`,
        `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        `SetEnv DOCKER_HOST=${dockerHost}`,
      ].join('\n'),
    );
    sshd = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: 'ignore' });
    await waitForPort(port, 10_000);
  });

  after(() => {
    sshd?.kill();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists volumes and negotiates the API over ssh with ssh2's JavaScript crypto", async () => {
    // The bundle, not the compiled sources: it is what the extension ships.
    const bundle = (await import(path.resolve(__dirname, '../../bundle/dockerodeClient.js'))) as typeof ClientModule;
    const client = new bundle.DockerodeClient({
      endpoint: { ...parseDockerHost(`ssh://root@127.0.0.1:${port}`), source: 'setting' },
      sshKeyFiles: [path.join(dir, 'client_key')],
      knownHostsFiles: [path.join(dir, 'known_hosts')],
      timeoutMs: 20_000,
    });
    // Not in known_hosts yet: refused, as ssh would refuse it (another host could pose as this one), and the
    // error names the cause and the fingerprint ssh would show, not a bare handshake failure.
    const fingerprint = execFileSync('ssh-keygen', ['-lf', path.join(dir, 'host_key.pub')], { encoding: 'utf8' }).split(
      ' ',
    )[1];
    const refusedAs = (verdict: string) => (err: unknown) => {
      assert.deepEqual((err as { reason?: unknown }).reason, {
        id: 'sshHostKey',
        verdict,
        host: `[127.0.0.1]:${port}`,
        fingerprint,
      });
      assert.equal((err as { kind?: string }).kind, 'unreachable');
      return true;
    };
    fs.writeFileSync(path.join(dir, 'known_hosts'), '');
    await assert.rejects(client.version(), refusedAs('unknown'));
    // Another key on file for this host: the host key changed, or someone poses as the host.
    const [otherType, otherKey] = fs.readFileSync(path.join(dir, 'client_key.pub'), 'utf8').split(' ');
    fs.writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${otherType} ${otherKey}\n`);
    await assert.rejects(client.version(), refusedAs('changed'));
    const [type, key] = fs.readFileSync(path.join(dir, 'host_key.pub'), 'utf8').split(' ');
    fs.writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${type} ${key}\n`);
    const info = await client.version();
    assert.match(info.apiVersion, /^1\.\d+$/);
    const name = `vlab-ssh-${Date.now().toString(36)}`;
    await client.createVolume({ name, labels: { 'volumes-lab.test': '1' } });
    try {
      assert.ok(
        (await client.listVolumes()).some((v) => v.name === name),
        'volume created over ssh is listed',
      );
    } finally {
      await client.removeVolume(name);
    }
  });
});
