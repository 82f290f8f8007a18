import * as assert from 'node:assert/strict';
import { buildRows, filterRows, formatBytes, groupRows, reclaimableBytes, sortRows } from '../../src/core/volumeModel';
import type { ContainerSummary, VolumeSummary } from '../../src/core/engineTypes';

const anon = 'f'.repeat(64);
function volume(name: string, extra: Partial<VolumeSummary> = {}): VolumeSummary {
  return {
    name,
    driver: 'local',
    scope: 'local',
    mountpoint: `/v/${name}`,
    labels: {},
    options: {},
    anonymous: name === anon,
    ...extra,
  };
}
function container(
  name: string,
  state: string,
  mounts: { name: string; destination: string; readOnly?: boolean }[],
): ContainerSummary {
  return {
    id: `${name}-id`,
    name,
    image: 'postgres:16',
    state,
    status: state,
    labels: {},
    created: 0,
    mounts: mounts.map((m) => ({
      type: 'volume' as const,
      name: m.name,
      source: '',
      destination: m.destination,
      readOnly: m.readOnly ?? false,
      mode: '',
      propagation: '',
    })),
  };
}

const volumes = [
  volume('pgdata', {
    createdAt: '2026-01-02T00:00:00Z',
    labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.volume': 'pgdata' },
  }),
  volume('cache', { createdAt: '2026-03-01T00:00:00Z' }),
  volume('logs', { driver: 'nfs-plugin', createdAt: '2026-02-01T00:00:00Z' }),
  volume(anon),
];
const containers = [
  container('db', 'running', [{ name: 'pgdata', destination: '/var/lib/postgresql/data' }]),
  container('reader', 'exited', [{ name: 'logs', destination: '/logs', readOnly: true }]),
  container('web', 'running', [{ name: 'logs', destination: '/var/log/app' }]),
];
const sizes = { pgdata: { size: 5_000_000 }, cache: { size: 2_000 }, logs: { size: -1 }, [anon]: { size: 700 } };

describe('volume model', () => {
  const rows = buildRows(volumes, containers, sizes);

  it('joins each volume with the containers that mount it, and picks out Compose labels', () => {
    const logs = rows.find((r) => r.volume.name === 'logs')!;
    assert.deepEqual(
      logs.users.map((u) => [u.containerName, u.destination, u.readOnly, u.running]),
      [
        ['reader', '/logs', true, false],
        ['web', '/var/log/app', false, true],
      ],
    );
    const pg = rows.find((r) => r.volume.name === 'pgdata')!;
    assert.equal(pg.composeProject, 'shop');
    assert.equal(pg.composeVolume, 'pgdata');
    assert.equal(pg.size, 5_000_000);
    assert.equal(buildRows(volumes, containers)[0]!.size, undefined, 'unknown until measured');
  });

  it('groups by usage: in use, unused, anonymous; with the reclaimable bytes of the unused', () => {
    const groups = groupRows(rows, 'usage', 'name');
    assert.deepEqual(
      groups.map((g) => [g.kind, g.rows.map((r) => r.volume.name)]),
      [
        ['inUse', ['logs', 'pgdata']],
        ['unused', ['cache']],
        ['anonymous', [anon]],
      ],
    );
    assert.equal(groups[1]!.reclaimable, 2_000);
    assert.equal(reclaimableBytes(rows), 2_700, 'unused anonymous volumes count too');
  });

  it('groups by Compose project, by driver, or not at all', () => {
    assert.deepEqual(
      groupRows(rows, 'composeProject', 'name').map((g) => [g.kind, g.key, g.rows.length]),
      [
        ['project', 'shop', 1],
        ['noProject', '', 3],
      ],
    );
    assert.deepEqual(
      groupRows(rows, 'driver', 'name').map((g) => [g.key, g.rows.length]),
      [
        ['local', 3],
        ['nfs-plugin', 1],
      ],
    );
    assert.equal(groupRows(rows, 'none', 'name')[0]!.rows.length, 4);
    assert.deepEqual(groupRows([], 'usage', 'name'), [], 'empty groups are left out');
  });

  it('sorts by size (unknown last), by creation date (newest first) and by name', () => {
    assert.deepEqual(
      sortRows(rows, 'size').map((r) => r.volume.name),
      ['pgdata', 'cache', anon, 'logs'],
    );
    assert.deepEqual(
      sortRows(rows, 'created').map((r) => r.volume.name),
      ['cache', 'logs', 'pgdata', anon],
    );
    assert.deepEqual(
      sortRows(rows, 'name').map((r) => r.volume.name),
      ['cache', anon, 'logs', 'pgdata'],
    );
  });

  it('filters by text over names, labels, drivers, projects and containers, and by unused only', () => {
    assert.deepEqual(
      filterRows(rows, { text: 'SHOP' }).map((r) => r.volume.name),
      ['pgdata'],
    );
    assert.deepEqual(
      filterRows(rows, { text: 'reader' }).map((r) => r.volume.name),
      ['logs'],
    );
    assert.deepEqual(
      filterRows(rows, { text: 'nfs' }).map((r) => r.volume.name),
      ['logs'],
    );
    assert.deepEqual(
      filterRows(rows, { unusedOnly: true }).map((r) => r.volume.name),
      ['cache', anon],
    );
    assert.equal(filterRows(rows, {}).length, 4);
  });

  it('formats sizes like docker system df', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1_500), '1.50 kB');
    assert.equal(formatBytes(123_400_000), '123 MB');
    assert.equal(formatBytes(45_600_000_000), '45.6 GB');
    assert.equal(formatBytes(-1), 'n/a');
  });
});

describe('formatBytes in the display language', () => {
  it('uses French units and the decimal comma in French, and English elsewhere', () => {
    assert.equal(formatBytes(1_250_000, 'fr'), '1,25 Mo');
    assert.equal(formatBytes(45_600_000_000, 'fr'), '45,6 Go');
    assert.equal(formatBytes(123_400_000, 'fr-CA'), '123 Mo');
    assert.equal(formatBytes(999, 'fr'), '999 o');
    assert.equal(formatBytes(1_500, 'fr'), '1,50 ko');
    assert.equal(formatBytes(-1, 'fr'), 'n.d.');
    assert.equal(formatBytes(1_250_000, 'en'), '1.25 MB');
    assert.equal(formatBytes(1_250_000, 'de'), '1,25 MB', 'the separator of the language, units as Docker prints them');
    assert.equal(formatBytes(1_250_000, 'not a language!'), '1.25 MB');
  });
});
