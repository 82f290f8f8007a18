import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import {
  describeEndpoint,
  endpointShortName,
  parseDockerHost,
  resolveEndpoint,
  type EndpointInputs,
} from '../../src/docker/endpoint';
import { DockerError } from '../../src/docker/errors';

const HOME = '/home/ada';

function inputs(overrides: Partial<EndpointInputs> & { files?: Record<string, string> } = {}): EndpointInputs {
  const files = overrides.files ?? {};
  return {
    env: {},
    platform: 'linux',
    homedir: HOME,
    exists: (f) => f in files,
    readFile: (f) => files[f],
    ...overrides,
  };
}

function contextFiles(
  name: string,
  meta: object,
  configDir = path.join(HOME, '.docker'),
  withTls = false,
): Record<string, string> {
  const id = createHash('sha256').update(name).digest('hex');
  const files: Record<string, string> = {
    [path.join(configDir, 'contexts', 'meta', id, 'meta.json')]: JSON.stringify(meta),
  };
  if (withTls) files[path.join(configDir, 'contexts', 'tls', id, 'docker', 'ca.pem')] = 'ca';
  return files;
}

describe('parseDockerHost', () => {
  it('reads unix sockets', () => {
    assert.deepEqual(parseDockerHost('unix:///var/run/docker.sock'), {
      host: 'unix:///var/run/docker.sock',
      transport: 'unix',
      socketPath: '/var/run/docker.sock',
    });
  });
  it('reads Windows named pipes', () => {
    assert.equal(parseDockerHost('npipe:////./pipe/docker_engine').socketPath, '//./pipe/docker_engine');
  });
  it('reads tcp with and without a port', () => {
    assert.deepEqual(parseDockerHost('tcp://10.0.0.5:2376'), {
      host: 'tcp://10.0.0.5:2376',
      transport: 'tcp',
      hostname: '10.0.0.5',
      port: 2376,
    });
    assert.equal(parseDockerHost('tcp://docker.example').port, 2375);
    assert.equal(parseDockerHost('tcp://[::1]:2375').hostname, '::1');
  });
  it('reads ssh with user and port', () => {
    assert.deepEqual(parseDockerHost('ssh://ada@build-box:2222'), {
      host: 'ssh://ada@build-box:2222',
      transport: 'ssh',
      hostname: 'build-box',
      port: 2222,
      username: 'ada',
    });
    assert.equal(parseDockerHost('ssh://box').port, 22);
  });
  it('rejects addresses it cannot use, as invalid input', () => {
    for (const bad of ['/var/run/docker.sock', 'ftp://x', 'unix://', 'tcp://']) {
      assert.throws(
        () => parseDockerHost(bad),
        (e: unknown) => e instanceof DockerError && e.kind === 'invalid',
        bad,
      );
    }
  });
});

describe('resolveEndpoint', () => {
  it('prefers the setting over everything', () => {
    const e = resolveEndpoint(
      inputs({ setting: 'tcp://setting:2375', env: { DOCKER_HOST: 'unix:///env.sock', DOCKER_CONTEXT: 'remote' } }),
    );
    assert.equal(e.source, 'setting');
    assert.equal(e.hostname, 'setting');
  });

  it('uses DOCKER_HOST next, with TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
    const e = resolveEndpoint(
      inputs({ env: { DOCKER_HOST: 'tcp://box:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' } }),
    );
    assert.equal(e.source, 'env');
    assert.deepEqual(e.tls, { verify: true, certPath: '/certs' });
    const plain = resolveEndpoint(inputs({ env: { DOCKER_HOST: 'tcp://box:2375' } }));
    assert.equal(plain.tls, undefined);
  });

  it('uses the context named by DOCKER_CONTEXT, with its TLS material', () => {
    const files = contextFiles(
      'remote',
      { Name: 'remote', Endpoints: { docker: { Host: 'tcp://remote:2376', SkipTLSVerify: false } } },
      undefined,
      true,
    );
    const e = resolveEndpoint(inputs({ env: { DOCKER_CONTEXT: 'remote' }, files }));
    assert.equal(e.source, 'context');
    assert.equal(e.contextName, 'remote');
    assert.equal(e.hostname, 'remote');
    assert.equal(e.tls?.verify, true);
    assert.match(describeEndpoint(e), /context remote/);
  });

  it('uses currentContext from config.json (in DOCKER_CONFIG when set)', () => {
    const configDir = '/etc/dockercfg';
    const files = {
      ...contextFiles(
        'desktop-linux',
        { Endpoints: { docker: { Host: `unix://${HOME}/.docker/desktop/docker.sock` } } },
        configDir,
      ),
      [path.join(configDir, 'config.json')]: JSON.stringify({ currentContext: 'desktop-linux' }),
    };
    const e = resolveEndpoint(inputs({ env: { DOCKER_CONFIG: configDir }, files }));
    assert.equal(e.socketPath, `${HOME}/.docker/desktop/docker.sock`);
    assert.equal(e.contextName, 'desktop-linux');
  });

  it('treats the "default" context as no context', () => {
    const files = {
      [path.join(HOME, '.docker', 'config.json')]: JSON.stringify({ currentContext: 'default' }),
      '/var/run/docker.sock': '',
    };
    assert.equal(resolveEndpoint(inputs({ files })).source, 'default');
  });

  it('says which context is missing', () => {
    assert.throws(
      () => resolveEndpoint(inputs({ env: { DOCKER_CONTEXT: 'gone' } })),
      /Docker context "gone" does not exist/,
    );
  });

  it('falls back to the platform default sockets in order', () => {
    assert.equal(resolveEndpoint(inputs({ files: { '/var/run/docker.sock': '' } })).socketPath, '/var/run/docker.sock');
    const rootless = resolveEndpoint(
      inputs({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, files: { '/run/user/1000/docker.sock': '' } }),
    );
    assert.equal(rootless.socketPath, '/run/user/1000/docker.sock');
    const desktop = resolveEndpoint(inputs({ files: { [`${HOME}/.docker/desktop/docker.sock`]: '' } }));
    assert.equal(desktop.socketPath, `${HOME}/.docker/desktop/docker.sock`);
    const mac = resolveEndpoint(inputs({ platform: 'darwin', files: { [`${HOME}/.docker/run/docker.sock`]: '' } }));
    assert.equal(mac.socketPath, `${HOME}/.docker/run/docker.sock`);
    const windows = resolveEndpoint(inputs({ platform: 'win32' }));
    assert.equal(windows.transport, 'npipe');
    assert.equal(windows.socketPath, '//./pipe/docker_engine');
    // Nothing found: the standard socket, so the error names the usual place.
    assert.equal(resolveEndpoint(inputs()).socketPath, '/var/run/docker.sock');
  });
});

describe('endpointShortName', () => {
  it("names the context, else the remote machine, and leaves this machine's socket or pipe to the caller", () => {
    const files = contextFiles('remote', { Name: 'remote', Endpoints: { docker: { Host: 'tcp://remote:2376' } } });
    assert.equal(endpointShortName(resolveEndpoint(inputs({ env: { DOCKER_CONTEXT: 'remote' }, files }))), 'remote');
    const sshContext = contextFiles('prod', { Name: 'prod', Endpoints: { docker: { Host: 'ssh://ada@prod-db-01' } } });
    assert.equal(
      endpointShortName(resolveEndpoint(inputs({ env: { DOCKER_CONTEXT: 'prod' }, files: sshContext }))),
      'prod',
      'the context name, which the user chose, rather than the machine behind it',
    );
    assert.equal(endpointShortName({ ...parseDockerHost('ssh://ada@build-box:2222'), source: 'env' }), 'build-box');
    assert.equal(endpointShortName({ ...parseDockerHost('tcp://10.0.0.2:2376'), source: 'setting' }), '10.0.0.2');
    for (const local of [
      'unix:///var/run/docker.sock',
      'unix:///run/docker.sock',
      'unix:///run/user/1000/docker.sock',
      'unix:///home/ada/.docker/desktop/docker.sock',
      'unix:///Users/ada/.docker/run/docker.sock',
      'npipe:////./pipe/docker_engine',
    ])
      assert.equal(endpointShortName({ ...parseDockerHost(local), source: 'env' }), undefined, local);
  });

  it('names a second daemon of this machine (a private lab socket) by its folder, never as the system Docker', () => {
    const named = (address: string) => endpointShortName({ ...parseDockerHost(address), source: 'env' });
    assert.equal(named('unix:///tmp/vl-x/docker.sock'), 'vl-x');
    assert.equal(named('unix:///home/ada/.cache/volumes-lab/dockerd/docker.sock'), 'dockerd');
    assert.equal(named('unix:///tmp/lab.sock'), 'lab.sock', 'a folder that says nothing: the file name');
    assert.equal(named('npipe:////./pipe/lab_engine'), 'lab_engine');
    assert.equal(named('unix:///tmp/volumes-lab-dockerd/docker.sock'), 'volumes-lab-dock…', 'cut to fit a title');
  });
});
