import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  checkTarget,
  classifyRunFailure,
  convertHostPath,
  hostPathWarnings,
  mountWarnings,
  parsePorts,
  parseSize,
  runCliLines,
} from '../../src/core/mounts';

describe('runCliLines', () => {
  it('writes the same run in -v and --mount syntax, quoted for a shell', () => {
    const lines = runCliLines({
      image: 'nginx:alpine',
      name: 'site',
      ports: [{ host: 8080, container: 80 }],
      mounts: [
        { type: 'bind', source: '/home/ada/my site', target: '/usr/share/nginx/html', readOnly: true },
        { type: 'volume', source: 'cache', target: '/var/cache/nginx' },
        { type: 'tmpfs', target: '/tmp', sizeBytes: 64 * 1024 * 1024 },
      ],
    });
    assert.equal(
      lines.short,
      "docker run -d --name site -p 8080:80 -v '/home/ada/my site:/usr/share/nginx/html:ro' -v cache:/var/cache/nginx --tmpfs /tmp:size=64m nginx:alpine",
    );
    assert.equal(
      lines.long,
      "docker run -d --name site -p 8080:80 --mount 'type=bind,src=/home/ada/my site,dst=/usr/share/nginx/html,readonly' --mount type=volume,src=cache,dst=/var/cache/nginx --mount type=tmpfs,dst=/tmp,tmpfs-size=67108864 nginx:alpine",
    );
    // The shell reads back exactly our arguments.
    const argv = execFileSync('sh', ['-c', `printf '%s\\n' ${lines.short.replace(/^docker run /, '')}`], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    assert.ok(argv.includes('/home/ada/my site:/usr/share/nginx/html:ro'));
  });

  it('masks secret-looking environment values and keeps SELinux labels (the long form has none: such a bind stays -v)', () => {
    const lines = runCliLines({
      image: 'postgres:16',
      env: { POSTGRES_PASSWORD: 'hunter2', API_TOKEN: 't', PGDATA: '/data', AWS_SECRET_ACCESS_KEY: 'k' },
      mounts: [{ type: 'bind', source: '/srv/db', target: '/data', selinux: 'Z' }],
    });
    assert.match(
      lines.short,
      /-e 'POSTGRES_PASSWORD=\*\*\*\*' -e 'API_TOKEN=\*\*\*\*' -e PGDATA=\/data -e 'AWS_SECRET_ACCESS_KEY=\*\*\*\*'/,
    );
    assert.ok(!lines.short.includes('hunter2') && !lines.long.includes('hunter2'));
    assert.match(lines.short, /-v \/srv\/db:\/data:Z/);
    assert.match(lines.long, /-v \/srv\/db:\/data:Z /);
    assert.ok(!lines.long.includes('--mount'));
    assert.match(
      runCliLines({ image: 'i', mounts: [{ type: 'bind', source: '/srv/db', target: '/data' }] }).long,
      /--mount type=bind,src=\/srv\/db,dst=\/data /,
    );
  });
});

describe('mount warnings', () => {
  it('flags sensitive host paths, the Docker socket and whole home folders', () => {
    for (const p of [
      '/',
      '/etc',
      '/root',
      '/etc/',
      'C:\\',
      'C:\\Windows\\System32',
      '/home/ada/.ssh',
      '/home/ada/.ssh/id_rsa',
    ]) {
      assert.deepEqual(
        hostPathWarnings(p).map((w) => w.kind),
        ['sensitivePath'],
        p,
      );
    }
    for (const p of ['/var/run/docker.sock', '/run/docker.sock', '//./pipe/docker_engine']) {
      assert.deepEqual(
        hostPathWarnings(p).map((w) => w.kind),
        ['dockerSocket'],
        p,
      );
    }
    for (const p of ['/home/ada', '/Users/ada/', 'C:\\Users\\ada'])
      assert.deepEqual(
        hostPathWarnings(p).map((w) => w.kind),
        ['homeFolder'],
        p,
      );
    assert.deepEqual(
      hostPathWarnings('/srv/custom-home', '/srv/custom-home').map((w) => w.kind),
      ['homeFolder'],
    );
    for (const p of ['/home/ada/project', '/srv/www', 'C:\\work\\app']) assert.deepEqual(hostPathWarnings(p), [], p);
  });

  it('flags missing host paths and anonymous volumes', () => {
    const warnings = mountWarnings(
      [
        { type: 'bind', source: '/gone' },
        { type: 'bind', source: '/here' },
        { type: 'volume', source: '/v', name: 'a'.repeat(64), anonymous: true },
        { type: 'volume', source: '/v', name: 'named', anonymous: false },
        { type: 'tmpfs', source: '' },
      ],
      { exists: (p) => p === '/here' },
    );
    assert.deepEqual(
      warnings.map((w) => [w.kind, w.subject]),
      [
        ['missingHostPath', '/gone'],
        ['anonymousVolume', 'a'.repeat(64)],
      ],
    );
  });
});

describe('targets, ports, sizes', () => {
  it('wants an absolute target that is not /', () => {
    assert.equal(checkTarget('/app'), undefined);
    assert.equal(checkTarget('app'), 'relative');
    assert.equal(checkTarget('/'), 'root');
    assert.equal(checkTarget(' '), 'empty');
  });
  it('reads port mappings and sizes', () => {
    assert.deepEqual(parsePorts('8080:80, 5353:53/udp'), [
      { host: 8080, container: 80 },
      { host: 5353, container: 53, protocol: 'udp' },
    ]);
    assert.equal(parsePorts('80'), '80');
    assert.equal(parsePorts('70000:80'), '70000:80');
    assert.deepEqual(parsePorts(''), []);
    assert.equal(parseSize('100m'), 100 * 1024 * 1024);
    assert.equal(parseSize('1g'), 1024 ** 3);
    assert.equal(parseSize('512'), 512);
    assert.equal(parseSize('lots'), undefined);
  });
});

describe('convertHostPath', () => {
  it('converts Windows and WSL paths for the daemon, with the notes that matter', () => {
    assert.deepEqual(convertHostPath('C:\\work\\app', 'windows'), {
      path: 'C:/work/app',
      notes: ['windowsFilesystemSlow'],
    });
    assert.deepEqual(convertHostPath('c:\\work\\app', 'wsl'), {
      path: '/mnt/c/work/app',
      notes: ['windowsFilesystemSlow'],
    });
    assert.deepEqual(convertHostPath('\\\\wsl$\\Ubuntu\\home\\me\\app', 'windows'), {
      path: '/home/me/app',
      notes: ['wslDistroPath'],
    });
    assert.deepEqual(convertHostPath('\\\\wsl.localhost\\Debian\\srv', 'windows'), {
      path: '/srv',
      notes: ['wslDistroPath'],
    });
    assert.deepEqual(convertHostPath('\\\\nas\\share\\x', 'windows'), {
      path: '\\\\nas\\share\\x',
      notes: ['networkShare'],
    });
    assert.deepEqual(convertHostPath('/mnt/d/data', 'wsl'), { path: '/mnt/d/data', notes: ['windowsFilesystemSlow'] });
    assert.deepEqual(convertHostPath('/home/me/app', 'unix'), { path: '/home/me/app', notes: [] });
    assert.deepEqual(convertHostPath('./app', 'unix'), { path: './app', notes: ['relative'] });
  });
});

describe('classifyRunFailure', () => {
  it('recognises the engine messages a learner meets', () => {
    assert.equal(
      classifyRunFailure(
        'driver failed programming external connectivity on endpoint web (abc): Bind for 0.0.0.0:8080 failed: port is already allocated',
      ),
      'portInUse',
    );
    assert.equal(
      classifyRunFailure('Error starting userland proxy: listen tcp4 0.0.0.0:80: bind: address already in use'),
      'portInUse',
    );
    assert.equal(
      classifyRunFailure(
        'Conflict. The container name "/web" is already in use by container "3f4e". You have to remove (or rename) that container to be able to reuse that name.',
      ),
      'nameTaken',
    );
    assert.equal(
      classifyRunFailure('invalid mount config for type "bind": bind source path does not exist: /srv/site'),
      'bindSourceMissing',
    );
    assert.equal(classifyRunFailure('no such image'), undefined);
  });
});
