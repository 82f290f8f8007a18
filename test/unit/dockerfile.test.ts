import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDockerfile, dockerfileTexts, MAX_DOCKERFILE_BYTES } from '../../src/core/dockerfile';
import { statefulImage } from '../../src/core/statefulImages';
import { english } from '../support/english';

const fixture = path.resolve(__dirname, '../../../test/fixtures/workspace/api/Dockerfile');

describe('core/dockerfile', () => {
  it('reads VOLUME in both forms, relative to WORKDIR, per stage', () => {
    const a = analyzeDockerfile(
      'FROM alpine\nWORKDIR /srv\nVOLUME data /var/log\nVOLUME ["/cache", "/tmp/x"]\nFROM busybox AS two\nVOLUME /only-here\n',
    );
    assert.deepEqual(
      a.volumes.map((v) => [v.path, v.stageImage, v.range.start.line]),
      [
        ['/srv/data', 'alpine', 2],
        ['/var/log', 'alpine', 2],
        ['/cache', 'alpine', 3],
        ['/tmp/x', 'alpine', 3],
        ['/only-here', 'busybox', 5],
      ],
    );
  });

  it('resolves VOLUME paths written with variables from ARG and ENV, and leaves unknown ones as written', () => {
    const a = analyzeDockerfile(
      'FROM postgres:16\nARG BASE=/var/lib\nENV PGDATA=${BASE}/postgresql/data\nVOLUME $PGDATA ${LOGS:-/var/log/pg}\nVOLUME ["${BASE}/x"]\nVOLUME $NOWHERE\n',
    );
    assert.deepEqual(
      a.volumes.map((v) => v.path),
      ['/var/lib/postgresql/data', '/var/log/pg', '/var/lib/x', '/$NOWHERE'],
    );
    assert.equal(a.statefulBases[0]?.declared, true, 'the data path is declared through $PGDATA');
  });

  it('flags a RUN that writes under an earlier VOLUME of the same stage, and names the right volume', () => {
    const a = analyzeDockerfile(fs.readFileSync(fixture, 'utf8'));
    assert.deepEqual(
      a.runsUnderVolumes.map((r) => [r.range.start.line, r.volumePath, r.volumeLine]),
      [[9, '/logs', 7]],
    );
    const b = analyzeDockerfile(
      'FROM alpine\nVOLUME /data\nRUN cat /data/x\nRUN echo hi > /data/file\nWORKDIR /data\nRUN touch here\nFROM alpine\nRUN echo x > /data/y\n',
    );
    assert.deepEqual(
      b.runsUnderVolumes.map((r) => r.range.start.line),
      [3, 5],
      'reading is fine; a new stage forgets the VOLUME',
    );
    assert.deepEqual(
      analyzeDockerfile('FROM alpine\nRUN mkdir /data\nVOLUME /data\n').runsUnderVolumes,
      [],
      'writing before VOLUME is the fix',
    );
    assert.deepEqual(
      analyzeDockerfile('FROM alpine\nVOLUME /data\nRUN mkdir /database\n').runsUnderVolumes,
      [],
      '/database is not under /data',
    );
  });

  it('knows where stateful base images keep their data', () => {
    const a = analyzeDockerfile(fs.readFileSync(fixture, 'utf8'));
    assert.deepEqual(
      a.statefulBases.map((b) => [b.image, b.info.product, b.info.dataPath, b.declared]),
      [['postgres:16-alpine', 'PostgreSQL', '/var/lib/postgresql/data', false]],
    );
    for (const [image, product] of [
      ['docker.io/library/mysql:8', 'MySQL'],
      ['mongo@sha256:abc', 'MongoDB'],
      ['bitnami/redis:7', 'Redis'],
      ['grafana/grafana', 'Grafana'],
      ['redis', 'Redis'],
    ]) {
      assert.equal(statefulImage(image!)?.product, product, image);
    }
    for (const image of ['alpine', 'python:3.12', 'myorg/postgres-exporter', 'nginx'])
      assert.equal(statefulImage(image), undefined, image);
    assert.equal(
      analyzeDockerfile('FROM --platform=linux/amd64 mariadb:11\nVOLUME /var/lib/mysql/\n').statefulBases[0]?.declared,
      true,
    );
  });

  it('finds WORKDIR + COPY . . (the rebuild a bind mount avoids), not copies into /', () => {
    const a = analyzeDockerfile(fs.readFileSync(fixture, 'utf8'));
    assert.deepEqual(
      a.workdirCopies.map((c) => [c.workdir, c.range.start.line]),
      [['/app', 8]],
    );
    assert.deepEqual(
      analyzeDockerfile('FROM node\nWORKDIR /usr/src/app\nCOPY --chown=node:node . /usr/src/app/\n').workdirCopies.map(
        (c) => c.workdir,
      ),
      ['/usr/src/app'],
    );
    assert.deepEqual(analyzeDockerfile('FROM node\nCOPY . .\n').workdirCopies, []);
    assert.deepEqual(analyzeDockerfile('FROM node\nWORKDIR /app\nCOPY src/ .\n').workdirCopies, []);
  });

  it('checks RUN lines against a very long VOLUME path without building a pattern from it', () => {
    // A 44 KB path made `new RegExp` of its escaped form throw "Regular expression too large".
    const long = '/a'.repeat(22_000);
    const analysis = analyzeDockerfile(`FROM x\nVOLUME ${long}\nRUN touch /a/f\n`);
    assert.equal(analysis.volumes[0]?.path, long);
    assert.deepEqual(analysis.runsUnderVolumes, []);
    const lines = analyzeDockerfile(
      'FROM x\nVOLUME /data\nRUN touch /datab\nRUN echo x >/data/f\nRUN cp a "/data"\nRUN ls /data && rm x\n',
    ).runsUnderVolumes.map((r) => r.range.start.line);
    assert.deepEqual(lines, [3, 4], 'the RUNs writing under /data, not one naming /datab or only reading it');
  });

  it('leaves a Dockerfile past 64 KiB unanalysed (it would hold the editor for seconds)', () => {
    assert.ok(MAX_DOCKERFILE_BYTES <= 64 * 1024);
    const text = `FROM x\n${Array.from({ length: 4000 }, (_, i) => `WORKDIR /w${i}\nCOPY . .\n`).join('')}`;
    assert.ok(text.length > 64 * 1024 && text.length < 256 * 1024);
    assert.equal(analyzeDockerfile(text).tooLarge, true);
    assert.equal(
      dockerfileTexts({ t: (m, ...a) => m.replace('{0}', String(a[0])) }).tooLarge(),
      'Not analysed by Docker Volumes: larger than 64 KiB.',
    );
  });

  it('survives empty, broken and odd input', () => {
    for (const text of [
      '',
      '\n\n',
      'VOLUME',
      'FROM',
      'RUN echo > /x',
      'VOLUME [',
      'VOLUME ["/a",',
      'FROM a\nVOLUME ["/a", 3, null]\n',
      '# only a comment',
      'FROM a\\\n  AS b\nVOLUME /x \\\n  /y\n',
      '\uFEFFFROM a\r\nVOLUME /data\r\n',
    ]) {
      assert.doesNotThrow(() => analyzeDockerfile(text), JSON.stringify(text));
    }
    assert.deepEqual(
      analyzeDockerfile('\uFEFFFROM a\r\nVOLUME /data\r\n').volumes.map((v) => v.path),
      ['/data'],
    );
  });

  it('words the lens and diagnostic texts', () => {
    const texts = dockerfileTexts(english);
    assert.equal(
      texts.statefulBase('PostgreSQL', '/var/lib/postgresql/data'),
      'PostgreSQL keeps its data in /var/lib/postgresql/data: persist it with a named volume',
    );
    assert.match(texts.runUnderVolume('/logs', 7), /declared a VOLUME on line 8/);
  });
});
