import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { analyzeCompose } from '../../src/core/compose';
import { declareVolumeEdit, freshVolumeKey, mountNamedVolumeEdits, type TextEdit } from '../../src/core/composeEdits';
import { analyzeDockerfile } from '../../src/core/dockerfile';
import type { Translator } from '../../src/core/errorText';
import {
  composeProblems,
  entryAsMountFlag,
  entryHint,
  formatBinarySize,
  type ProblemContext,
} from '../../src/core/hints';
import { STATEFUL_IMAGES, statefulImage, withFreshSecrets } from '../../src/core/statefulImages';

const english: Translator = { t: (m, ...a) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])) };
const everythingExists: ProblemContext = { resolveHostPath: (s) => `/home/learner/app/${s}`, exists: () => true };
const analyze = (lines: string[]) => analyzeCompose(lines.join('\n'), { folderName: 'shop' });
const codesAt = (text: string, problems: { code: string; range: [number, number] }[]) =>
  problems.map((p) => `${p.code}@${text.slice(0, p.range[0]).split('\n').length}`).sort();

/** Applies edits the way a workspace edit does: all offsets refer to the original text. */
function apply(text: string, edits: TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.range[0] - a.range[0])
    .reduce((t, e) => t.slice(0, e.range[0]) + e.newText + t.slice(e.range[1]), text);
}

describe('compose: stateful services without a volume', () => {
  it('uses one table for Dockerfile FROM hints and compose services', () => {
    for (const image of STATEFUL_IMAGES.filter((i) => !i.otherTags?.test('latest'))) {
      const [base] = analyzeDockerfile(`FROM ${image.name}:latest\n`).statefulBases;
      assert.equal(base?.info, image, `a Dockerfile FROM ${image.name} finds the same table row`);
    }
    for (const name of [
      'postgres',
      'mysql',
      'mariadb',
      'mongo',
      'redis',
      'elasticsearch',
      'rabbitmq',
      'wordpress',
      'nextcloud',
      'gitea/gitea',
    ]) {
      assert.ok(statefulImage(`${name}:latest`), name);
    }
    assert.equal(statefulImage('influxdb:3-core'), undefined, 'InfluxDB 3 writes where --data-dir says');
    assert.equal(statefulImage('influxdb:2.7')?.dataPath, '/var/lib/influxdb2');
  });

  it('warns on the image: line of a stateful service that mounts nothing at its data path, and only there', () => {
    const lines = [
      'services:',
      '  db:',
      '    image: postgres:16',
      '  cache:',
      '    image: redis:7',
      '    volumes:',
      '      - cache:/data',
      '  search:',
      '    image: elasticsearch:${ES_VERSION}',
      '    volumes:',
      '      - ./es:/usr/share/elasticsearch',
      '  scratch:',
      '    image: mongo',
      '    volumes:',
      '      - /data/db',
      'volumes:',
      '  cache:',
    ];
    const text = lines.join('\n');
    const problems = composeProblems(analyze(lines), everythingExists, english);
    assert.deepEqual(codesAt(text, problems), ['anonymousVolume@15', 'statefulWithoutVolume@3']);
    const message = problems.find((p) => p.code === 'statefulWithoutVolume')!.message;
    assert.match(message, /PostgreSQL keeps its data in \/var\/lib\/postgresql\/data/);
    // docker compose up keeps anonymous volumes across a recreate (unless -V): the data is lost after down, not on a
    // recreate.
    assert.match(message, /docker compose down/);
    assert.doesNotMatch(message, /recreate/);
  });

  it('warns for an image the daemon says declares a VOLUME, not for one it does not know', () => {
    const lines = ['services:', '  app:', '    image: acme/ledger:1', '  other:', '    image: acme/unknown'];
    const declared: Record<string, string[]> = { 'acme/ledger:1': ['/srv/ledger'] };
    const problems = composeProblems(
      analyze(lines),
      { ...everythingExists, imageVolumes: (image) => declared[image] },
      english,
    );
    assert.deepEqual(codesAt(lines.join('\n'), problems), ['statefulWithoutVolume@3']);
    assert.match(problems[0]!.message, /\/srv\/ledger/);
  });

  it('quick fix: mounts a named volume at the data path and declares it, and the warning goes away', () => {
    const cases: string[][] = [
      [
        'services:',
        '  db:',
        '    image: postgres:16',
        '    environment:',
        '      POSTGRES_PASSWORD: x',
        '',
        '  web:',
        '    image: nginx',
        '',
      ],
      [
        'services:',
        '  db:',
        '    image: mysql',
        '    volumes:',
        '      - ./init:/docker-entrypoint-initdb.d',
        'volumes:',
        '  other:',
        '',
        'networks: {}',
        '',
      ],
      ['services:', '  db:', '    image: mariadb', 'volumes: {}', ''],
      ['services:', '  db:', '    image: redis:7', '    tmpfs:', '      - /run', ''],
      // Declarations indented by four, and a comment after `volumes:`: the new key joins them, never nests them.
      [
        'services:',
        '    db:',
        '        image: postgres',
        '        volumes:',
        '            - other:/backup',
        'volumes:',
        '    other:',
        '        driver: local',
        '',
      ],
      [
        'services:',
        '  db:',
        '    image: mongo',
        '    volumes:',
        '      - other:/backup',
        'volumes: # kept by Docker',
        '  # the course volume',
        '  other:',
        '',
      ],
    ];
    for (const lines of cases) {
      const text = lines.join('\n');
      const before = analyze(lines);
      const service = before.services.find((s) => s.name === 'db')!;
      const dataPath = statefulImage(service.image!)!.dataPath;
      const key = freshVolumeKey(before, 'db');
      const edits = mountNamedVolumeEdits(text, before, 'db', dataPath, key);
      assert.ok(edits, text);
      const fixed = apply(text, edits);
      const after = analyzeCompose(fixed, { folderName: 'shop' });
      assert.deepEqual(after.errors, [], fixed);
      assert.ok(
        after.entries.some(
          (e) => e.service === 'db' && e.kind === 'named' && e.source === key && e.target === dataPath,
        ),
        fixed,
      );
      assert.deepEqual(
        after.topLevel.map((v) => v.key).sort(),
        [...before.topLevel.map((v) => v.key), key].sort(),
        fixed,
      );
      assert.deepEqual(
        composeProblems(after, everythingExists, english).filter(
          (p) => p.code === 'statefulWithoutVolume' || p.code === 'undeclaredVolume',
        ),
        [],
        fixed,
      );
    }
  });

  it('quick fix: refuses a flow list or a list taken from a merge key (writing one would drop entries)', () => {
    const flow = ['services:', '  db:', '    image: postgres', '    volumes: [./x:/x]'];
    assert.equal(
      mountNamedVolumeEdits(flow.join('\n'), analyze(flow), 'db', '/var/lib/postgresql/data', 'db-data'),
      undefined,
    );
    const merged = [
      'x-base: &base',
      '  volumes:',
      '    - ./x:/x',
      'services:',
      '  db:',
      '    <<: *base',
      '    image: postgres',
    ];
    assert.equal(
      mountNamedVolumeEdits(merged.join('\n'), analyze(merged), 'db', '/var/lib/postgresql/data', 'db-data'),
      undefined,
    );
  });

  it('declares an external volume (completion of a daemon volume) beside the others, whatever the layout', () => {
    const layouts = [
      ['services:', '  web:', '    image: nginx', 'volumes: {}', ''],
      ['services:', '  web:', '    image: nginx', 'volumes: # kept', '    other:', '        driver: local', ''],
      ['services:', '  web:', '    image: nginx', 'volumes:', '  other:', ''],
      ['services:', '  web:', '    image: nginx'],
    ];
    for (const lines of layouts) {
      const text = lines.join('\n');
      const before = analyze(lines);
      const fixed = apply(text, [declareVolumeEdit(text, 'shared-cache', ['external: true'])]);
      const after = analyzeCompose(fixed, { folderName: 'shop' });
      assert.deepEqual(after.errors, [], fixed);
      assert.deepEqual(
        after.topLevel.map((v) => [v.key, v.external]).sort(),
        [...before.topLevel.map((v) => [v.key, v.external]), ['shared-cache', true]].sort(),
        fixed,
      );
      assert.equal(after.topLevel.find((v) => v.key === 'shared-cache')!.daemonName, 'shared-cache', fixed);
    }
  });

  it('picks a volume key the file does not declare yet', () => {
    assert.equal(freshVolumeKey(analyze(['volumes:', '  db-data:', '  db-data-2:']), 'db'), 'db-data-3');
    // Naming an anonymous volume after its target: a key already declared is not declared twice.
    assert.equal(freshVolumeKey(analyze(['volumes:', '  web-cache:']), 'web', 'cache'), 'web-cache-2');
    assert.equal(freshVolumeKey(analyze(['volumes:', '  other:']), 'web', 'my cache'), 'web-my-cache');
  });
});

describe('compose: what each line means', () => {
  it('names an entry as the daemon will: name:, external, external.name', () => {
    const a = analyze([
      'services:',
      '  app:',
      '    volumes:',
      '      - va:/a',
      '      - vb:/b',
      '      - vc:/c',
      '      - vd:/d',
      'volumes:',
      '  va:',
      '    name: shared-a',
      '  vb:',
      '    external: true',
      '  vc:',
      '    external:',
      '      name: legacy-c',
      '  vd:',
    ]);
    assert.deepEqual(
      a.entries.map((e) => entryAsMountFlag(e, a.projectName)),
      [
        '--mount type=volume,src=shared-a,dst=/a',
        '--mount type=volume,src=vb,dst=/b',
        '--mount type=volume,src=legacy-c,dst=/c',
        '--mount type=volume,src=shop_vd,dst=/d',
      ],
    );
    assert.match(entryHint(a.entries[0]!, a.projectName, english), /as shared-a$/);
  });

  it('says what subpath and nocopy do, in the hint and in the --mount line', () => {
    const a = analyze([
      'services:',
      '  app:',
      '    volumes:',
      '      - type: volume',
      '        source: data',
      '        target: /srv',
      '        volume:',
      '          subpath: site',
      '          nocopy: true',
      'volumes:',
      '  data:',
    ]);
    const e = a.entries[0]!;
    assert.equal(
      entryHint(e, a.projectName, english),
      "volume data → /srv: data kept by Docker as shop_data; only its subfolder site is mounted; nocopy: the image's files at /srv are not copied into it",
    );
    assert.equal(
      entryAsMountFlag(e, a.projectName),
      '--mount type=volume,src=shop_data,dst=/srv,volume-subpath=site,volume-nocopy',
    );
  });

  it('words a bind by what it binds: the Docker socket, a device, one file, a source folder', () => {
    const a = analyze([
      'services:',
      '  app:',
      '    volumes:',
      '      - /var/run/docker.sock:/var/run/docker.sock',
      '      - /dev/snd:/dev/snd',
      '      - ./nginx.conf:/etc/nginx/nginx.conf:ro',
      '      - ./src:/app/src',
      '      - ./Makefile:/app/Makefile',
    ]);
    const hints = a.entries.map((e) => entryHint(e, a.projectName, english));
    assert.match(hints[0]!, /the Docker socket/);
    assert.match(hints[1]!, /a host device/);
    assert.match(hints[2]!, /one host file/);
    assert.match(hints[3]!, /host folder, live in the container \(code reload\)/);
    assert.match(hints[4]!, /host folder/, 'no extension: the name alone says folder');
    assert.match(entryHint(a.entries[4]!, a.projectName, english, true), /one host file/, 'the caller looked: a file');
    assert.ok(!hints[0]!.includes('code reload'));
  });

  it('shows tmpfs sizes in the binary units they are written in', () => {
    assert.equal(formatBinarySize(64 * 1024 ** 2), '64 MiB');
    assert.equal(formatBinarySize(1024 ** 3), '1 GiB');
    assert.equal(formatBinarySize(1536), '1.5 KiB');
    const a = analyze([
      'services:',
      '  app:',
      '    tmpfs:',
      '      - /run:size=64m',
      '    volumes:',
      '      - type: tmpfs',
      '        target: /cache',
      '        tmpfs:',
      '          size: 100000000',
    ]);
    assert.deepEqual(
      a.entries.map((e) => entryHint(e, a.projectName, english).split(' at ')[0]),
      ['tmpfs 95.4 MiB', 'tmpfs 64 MiB'],
    );
  });

  it('treats ${VAR}/x as a host path: a volume name has no slash', () => {
    const a = analyze([
      'services:',
      '  app:',
      '    volumes:',
      '      - ${CONFIG}/web:/config',
      '      - ${NAME}:/data',
    ]);
    assert.deepEqual(
      a.entries.map((e) => e.kind),
      ['bind', 'named'],
    );
  });
});

describe('compose: lists shared through anchors and merge keys', () => {
  const lines = [
    'x-app: &app',
    '  image: node:20',
    '  volumes:',
    '    - cache:/cache',
    '    - /tmp/scratch',
    '    - /var/run/docker.sock:/var/run/docker.sock',
    'services:',
    '  api:',
    '    <<: *app',
    '  worker:',
    '    <<: *app',
    '  lone:',
    '    image: node:20',
    '    volumes: *vols',
  ];

  it('names every service that uses a shared line, and says each problem once', () => {
    const text = lines.slice(0, 11).join('\n');
    const a = analyzeCompose(text, { folderName: 'shop' });
    const cache = a.entries.filter((e) => e.target === '/cache');
    assert.deepEqual(
      cache.map((e) => e.service),
      ['api', 'worker'],
    );
    assert.deepEqual(cache[0]!.services, ['api', 'worker']);
    assert.match(entryHint(cache[0]!, a.projectName, english), /shared by api, worker$/);
    const problems = composeProblems(a, everythingExists, english);
    assert.deepEqual(codesAt(text, problems), ['anonymousVolume@5', 'dockerSocketBind@6', 'undeclaredVolume@4']);
  });
});

describe('compose: host paths the machine cannot have', () => {
  const lines = [
    'services:',
    '  app:',
    '    volumes:',
    '      - C:\\data:/data',
    '      - \\\\server\\share:/share',
    '      - D:/logs:/logs',
    '      - type: npipe',
    '        source: \\\\.\\pipe\\docker_engine',
    '        target: \\\\.\\pipe\\docker_engine',
  ];
  const text = lines.join('\n');

  it('explains a Windows path on a Linux or macOS machine instead of calling it missing', () => {
    const problems = composeProblems(
      analyze(lines),
      { ...everythingExists, exists: () => false, hostIsWindows: false },
      english,
    );
    assert.deepEqual(codesAt(text, problems), [
      'dockerSocketBind@7',
      'windowsHostPath@4',
      'windowsHostPath@5',
      'windowsHostPath@6',
    ]);
    assert.match(problems.find((p) => p.code === 'windowsHostPath')!.message, /Docker Desktop on Windows/);
  });

  it('checks it for real on Windows, except a network share, which is said not checked', () => {
    const problems = composeProblems(
      analyze(lines),
      { ...everythingExists, exists: (p) => !p.includes('logs'), hostIsWindows: true },
      english,
    );
    assert.deepEqual(codesAt(text, problems), ['dockerSocketBind@7', 'missingBindSource@6', 'networkBindSource@5']);
  });
});

describe("fresh secrets for a user's own database container", () => {
  it("replaces the labs' example passwords, keeps the rest, and never repeats", () => {
    const env = { POSTGRES_PASSWORD: 'example', MYSQL_ROOT_PASSWORD: 'example', 'discovery.type': 'single-node' };
    const first = withFreshSecrets(env, randomBytes);
    const second = withFreshSecrets(env, randomBytes);
    assert.equal(first['discovery.type'], 'single-node');
    for (const key of ['POSTGRES_PASSWORD', 'MYSQL_ROOT_PASSWORD']) {
      assert.notEqual(first[key], 'example');
      assert.match(first[key] ?? '', /^[A-Za-z0-9_-]{24}$/);
      assert.notEqual(first[key], second[key]);
    }
  });
});
