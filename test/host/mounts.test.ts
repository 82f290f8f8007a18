import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/constants';
import { cleanupTestObjects, TEST_IMAGE, TEST_LABEL, TEST_MODULE, testDocker, uniqueName } from '../support/docker';
import { activeApi, eventually, shownErrors } from './helpers';

const common = { image: TEST_IMAGE, module: TEST_MODULE, networkMode: 'none', command: ['sleep', '300'] };
interface RunResult {
  id: string;
  name: string;
  cli: { short: string; long: string };
}
interface TreeNode extends vscode.TreeItem {
  nodeType: string;
  container?: { id: string; name: string };
  warnings?: { kind: string }[];
  mount?: { type: string; destination: string };
}

async function mountsChildren(node?: TreeNode): Promise<TreeNode[]> {
  const api = await activeApi();
  return await api.context.mountsTree.getChildren(node as never);
}

describe('Mount commands', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  after(async () => {
    await cleanupTestObjects();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const tempDir = (name: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), name));
    dirs.push(d);
    return d;
  };

  it('runs a container with a read-only bind mount of a folder with spaces and accents, and shows both CLI forms', async () => {
    const host = path.join(tempDir('vlab-'), 'mon dossier été');
    fs.mkdirSync(host);
    fs.writeFileSync(path.join(host, 'index.html'), 'bonjour\n');
    const result = await vscode.commands.executeCommand<RunResult>(COMMANDS.runWithBindMount, {
      ...common,
      hostPath: host,
      target: '/app',
      readOnly: true,
    });
    assert.ok(result, 'started');
    // The network mode the container got is in the line too.
    assert.equal(result.cli.short, `docker run -d --network none -v '${host}:/app:ro' ${TEST_IMAGE} sleep 300`);
    assert.equal(
      result.cli.long,
      `docker run -d --network none --mount 'type=bind,src=${host},dst=/app,readonly' ${TEST_IMAGE} sleep 300`,
    );
    const info = await testDocker().getContainer(result.id).inspect();
    assert.equal(info.State.Running, true);
    assert.equal(info.Config.Labels['volumes-lab.managed'], '1');
    assert.deepEqual(
      info.Mounts.map((m) => [m.Type, m.Source, m.Destination, m.RW]),
      [['bind', host, '/app', false]],
    );
  });

  it('offers to create a missing host folder instead of letting Docker fail, and refuses bad targets', async () => {
    const api = await activeApi();
    const missing = path.join(tempDir('vlab-'), 'not-yet');
    assert.equal(
      await vscode.commands.executeCommand(COMMANDS.runWithBindMount, {
        ...common,
        hostPath: missing,
        target: '/app',
        readOnly: false,
        createMissing: false,
      }),
      undefined,
    );
    assert.match(
      shownErrors(api).at(-1) ?? '',
      /The host folder .*not-yet does not exist and was not created: nothing was run\./,
    );
    assert.equal(fs.existsSync(missing), false);
    const created = await vscode.commands.executeCommand<RunResult>(COMMANDS.runWithBindMount, {
      ...common,
      hostPath: missing,
      target: '/app',
      readOnly: false,
      createMissing: true,
    });
    assert.ok(created && fs.existsSync(missing), 'folder created, container started');

    assert.equal(
      await vscode.commands.executeCommand(COMMANDS.runWithBindMount, {
        ...common,
        hostPath: missing,
        target: 'app',
        readOnly: false,
      }),
      undefined,
    );
    assert.match(shownErrors(api).at(-1) ?? '', /must be absolute/);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.runWithTmpfs, { ...common, target: '/' }), undefined);
    assert.match(shownErrors(api).at(-1) ?? '', /Mounting over \/ would hide the whole container/);
  });

  it('runs with a named volume (created when missing) and with a sized tmpfs', async () => {
    const volume = uniqueName('vlab-run-vol');
    const withVolume = await vscode.commands.executeCommand<RunResult>(COMMANDS.runWithVolume, {
      ...common,
      volume,
      target: '/data',
      readOnly: true,
    });
    assert.match(withVolume.cli.short, new RegExp(`-v ${volume}:/data:ro`));
    assert.equal((await testDocker().getVolume(volume).inspect()).Labels['volumes-lab.module'], TEST_MODULE);
    const withTmpfs = await vscode.commands.executeCommand<RunResult>(COMMANDS.runWithTmpfs, {
      ...common,
      target: '/cache',
      sizeBytes: 16 * 1024 * 1024,
      mode: 0o1777,
    });
    assert.match(withTmpfs.cli.short, /--tmpfs \/cache:size=16m,mode=1777/);
    assert.match(withTmpfs.cli.long, /--mount type=tmpfs,dst=\/cache,tmpfs-size=16777216,tmpfs-mode=1777/);
    const info = await testDocker().getContainer(withTmpfs.id).inspect();
    assert.equal((info.HostConfig.Mounts ?? [])[0]?.TmpfsOptions?.SizeBytes, 16 * 1024 * 1024);
    assert.equal((info.HostConfig.Mounts ?? [])[0]?.TmpfsOptions?.Mode, 0o1777);
  });

  it('shares a volume between a writer and a read-only reader, and proves the reader cannot write', async () => {
    const volume = uniqueName('vlab-shared-logs');
    const shared = await vscode.commands.executeCommand<{
      readerSaw: string;
      refusal: { exitCode: number; output: string };
      writer: RunResult;
      reader: RunResult;
    }>(COMMANDS.shareVolume, { image: TEST_IMAGE, module: TEST_MODULE, networkMode: 'none', volume });
    assert.ok(shared);
    assert.match(shared.readerSaw, /User logged in/);
    assert.notEqual(shared.refusal.exitCode, 0);
    assert.match(shared.refusal.output, /Read-only file system/);
    assert.match(shared.writer.cli.short, new RegExp(`-v ${volume}:/var/log/app`));
    assert.match(shared.reader.cli.short, new RegExp(`-v ${volume}:/logs:ro`));
  });

  it('tests a volume by mounting it in a throwaway container: a local one mounts, a bad NFS share reports why', async () => {
    const good = uniqueName('vlab-probe-ok');
    await testDocker().createVolume({ Name: good, Labels: { [TEST_LABEL]: '1' } });
    const ok = await vscode.commands.executeCommand<{ ok: boolean; detail: string }>(COMMANDS.testVolume, good, {
      image: TEST_IMAGE,
      module: TEST_MODULE,
      networkMode: 'none',
    });
    assert.equal(ok?.ok, true, ok?.detail);
    const bad = uniqueName('vlab-probe-nfs');
    await vscode.commands.executeCommand(COMMANDS.createVolume, {
      name: bad,
      nfs: { server: '127.0.0.1', exportPath: '/nowhere', options: 'nfsvers=4,soft,timeo=10,retrans=1' },
      labels: { [TEST_LABEL]: '1' },
    });
    const failed = await vscode.commands.executeCommand<{ ok: boolean; detail: string }>(COMMANDS.testVolume, bad, {
      image: TEST_IMAGE,
      module: TEST_MODULE,
      networkMode: 'none',
    });
    assert.equal(failed?.ok, false);
    assert.match(failed.detail, /mount/i);
    const leftovers = await testDocker().listContainers({
      all: true,
      filters: { label: [`volumes-lab.module=${TEST_MODULE}`], volume: [good, bad] },
    });
    assert.equal(leftovers.length, 0, 'probe containers are removed');
  });

  it('says so when a container name is taken, or an image is missing and cannot be pulled', async function () {
    const api = await activeApi();
    const name = uniqueName('vlab-taken');
    await vscode.commands.executeCommand(COMMANDS.runWithTmpfs, { ...common, name, target: '/t' });
    await vscode.commands.executeCommand(COMMANDS.runWithTmpfs, { ...common, name, target: '/t' });
    assert.match(shownErrors(api).at(-1) ?? '', new RegExp(`A container named ${name} already exists`));
    if (process.env.VOLUMES_LAB_PRIVATE_DAEMON !== '1') return; // elsewhere the pull could succeed
    await vscode.commands.executeCommand(COMMANDS.runWithTmpfs, {
      ...common,
      image: 'volumes-lab/not-published:1',
      target: '/t',
    });
    assert.match(shownErrors(api).at(-1) ?? '', /is not on this Docker host and cannot be pulled/);
  });
});

describe('Mounts view', function () {
  this.timeout(90_000);
  after(() => cleanupTestObjects());

  it('lists containers with their bind, volume and tmpfs mounts, and warns about risky ones', async () => {
    const api = await activeApi();
    const docker = testDocker();
    const gone = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-gone-'));
    const name = uniqueName('vlab-risky');
    const volume = uniqueName('vlab-mv');
    await docker.createVolume({ Name: volume, Labels: { [TEST_LABEL]: '1' } });
    await docker.createContainer({
      name,
      Image: TEST_IMAGE,
      Cmd: ['sh'],
      Labels: { [TEST_LABEL]: '1' },
      HostConfig: {
        NetworkMode: 'none',
        Mounts: [
          { Type: 'bind', Source: '/etc', Target: '/host-etc', ReadOnly: true },
          { Type: 'bind', Source: gone, Target: '/gone' },
          { Type: 'volume', Source: volume, Target: '/data' },
          { Type: 'volume', Target: '/anon' } as never,
          { Type: 'tmpfs', Target: '/scratch', TmpfsOptions: { SizeBytes: 32 * 1024 * 1024, Mode: 0o1777 } } as never,
        ],
      },
    });
    const source = uniqueName('vlab-source');
    await docker.createContainer({
      name: source,
      Image: TEST_IMAGE,
      Cmd: ['sh'],
      Labels: { [TEST_LABEL]: '1' },
      HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
    });
    const follower = uniqueName('vlab-follower');
    await docker.createContainer({
      name: follower,
      Image: TEST_IMAGE,
      Cmd: ['sh'],
      Labels: { [TEST_LABEL]: '1' },
      HostConfig: { NetworkMode: 'none', VolumesFrom: [source] },
    });
    fs.rmSync(gone, { recursive: true });
    await api.context.model.refresh();
    const node = await eventually(
      async () => (await mountsChildren()).find((n) => n.label === name),
      'container in the Mounts view',
    );
    assert.equal(node.contextValue, 'container:stopped');
    assert.deepEqual(node.warnings?.map((w) => w.kind).sort(), ['anonymousVolume', 'missingHostPath', 'sensitivePath']);
    assert.match(String(node.description), /⚠ 3/);
    const mounts = await mountsChildren(node);
    const byTarget: Record<string, TreeNode> = Object.fromEntries(mounts.map((m) => [m.label as string, m]));
    assert.deepEqual(Object.keys(byTarget), ['/anon', '/data', '/gone', '/host-etc', '/scratch']);
    assert.match(String(byTarget['/host-etc']!.description), /bind ← \/etc · ro/);
    assert.equal(byTarget['/host-etc']!.warnings?.[0]?.kind, 'sensitivePath');
    assert.match(String(byTarget['/data']!.description), new RegExp(`volume ${volume} · rw`));
    assert.equal(byTarget['/data']!.command?.command, COMMANDS.revealVolume);
    assert.match(String(byTarget['/anon']!.description), /anonymous/);
    assert.match(String(byTarget['/scratch']!.description), /tmpfs · size=32m · rw/);
    assert.equal(byTarget['/gone']!.warnings?.[0]?.kind, 'missingHostPath');

    // --volumes-from: the follower's mounts are shown as what they resolve to.
    const followerNode = (await mountsChildren()).find((n) => n.label === follower)!;
    const inherited = await mountsChildren(followerNode);
    assert.match(
      String(inherited.find((m) => m.label === '/data')!.description),
      new RegExp(`volume ${volume} · rw · from ${source}`),
    );
  });

  it('stops and removes a container from the view', async () => {
    const result = await vscode.commands.executeCommand<RunResult>(COMMANDS.runWithTmpfs, { ...common, target: '/t' });
    const node = { container: { id: result.id, name: result.name, running: true } };
    assert.equal(await vscode.commands.executeCommand(COMMANDS.stopContainer, node), true);
    assert.equal((await testDocker().getContainer(result.id).inspect()).State.Running, false);
    assert.equal(
      await vscode.commands.executeCommand(
        COMMANDS.removeContainer,
        { container: { ...node.container, running: false } },
        { confirm: true },
      ),
      true,
    );
    await assert.rejects(testDocker().getContainer(result.id).inspect());
  });
});
