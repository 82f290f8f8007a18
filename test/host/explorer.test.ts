import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import {
  cleanupTestObjects,
  containerUsing,
  runWithVolume,
  TEST_IMAGE,
  TEST_LABEL,
  testDocker,
  uniqueName,
} from '../support/docker';
import { activeApi, children, eventually, findVolume, hoverText, volumeRows, shownErrors } from './helpers';

const labels = { [TEST_LABEL]: '1' };

describe('Volumes explorer', function () {
  this.timeout(90_000);
  after(() => cleanupTestObjects());

  it('groups volumes into in use, unused and anonymous, with users and files as children', async () => {
    const api = await activeApi();
    const used = uniqueName('vlab-used');
    const spare = uniqueName('vlab-spare');
    const docker = testDocker();
    await docker.createVolume({ Name: used, Labels: labels });
    await docker.createVolume({
      Name: spare,
      Labels: { ...labels, 'com.docker.compose.project': 'course', 'com.docker.compose.volume': 'db' },
    });
    await runWithVolume(
      used,
      'mkdir -p /data/conf && echo "port=5432" > /data/conf/app.ini && echo hi > /data/top.txt',
    );
    const user = await containerUsing(used, uniqueName('vlab-db'));
    await vscode.commands.executeCommand(COMMANDS.refreshVolumes);

    const usedRow = await eventually(() => findVolume(api, used), 'used volume');
    assert.equal(usedRow.group, 'inUse');
    assert.match(String(usedRow.item.description), /used by 1/);
    const spareRow = await eventually(() => findVolume(api, spare), 'spare volume');
    assert.equal(spareRow.group, 'unused');
    assert.match(hoverText(api, spareRow.item), /Compose project.*course/s);
    // The tooltip's "mount it" lines run the configured helper image.
    const config = vscode.workspace.getConfiguration(SETTINGS.section);
    const previousImage = config.inspect<string>(SETTINGS.backupShellImage)?.globalValue;
    await config.update(SETTINGS.backupShellImage, TEST_IMAGE, vscode.ConfigurationTarget.Global);
    try {
      const tooltip = hoverText(api, (await eventually(() => findVolume(api, spare), 'spare volume')).item);
      assert.ok(tooltip.includes(` run --rm -it -v ${spare}:/data ${TEST_IMAGE} sh`), tooltip);
    } finally {
      await config.update(SETTINGS.backupShellImage, previousImage, vscode.ConfigurationTarget.Global);
    }

    // Sizes arrive after the listing, from /system/df.
    await eventually(async () => {
      const row = await findVolume(api, used);
      return row?.item.row?.size !== undefined && /kB|B ·/.test(String(row.item.description)) ? true : undefined;
    }, 'size in the description');

    const kids = await children(api, usedRow.item);
    const usage = kids.find((k) => k.nodeType === 'usage');
    assert.ok(usage, 'container child');
    const userName = (await user.inspect()).Name.replace(/^\//, '');
    assert.equal(usage.label, userName);
    assert.match(
      String(usage.description),
      new RegExp(`${TEST_IMAGE.replace(/[/.]/g, '\\$&')} · stopped · at /data rw`),
    );
    const files = kids.find((k) => k.nodeType === 'files');
    assert.ok(files, 'Files child');
    const top = await children(api, files);
    assert.deepEqual(
      top.map((e) => e.inside),
      ['/conf', '/top.txt'],
      'folders first, from tar headers',
    );
    const conf = await children(api, top[0]);
    assert.deepEqual(
      conf.map((e) => e.inside),
      ['/conf/app.ini'],
    );
    assert.equal(conf[0]?.command?.command, 'vscode.open');

    const doc = await vscode.workspace.openTextDocument(conf[0].command.arguments![0] as vscode.Uri);
    assert.equal(doc.getText(), 'port=5432\n');
    assert.equal(
      (await testDocker().listContainers({ all: true, filters: { label: ['volumes-lab.helper'] } })).length,
      0,
      'no helper container left',
    );
  });

  it('refuses to open a file over the size limit', async () => {
    await activeApi();
    const name = uniqueName('vlab-big');
    await testDocker().createVolume({ Name: name, Labels: labels });
    await runWithVolume(name, 'dd if=/dev/zero of=/data/big.bin bs=1024 count=2048 2>/dev/null');
    const config = vscode.workspace.getConfiguration(SETTINGS.section);
    await config.update(SETTINGS.filesMaxSizeMb, 1, vscode.ConfigurationTarget.Global);
    try {
      await assert.rejects(
        Promise.resolve(
          vscode.workspace.fs.readFile(vscode.Uri.from({ scheme: 'docker-volume', path: `/${name}/big.bin` })),
        ),
        /over the 1 MB limit/,
      );
    } finally {
      await config.update(SETTINGS.filesMaxSizeMb, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows a volume created outside VS Code without a manual refresh (daemon events)', async () => {
    const api = await activeApi();
    await api.context.volumesTree.getChildren();
    const received = api.context.events.received;
    const name = uniqueName('vlab-live');
    await testDocker().createVolume({ Name: name, Labels: labels });
    await eventually(() => findVolume(api, name), 'volume appears through events', 10_000);
    assert.ok(api.context.events.received > received, 'an event was received');
  });

  it('removes helper containers left by an earlier session', async () => {
    const api = await activeApi();
    const volume = uniqueName('vlab-left');
    await testDocker().createVolume({ Name: volume, Labels: labels });
    const leftover = await api.context.daemon.client.createVolumeHelper(volume, {
      mountPath: '/volume',
      readOnly: true,
    });
    // At activation only stale helpers go: a fresh one may be another window's backup in progress.
    await api.context.files.sweepHelpers();
    await testDocker().getContainer(leftover).inspect();
    assert.ok((await api.context.files.sweepHelpers(0)) >= 1);
    await assert.rejects(testDocker().getContainer(leftover).inspect(), /no such container/i);
  });

  it('reconnects to the event stream after the daemon restarts, and keeps the view live', async function () {
    // Only on the tests' own private daemon (scripts/test.sh): never restart somebody's Docker.
    if (process.env.VOLUMES_LAB_PRIVATE_DAEMON !== '1') this.skip();
    const api = await activeApi();
    const root = process.env.VOLUMES_LAB_DOCKERD_ROOT ?? '/tmp/volumes-lab-test-dockerd';
    const pid = Number(fs.readFileSync(path.join(root, 'dockerd.pid'), 'utf8'));
    process.kill(pid, 'SIGTERM');
    await eventually(
      () => {
        try {
          process.kill(pid, 0);
          return undefined;
        } catch {
          return true;
        }
      },
      'dockerd stopped',
      30_000,
    );
    // An action while the daemon is down: a clear message, nothing half done.
    const errors = shownErrors(api).length;
    assert.equal(
      await vscode.commands.executeCommand(COMMANDS.createVolume, { name: uniqueName('vlab-while-down') }),
      undefined,
    );
    assert.ok(shownErrors(api).length > errors);
    assert.match(shownErrors(api).at(-1) ?? '', /Cannot reach the Docker daemon at .* Is Docker running\?/);
    execFileSync('bash', [path.resolve(__dirname, '../../../scripts/start-dockerd.sh')], { stdio: 'ignore' });
    const name = uniqueName('vlab-after-restart');
    await testDocker().createVolume({ Name: name, Labels: labels });
    await eventually(() => findVolume(api, name), 'volume created after the restart appears through events', 45_000);
    await eventually(
      () => (api.context.daemon.state.kind === 'reachable' ? true : undefined),
      'connection state caught up',
    );
  });

  it('groups by Compose project and driver, and sorts by size when asked', async () => {
    const api = await activeApi();
    const config = vscode.workspace.getConfiguration(SETTINGS.section);
    try {
      await config.update(SETTINGS.groupBy, 'composeProject', vscode.ConfigurationTarget.Global);
      const groups = await children(api);
      assert.ok(
        groups.some((g) => g.group?.kind === 'project' && g.label === 'Compose project course'),
        'project group',
      );
      assert.ok(
        groups.some((g) => g.group?.kind === 'noProject'),
        'others',
      );
      await config.update(SETTINGS.groupBy, 'driver', vscode.ConfigurationTarget.Global);
      assert.deepEqual(
        (await children(api)).filter((g) => g.nodeType !== 'course').map((g) => g.label),
        ['Driver local'],
      );
      await config.update(SETTINGS.groupBy, 'none', vscode.ConfigurationTarget.Global);
      await config.update(SETTINGS.sortBy, 'size', vscode.ConfigurationTarget.Global);
      await api.context.model.refreshSizes(true);
      const flat = (await children(api)).filter((n) => n.nodeType !== 'course');
      assert.ok(flat.every((n) => n.nodeType === 'volume'));
      const sizes = flat.map((n) => n.row?.size ?? -2);
      assert.deepEqual(
        sizes,
        [...sizes].sort((a, b) => b - a),
        'largest first',
      );
    } finally {
      await config.update(SETTINGS.groupBy, undefined, vscode.ConfigurationTarget.Global);
      await config.update(SETTINGS.sortBy, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('reveals a volume in the Volumes view, from anywhere', async () => {
    const api = await activeApi();
    const name = uniqueName('vlab-reveal');
    await testDocker().createVolume({ Name: name, Labels: labels });
    await api.context.model.refresh();
    assert.equal(await vscode.commands.executeCommand(COMMANDS.revealVolume, name), true);
    await eventually(
      () =>
        api.context.volumesView.selection.some(
          (n) => (n as { row?: { volume: { name: string } } }).row?.volume.name === name,
        )
          ? true
          : undefined,
      'selected',
    );
    assert.equal(await vscode.commands.executeCommand(COMMANDS.revealVolume, 'vlab-no-such-volume'), false);
  });

  it('filters by text and by unused only', async () => {
    const api = await activeApi();
    const name = uniqueName('vlab-needle');
    await testDocker().createVolume({ Name: name, Labels: labels });
    await api.context.model.refresh();
    await vscode.commands.executeCommand(COMMANDS.filterVolumes, { text: 'needle' });
    const rows = await volumeRows(api);
    assert.ok(rows.length >= 1 && rows.every((r) => r.item.row!.volume.name.includes('needle')), 'only matches');
    await vscode.commands.executeCommand(COMMANDS.filterVolumes, { unusedOnly: true });
    assert.ok((await volumeRows(api)).every((r) => r.group !== 'inUse'));
    await vscode.commands.executeCommand(COMMANDS.clearVolumeFilter);
    assert.ok(
      (await volumeRows(api)).some((r) => r.group === 'inUse'),
      'filter cleared',
    );
  });
});

describe('Volume commands', function () {
  this.timeout(90_000);
  after(() => cleanupTestObjects());

  it('creates a volume with driver options and labels, and refuses invalid or taken names with a clear message', async () => {
    const api = await activeApi();
    const name = uniqueName('vlab-made');
    const created = await vscode.commands.executeCommand<{ name: string; options: Record<string, string> }>(
      COMMANDS.createVolume,
      {
        name,
        kind: 'options',
        driver: 'local',
        driverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=5m' },
        labels: { ...labels, course: 'm2' },
      },
    );
    assert.equal(created?.name, name);
    const inspected = await testDocker().getVolume(name).inspect();
    assert.deepEqual(inspected.Options, { type: 'tmpfs', device: 'tmpfs', o: 'size=5m' });
    assert.equal(inspected.Labels.course, 'm2');

    const before = shownErrors(api).length;
    assert.equal(await vscode.commands.executeCommand(COMMANDS.createVolume, { name: '-bad name' }), undefined);
    assert.match(shownErrors(api).at(-1) ?? '', /starts with a letter or a digit/);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.createVolume, { name }), undefined);
    assert.match(shownErrors(api).at(-1) ?? '', /already exists/);
    assert.equal(shownErrors(api).length, before + 2);
  });

  it('inspects a volume read-only, and says so once the volume is gone', async () => {
    const name = uniqueName('vlab-inspect');
    await testDocker().createVolume({ Name: name, Labels: { ...labels, team: 'data' } });
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>(COMMANDS.inspectVolume, name);
    assert.ok(doc);
    assert.match(doc.getText(), /Read-only: docker volume inspect/);
    const json = JSON.parse(doc.getText().replace(/^\/\/.*\n/, '')) as { Name: string; Labels: Record<string, string> };
    assert.equal(json.Name, name);
    assert.equal(json.Labels.team, 'data');
    await testDocker().getVolume(name).remove();
    const again = await vscode.commands.executeCommand<vscode.TextDocument>(COMMANDS.inspectVolume, name);
    await eventually(() => (/no longer exists/.test(again.getText()) ? true : undefined), 'gone notice');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('copies the name and the mount snippets', async () => {
    const name = uniqueName('vlab-copy');
    await testDocker().createVolume({ Name: name, Labels: labels });
    await vscode.commands.executeCommand(COMMANDS.copyVolumeName, name);
    assert.equal(await vscode.env.clipboard.readText(), name);
    const long = await vscode.commands.executeCommand<string>(COMMANDS.copyMountSnippet, name, {
      form: 'long',
      target: '/srv',
    });
    assert.equal(long, `--mount type=volume,src=${name},dst=/srv`);
    assert.equal(await vscode.env.clipboard.readText(), long);
  });

  it('removes a volume, names the containers that hold one, removes stopped ones only on request, never running ones', async () => {
    const api = await activeApi();
    const docker = testDocker();
    const free = uniqueName('vlab-free');
    await docker.createVolume({ Name: free, Labels: labels });
    const removed = await vscode.commands.executeCommand<{ removed: string[] }>(COMMANDS.removeVolume, {
      names: [free],
      confirm: true,
    });
    assert.deepEqual(removed?.removed, [free]);

    const held = uniqueName('vlab-held');
    await docker.createVolume({ Name: held, Labels: labels });
    const stopped = await containerUsing(held, uniqueName('vlab-stopped'));
    const stoppedName = (await stopped.inspect()).Name.replace(/^\//, '');
    const kept = await vscode.commands.executeCommand<{ removed: string[]; kept: { name: string; reason: string }[] }>(
      COMMANDS.removeVolume,
      { names: [held], confirm: true, removeStoppedContainers: false },
    );
    assert.deepEqual(kept?.removed, []);
    assert.match(kept.kept[0]!.reason, new RegExp(stoppedName));

    const running = await docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: labels,
      HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: held, Target: '/data' }] },
    });
    await running.start();
    const refused = await vscode.commands.executeCommand<{
      removed: string[];
      kept: { reason: string }[];
      removedContainers: string[];
    }>(COMMANDS.removeVolume, { names: [held], confirm: true, removeStoppedContainers: true });
    assert.deepEqual(refused?.removed, []);
    assert.match(refused.kept[0]!.reason, /running containers use it/);
    assert.deepEqual(refused?.removedContainers, [], 'nothing removed while a running container holds it');
    await running.remove({ force: true });

    const both = await vscode.commands.executeCommand<{ removed: string[]; removedContainers: string[] }>(
      COMMANDS.removeVolume,
      { names: [held], confirm: true, removeStoppedContainers: true },
    );
    assert.deepEqual(both?.removed, [held]);
    assert.deepEqual(both?.removedContainers, [stoppedName]);

    const gone = await vscode.commands.executeCommand<{ kept: { reason: string }[] }>(COMMANDS.removeVolume, {
      names: [held],
      confirm: true,
    });
    assert.match(gone.kept[0]!.reason, /no longer exists/, 'a volume removed between listing and action');
    assert.equal(await findVolume(api, held), undefined);
  });

  it('prunes exactly the previewed unused volumes and reports the space reclaimed', async () => {
    const api = await activeApi();
    const docker = testDocker();
    const tag = uniqueName('prune');
    const pruneLabels = { ...labels, 'vlab.prune': tag };
    const a = uniqueName('vlab-pa');
    const b = uniqueName('vlab-pb');
    const keep = uniqueName('vlab-pkeep');
    await docker.createVolume({ Name: a, Labels: pruneLabels });
    await docker.createVolume({ Name: b, Labels: pruneLabels });
    await docker.createVolume({ Name: keep, Labels: pruneLabels });
    await runWithVolume(a, 'dd if=/dev/zero of=/data/x bs=1024 count=100 2>/dev/null');
    await containerUsing(keep);
    const anonymousOnly = await vscode.commands.executeCommand<{ previewed: string[] }>(COMMANDS.pruneVolumes, {
      scope: 'anonymous',
      confirm: true,
      label: `vlab.prune=${tag}`,
    });
    assert.deepEqual(anonymousOnly?.previewed, [], 'named volumes are not anonymous');
    const result = await vscode.commands.executeCommand<{
      previewed: string[];
      removed: string[];
      reclaimedBytes: number;
    }>(COMMANDS.pruneVolumes, { scope: 'all', confirm: true, label: `vlab.prune=${tag}` });
    assert.deepEqual([...result.previewed].sort(), [a, b].sort());
    assert.deepEqual([...result.removed].sort(), [a, b].sort());
    assert.ok(result.reclaimedBytes >= 100 * 1024, `reclaimed ${result.reclaimedBytes}`);
    assert.ok(await findVolume(api, keep), 'the used volume stays');
  });

  it('shows disk usage as a readable report', async () => {
    await vscode.commands.executeCommand(COMMANDS.showDiskUsage);
    const doc = await vscode.workspace.openTextDocument(
      vscode.Uri.from({ scheme: 'docker-volumes-lab', path: '/disk-usage.md' }),
    );
    assert.match(doc.getText(), /# Docker disk usage/);
    assert.match(doc.getText(), /\| Local volumes \| \d+ \| \d+ \|/);
    assert.match(doc.getText(), /docker system df -v/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('says plainly when the daemon cannot be reached mid-action', async () => {
    const api = await activeApi();
    const config = vscode.workspace.getConfiguration(SETTINGS.section);
    try {
      await config.update(SETTINGS.dockerHost, 'unix:///nonexistent/vlab.sock', vscode.ConfigurationTarget.Global);
      await eventually(
        () => (api.context.daemon.endpoint?.host === 'unix:///nonexistent/vlab.sock' ? true : undefined),
        'new endpoint',
      );
      await vscode.commands.executeCommand(COMMANDS.createVolume, { name: uniqueName('vlab-down') });
      assert.match(
        shownErrors(api).at(-1) ?? '',
        /Cannot reach the Docker daemon at unix:\/\/\/nonexistent\/vlab.sock/,
      );
    } finally {
      await config.update(SETTINGS.dockerHost, undefined, vscode.ConfigurationTarget.Global);
    }
    await eventually(() => (api.context.daemon.state.kind === 'reachable' ? true : undefined), 'reachable again');
  });
});
