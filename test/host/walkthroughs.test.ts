import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import { LAB_MODULES } from '../../src/core/labModules';
import { stepKey, type LabAction } from '../../src/core/labs';
import { cleanupTestObjects, POSTGRES_IMAGE, TEST_IMAGE, TEST_LABEL, testDocker } from '../support/docker';
import { activeApi, eventually, shownErrors } from './helpers';

interface WalkthroughJson {
  id: string;
  steps: { id: string; completionEvents?: string[]; media: { markdown?: string; svg?: string } }[];
}

const sidecar = (step: string) => stepKey('sidecarLab', step);

describe('walkthroughs', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration(SETTINGS.section);
  const docker = testDocker();
  async function removeLabObjects(): Promise<void> {
    for (const name of ['app-server', 'log-shipper', 'db-anonymous', 'db-named'])
      await docker
        .getContainer(name)
        .remove({ force: true, v: true })
        .catch(() => undefined);
    for (const name of ['shared-logs', 'postgres-prod'])
      await docker
        .getVolume(name)
        .remove({ force: true })
        .catch(() => undefined);
  }
  before(async () => {
    await config().update(SETTINGS.labImage, TEST_IMAGE, vscode.ConfigurationTarget.Global);
    await config().update(SETTINGS.runNetworkMode, 'none', vscode.ConfigurationTarget.Global);
    await removeLabObjects();
  });
  after(async () => {
    await config().update(SETTINGS.labImage, undefined, vscode.ConfigurationTarget.Global);
    await config().update(SETTINGS.runNetworkMode, undefined, vscode.ConfigurationTarget.Global);
    await removeLabObjects();
    await cleanupTestObjects();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('declares every walkthrough with its steps, media in English and French, and mostly state-based completion', async () => {
    const api = await activeApi();
    const extension = vscode.extensions.all.find(
      (e) => e.extensionUri.toString() === api.context.extensionUri.toString(),
    )!;
    const walkthroughs = (extension.packageJSON as { contributes: { walkthroughs: WalkthroughJson[] } }).contributes
      .walkthroughs;
    assert.ok(walkthroughs.some((w) => w.id === 'sidecarLab'));
    let steps = 0;
    let onState = 0;
    for (const w of walkthroughs) {
      for (const step of w.steps) {
        steps++;
        if (step.completionEvents?.every((e) => e.startsWith('onContext:'))) onState++;
        const media = step.media.markdown ?? step.media.svg!;
        assert.ok(fs.existsSync(path.join(extension.extensionPath, media)), media);
        if (step.media.markdown)
          assert.ok(
            fs.existsSync(path.join(extension.extensionPath, media.replace(/\.md$/, '.nls.fr.md'))),
            `French of ${media}`,
          );
      }
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extension.id}#${w.id}`, false);
    }
    assert.ok(onState / steps >= 0.8, `${onState} of ${steps} steps complete on state`);
  });

  it('flips step keys with the daemon state, whoever changes it', async () => {
    const api = await activeApi();
    const progress = api.context.progress;
    await api.context.model.refresh();
    assert.equal(progress.value(sidecar('createVolume')), false);
    await docker.createVolume({ Name: 'shared-logs', Labels: { [TEST_LABEL]: '1' } }); // outside VS Code: events drive the model
    await eventually(
      () => (progress.value(sidecar('createVolume')) ? true : undefined),
      'key true after the volume was created',
    );
    await docker.getVolume('shared-logs').remove();
    await eventually(
      () => (progress.value(sidecar('createVolume')) ? undefined : true),
      'key false after it was removed',
    );
  });

  it('runs the sidecar lab through its step buttons, each step completing on what the daemon shows', async () => {
    const api = await activeApi();
    const progress = api.context.progress;
    const run = (ref: string, extra?: object) =>
      vscode.commands.executeCommand(COMMANDS.labRun, `sidecarLab.${ref}`, extra);
    const reached = (step: string) =>
      eventually(() => (progress.value(sidecar(step)) ? true : undefined), `${step} done`, 20_000);

    await run('createVolume.create');
    await reached('createVolume');
    await run('startWriter.run');
    await reached('startWriter');
    await run('startReader.run');
    await reached('startReader');
    const reader = await docker.getContainer('log-shipper').inspect();
    assert.ok(
      reader.Mounts.some((m) => m.Name === 'shared-logs' && m.Destination === '/logs' && !m.RW),
      'mounted read-only',
    );

    const terminal = (await run('watchLogs.logs')) as vscode.Terminal;
    await reached('watchLogs');
    terminal.dispose();

    const refused = (await run('proveReadOnly.exec')) as { expected: boolean; output: string };
    assert.ok(refused.expected, refused.output);
    assert.match(refused.output, /Read-only file system/);
    await reached('proveReadOnly');

    assert.equal(progress.value(sidecar('removeContainers')), false, 'not before the containers are gone');
    await run('removeContainers.remove', { confirm: true });
    await reached('removeContainers');
    // The data outlived its writer: the log file is still in the volume.
    const log = Buffer.from(
      await vscode.workspace.fs.readFile(vscode.Uri.from({ scheme: 'docker-volume', path: '/shared-logs/access.log' })),
    ).toString();
    assert.match(log, /User logged in/);

    await run('namedVsAnonymous.anonymous');
    await run('namedVsAnonymous.named');
    await reached('namedVsAnonymous');
    const anonymous = (await docker.getContainer('db-anonymous').inspect()).Mounts.find(
      (m) => m.Destination === '/var/lib/postgresql/data',
    );
    assert.match(anonymous?.Name ?? '', /^[0-9a-f]{64}$/);

    const reset = (await run('cleanUp.reset', { confirm: true })) as { containers: string[]; volumes: string[] };
    assert.deepEqual([...reset.containers].sort(), ['db-anonymous', 'db-named']);
    assert.ok(
      reset.volumes.includes('shared-logs') &&
        reset.volumes.includes('postgres-prod') &&
        reset.volumes.includes(anonymous!.Name!),
      reset.volumes.join(', '),
    );
    await eventually(
      async () => ((await docker.listVolumes()).Volumes?.some((v) => v.Name === anonymous!.Name) ? undefined : true),
      'anonymous volume removed',
    );
    // The clean-up step is complete, and the first step is open again for a new run.
    await eventually(() => (progress.value(sidecar('cleanUp')) ? true : undefined), 'cleanUp done');
    assert.equal(progress.value(sidecar('createVolume')), false);
  });

  it('opens an interactive shell in a new container, in a terminal that types into it', async () => {
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>(
      COMMANDS.labRun,
      'firstSteps.interactiveShell.shell',
      { confirm: true },
    );
    try {
      const shell = docker.getContainer('first-shell');
      await eventually(
        async () => ((await shell.inspect()).State.Running ? true : undefined),
        'the shell container runs',
      );
      // What a person types in the terminal reaches the container's shell; exit ends it, like docker run -it.
      terminal.sendText('echo typed-in-vscode > /proof.txt && exit');
      await eventually(async () => ((await shell.inspect()).State.Running ? undefined : true), 'the shell exited');
      const archive = await shell.getArchive({ path: '/proof.txt' });
      const chunks: Buffer[] = [];
      for await (const chunk of archive) chunks.push(chunk as Buffer);
      assert.match(Buffer.concat(chunks).toString('latin1'), /typed-in-vscode/);
    } finally {
      terminal.dispose();
      await docker
        .getContainer('first-shell')
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  it('says when the lab image cannot be pulled and offers an image that is already there', async () => {
    const api = await activeApi();
    await config().update(SETTINGS.labImage, 'volumes-lab/not-pullable:1', vscode.ConfigurationTarget.Global);
    try {
      // The daemon here reaches no registry, as on a user's offline machine: the pull fails and a pick of local images
      // opens.
      const pulled = vscode.commands.executeCommand<string | undefined>(COMMANDS.labRun, 'firstSteps.pullImage.pull', {
        confirm: true,
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      const chosen = await pulled;
      assert.ok(chosen && chosen !== 'volumes-lab/not-pullable:1', shownErrors(api).at(-1));
      assert.equal(config().get(SETTINGS.labImage), chosen, 'the labs use the image picked from those already there');
      assert.ok((await docker.listImages()).some((i) => i.RepoTags?.includes(chosen)));
    } finally {
      await config().update(SETTINGS.labImage, TEST_IMAGE, vscode.ConfigurationTarget.Global);
    }
  });

  it('writes a lab project into a folder, without overwriting files unless asked', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-labfiles-'));
    try {
      fs.writeFileSync(path.join(folder, 'README.md'), 'mine');
      const result = await vscode.commands.executeCommand<{ written: string[] }>(COMMANDS.labFiles, {
        lab: 'sidecar',
        folder,
        overwrite: false,
      });
      assert.deepEqual(result.written, ['compose.yaml']);
      assert.equal(fs.readFileSync(path.join(folder, 'README.md'), 'utf8'), 'mine');
      assert.match(fs.readFileSync(path.join(folder, 'compose.yaml'), 'utf8'), /shared-logs:\/logs:ro/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('runs every lab of the course through its buttons, each state-checked step completing on the daemon', async function () {
    this.timeout(600_000);
    if (!POSTGRES_IMAGE) {
      if (process.env.VOLUMES_LAB_PRIVATE_DAEMON === '1') throw new Error('VOLUMES_LAB_POSTGRES_IMAGE is not set');
      this.skip();
    }
    const api = await activeApi();
    const progress = api.context.progress;
    const labFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-labs-'));
    const backups = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-lab-backups-'));
    await config().update(SETTINGS.labPostgresImage, POSTGRES_IMAGE, vscode.ConfigurationTarget.Global);
    await config().update(SETTINGS.labFolder, labFolder, vscode.ConfigurationTarget.Global);
    await config().update(SETTINGS.backupFolder, backups, vscode.ConfigurationTarget.Global);
    /** Buttons a test cannot press without a person: modal prunes of the whole daemon and guided forms. */
    const byHand = (action: LabAction) =>
      action.kind === 'prune' || (action.kind === 'command' && action.command !== COMMANDS.labSwarmState);
    const done: string[] = [];
    try {
      for (const module of LAB_MODULES.filter((m) => m.id !== 'sidecarLab')) {
        await vscode.commands.executeCommand(COMMANDS.labReset, { module: module.id, confirm: true });
        for (const step of module.steps) {
          for (const [id, action] of Object.entries(step.actions)) {
            if (byHand(action)) {
              // The guided NFS form, filled in as a person would.
              if (
                action.kind === 'command' &&
                action.command === COMMANDS.createVolume &&
                step.id === 'networkVolume'
              ) {
                await vscode.commands.executeCommand(COMMANDS.createVolume, {
                  name: 'vlab-nfs-test',
                  nfs: { server: '192.0.2.10', exportPath: '/exports/data' },
                  labels: { [TEST_LABEL]: '1' },
                });
              }
              continue;
            }
            const ref = `${module.id}.${step.id}.${id}`;
            // The first removal in volumesBasics is meant to be refused (the volume is in use): that is the lesson.
            const expectRefusal = ref === 'volumesBasics.removeVolume.tryRemove';
            const result = await vscode.commands.executeCommand<unknown>(COMMANDS.labRun, ref, { confirm: true });
            if (expectRefusal)
              assert.deepEqual(
                (result as { kept: { name: string }[] }).kept.map((k) => k.name),
                ['my-volume'],
                ref,
              );
            if (action.kind === 'exec')
              assert.ok((result as { expected: boolean }).expected, `${ref}: ${(result as { output: string }).output}`);
          }
          if (step.done) {
            const key = stepKey(module.id, step.id);
            await eventually(() => (progress.value(key) ? true : undefined), `${module.id}/${step.id} done`, 30_000);
            done.push(key);
          }
          if (module.id === 'dataManagement' && step.id === 'sharing') {
            // What the step's line shows (`docker create`, `--volumes-from`) is what its buttons did.
            assert.equal(
              (await docker.getContainer('data-container').inspect()).State.Status,
              'created',
              'the data container is created, never started',
            );
            assert.deepEqual((await docker.getContainer('data-reader-2').inspect()).HostConfig.VolumesFrom, [
              'data-container',
            ]);
          }
        }
      }
      await vscode.commands.executeCommand('workbench.action.terminal.killAll');
      assert.ok(done.length >= 25, `${done.length} steps completed on state`);
      // The clean-up steps removed what their modules made: nothing labelled by a module is left.
      const left = await docker.listContainers({ all: true, filters: { label: ['volumes-lab.module'] } });
      assert.deepEqual(
        left.map((c) => c.Names[0]),
        [],
      );
    } finally {
      await docker
        .getVolume('vlab-nfs-test')
        .remove()
        .catch(() => undefined);
      for (const setting of [SETTINGS.labPostgresImage, SETTINGS.labFolder, SETTINGS.backupFolder])
        await config().update(setting, undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(labFolder, { recursive: true, force: true });
      fs.rmSync(backups, { recursive: true, force: true });
    }
  });
});
