import * as assert from 'node:assert/strict';
import { isOptionsArgument, readCommandArgument } from '../../src/core/commandArguments';

/** Nodes shaped as the trees build them (the classes need vscode; their fields are what the reader uses). */
const row = { volume: { name: 'pgdata' } };
const container = { id: 'abc123', name: 'db', running: true };
const nodes = {
  volume: { nodeType: 'volume', row, volume: row.volume },
  usage: { nodeType: 'usage', volumeName: 'pgdata', use: { containerName: 'db', running: true } },
  files: { nodeType: 'files', volumeName: 'pgdata' },
  entry: { nodeType: 'entry', volumeName: 'pgdata', inside: '/base' },
  group: { nodeType: 'group', group: { kind: 'unused', rows: [] } },
  container: { nodeType: 'container', container },
  volumeMount: {
    nodeType: 'mount',
    container,
    mount: { type: 'volume', name: 'pgdata', destination: '/var/lib/postgresql/data' },
  },
  bindMount: {
    nodeType: 'mount',
    container,
    mount: { type: 'bind', source: '/home/me/site', destination: '/usr/share/nginx/html' },
  },
  backupVolume: { nodeType: 'backupVolume', volume: 'pgdata', backups: [] },
  backup: { nodeType: 'backup', backup: { file: '/b/pgdata_20261130_101500.tar.gz', volume: 'pgdata' } },
};

describe('command arguments', () => {
  it('every node that stands for a volume names it', () => {
    for (const kind of ['volume', 'usage', 'files', 'entry', 'volumeMount', 'backupVolume', 'backup'] as const) {
      assert.equal(readCommandArgument(nodes[kind]).volume, 'pgdata', kind);
    }
    for (const kind of ['group', 'container', 'bindMount'] as const)
      assert.equal(readCommandArgument(nodes[kind]).volume, undefined, kind);
  });

  it('containers, mounts, groups and backup files come from the nodes that show them', () => {
    assert.deepEqual(readCommandArgument(nodes.container).container, container);
    assert.deepEqual(readCommandArgument(nodes.usage).container, { name: 'db', running: true });
    assert.deepEqual(readCommandArgument(nodes.bindMount).mount, { type: 'bind', source: '/home/me/site' });
    assert.deepEqual(readCommandArgument(nodes.bindMount).container, container);
    assert.equal(readCommandArgument(nodes.group).group, 'unused');
    assert.equal(readCommandArgument(nodes.backup).file, '/b/pgdata_20261130_101500.tar.gz');
  });

  it('a node is never taken for options, and options after it are read', () => {
    for (const node of Object.values(nodes)) assert.deepEqual(readCommandArgument(node).options, {});
    assert.deepEqual(readCommandArgument<{ target: string }>(nodes.volume, { target: 'copy' }).options, {
      target: 'copy',
    });
  });

  it('plain objects are options; strings are names; file URIs are files', () => {
    assert.deepEqual(readCommandArgument<{ volume: string }>({ volume: 'x' }), { options: { volume: 'x' } });
    assert.deepEqual(readCommandArgument('x', { mode: 'merge' }), { text: 'x', options: { mode: 'merge' } });
    assert.deepEqual(readCommandArgument({ scheme: 'file', fsPath: '/b/a.tar.gz', path: '/b/a.tar.gz' }), {
      file: '/b/a.tar.gz',
      options: {},
    });
    assert.deepEqual(readCommandArgument({ scheme: 'untitled', fsPath: 'Untitled-1' }), { options: {} });
    assert.deepEqual(readCommandArgument(undefined), { options: {} });
    assert.deepEqual(readCommandArgument(['a', 'b']), { options: {} });
  });

  it('reads options one way, whatever their prototype, and never a node or a URI given after a node', () => {
    class RunOptions {
      image = 'alpine';
    }
    for (const options of [
      { image: 'alpine' },
      Object.assign(Object.create({}), { image: 'alpine' }),
      new RunOptions(),
    ])
      assert.ok(isOptionsArgument(options), JSON.stringify(options));
    for (const other of [nodes.volume, { scheme: 'file', fsPath: '/a' }, ['a'], 'a', null, undefined])
      assert.equal(isOptionsArgument(other), false, JSON.stringify(other));
    assert.deepEqual(readCommandArgument(nodes.volume, nodes.container), { volume: 'pgdata', options: {} });
  });
});
