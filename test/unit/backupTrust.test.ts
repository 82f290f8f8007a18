import * as assert from 'node:assert/strict';
import { dumpReplayConcerns, dumpSourceOf, manifestVolumeDecision, parseManifest } from '../../src/core/backupTrust';
import { WrittenDumps } from '../../src/services/writtenDumps';

const manifest = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    format: 'docker-volumes-lab/backup@1',
    volume: 'pg_data',
    driver: 'local',
    options: {},
    labels: {},
    bytes: 1,
    files: 1,
    archiveBytes: 1,
    sha256: 'ab',
    engineVersion: '20.10',
    createdAt: '2026-11-30T00:00:00Z',
    ...over,
  });

describe('what a backup manifest may decide', () => {
  it('refuses a manifest that binds a host path, a device or a share, whatever the spelling', () => {
    const planted: Record<string, string>[] = [
      { type: 'none', o: 'bind', device: '/root/.ssh' },
      { o: 'bind', device: '/root' },
      { Type: 'None' },
      { o: 'ro,rbind' },
      { type: 'nfs', o: 'addr=10.0.0.1,rw', device: ':/export' },
      { type: 'cifs', o: 'addr=evil,username=u,password=p', device: '//evil/share' },
      { DEVICE: '/dev/sda1' },
    ];
    for (const options of planted) {
      assert.equal(manifestVolumeDecision({ driver: 'local', options }).kind, 'refuse', JSON.stringify(options));
    }
  });

  it('asks before any other driver or option, and creates a plain local volume silently', () => {
    assert.deepEqual(manifestVolumeDecision({ driver: 'local', options: {} }), { kind: 'plain', labels: {} });
    assert.deepEqual(manifestVolumeDecision({ driver: '', options: {} }), { kind: 'plain', labels: {} });
    assert.deepEqual(manifestVolumeDecision({ driver: 'local', options: { size: '10G' } }), {
      kind: 'ask',
      driver: 'local',
      options: { size: '10G' },
      labels: {},
      ownLabels: {},
    });
    assert.deepEqual(manifestVolumeDecision({ driver: 'rexray', options: {} }), {
      kind: 'ask',
      driver: 'rexray',
      options: {},
      labels: {},
      ownLabels: {},
    });
  });

  it("applies the extension's own labels silently and asks before any other label", () => {
    const own = { 'volumes-lab.managed': '1', 'volumes-lab.module': 'lab1' };
    assert.deepEqual(manifestVolumeDecision({ driver: 'local', options: {}, labels: own }), {
      kind: 'plain',
      labels: own,
    });
    const foreign = { team: 'data', 'com.docker.compose.project': 'shop', 'volumes-labx.y': '1' };
    assert.deepEqual(manifestVolumeDecision({ driver: 'local', options: {}, labels: { ...own, ...foreign } }), {
      kind: 'ask',
      driver: 'local',
      options: {},
      labels: foreign,
      ownLabels: own,
    });
  });

  it('reads a manifest only when it describes the volume named by the archive file', () => {
    assert.equal(parseManifest(manifest(), 'pg_data')?.volume, 'pg_data');
    assert.equal(
      parseManifest(manifest({ volume: 'prod_db' }), 'pg_data'),
      undefined,
      'a planted file cannot pass for a backup of prod_db',
    );
    assert.equal(parseManifest(manifest({ format: 'other' }), 'pg_data'), undefined);
    assert.equal(parseManifest(manifest({ options: { o: 7 } }), 'pg_data'), undefined, 'options are strings');
    assert.equal(parseManifest(manifest({ labels: ['x'] }), 'pg_data'), undefined);
    assert.equal(parseManifest('{', 'pg_data'), undefined);
    assert.equal(parseManifest('null', 'pg_data'), undefined);
  });
});

describe('the source of a dump this extension wrote', () => {
  const own = { name: 'shop-db', image: 'postgres:16', imageId: 'sha256:aaa', labels: {} };
  it('is recorded with its image id and the compose files that created its container', () => {
    assert.deepEqual(
      dumpSourceOf({
        ...own,
        labels: { 'com.docker.compose.project.config_files': '/repo/compose.yaml,/repo/compose.override.yaml' },
      }),
      {
        container: 'shop-db',
        image: 'postgres:16',
        imageId: 'sha256:aaa',
        composeFiles: ['/repo/compose.yaml', '/repo/compose.override.yaml'],
      },
    );
  });

  it('lets a replay skip its question only into the same image, from a container no compose file chose', () => {
    assert.deepEqual(dumpReplayConcerns(dumpSourceOf(own), { image: 'postgres:16', imageId: 'sha256:aaa' }), []);
    assert.deepEqual(dumpReplayConcerns(dumpSourceOf(own), { image: 'mypg', imageId: 'sha256:bbb' }), [
      { kind: 'otherImage', sourceImage: 'postgres:16', targetImage: 'mypg' },
    ]);
    const composed = dumpSourceOf({
      ...own,
      labels: { 'com.docker.compose.project.config_files': '/repo/compose.yaml' },
    });
    assert.deepEqual(dumpReplayConcerns(composed, { image: 'postgres:16', imageId: 'sha256:aaa' }), [
      { kind: 'composeImage', files: ['/repo/compose.yaml'] },
    ]);
    assert.deepEqual(dumpReplayConcerns(undefined, { image: 'postgres:16', imageId: 'sha256:aaa' }), [
      { kind: 'sourceUnknown' },
    ]);
    assert.deepEqual(
      dumpReplayConcerns({ ...dumpSourceOf(own), imageId: '' }, { image: 'postgres:16' }),
      [{ kind: 'sourceUnknown' }],
      'a source without an image id proves nothing',
    );
  });
});

describe('the record of the dumps written here', () => {
  function memento(initial?: unknown) {
    const store = new Map<string, unknown>(initial === undefined ? [] : [['volumesLab.writtenDumps', initial]]);
    return {
      get: <T>(key: string) => store.get(key) as T,
      update: (key: string, value: unknown) => (store.set(key, value), Promise.resolve()),
      keys: () => [...store.keys()],
    };
  }
  it('keeps the source with the checksum, and still knows the bare checksums of older records', () => {
    const written = new WrittenDumps(memento(['old-sha', 42]));
    assert.equal(written.knows('old-sha'), true);
    assert.equal(written.sourceOf('old-sha'), undefined);
    const source = dumpSourceOf({ name: 'db', image: 'postgres:16', imageId: 'sha256:aaa' });
    written.remember('new-sha', source);
    assert.deepEqual(written.sourceOf('new-sha'), source);
    assert.equal(written.knows('old-sha'), true);
  });
});
