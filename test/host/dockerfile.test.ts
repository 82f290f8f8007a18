import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../../src/constants';
import { cleanupTestObjects, TEST_IMAGE, TEST_MODULE, testDocker, uniqueName } from '../support/docker';
import { activeApi, eventually, shownErrors } from './helpers';

const dockerfile = path.resolve(__dirname, '../../../test/fixtures/workspace/api/Dockerfile');

describe('Dockerfiles in the editor', function () {
  this.timeout(60_000);
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await cleanupTestObjects();
  });

  it('puts lenses on VOLUME, stateful FROM and WORKDIR + COPY . ., whose actions run for real', async () => {
    const api = await activeApi();
    const doc = await vscode.workspace.openTextDocument(dockerfile);
    await vscode.window.showTextDocument(doc);
    const lenses = await eventually(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        doc.uri,
        100,
      );
      return found.length >= 6 ? found : undefined;
    }, 'Dockerfile lenses');
    const byTitle = (re: RegExp) => lenses.filter((l) => re.test(l.command?.title ?? ''));
    assert.equal(byTitle(/^PostgreSQL keeps its data in \/var\/lib\/postgresql\/data/).length, 1);
    // A container for the user's own project never gets the labs' example password: a fresh one each time.
    const postgresEnv = (
      byTitle(/^PostgreSQL keeps its data/)[0]?.command?.arguments?.[0] as { env?: Record<string, string> }
    ).env;
    assert.ok(
      postgresEnv?.POSTGRES_PASSWORD &&
        postgresEnv.POSTGRES_PASSWORD !== 'example' &&
        postgresEnv.POSTGRES_PASSWORD.length >= 20,
      JSON.stringify(postgresEnv),
    );
    const again = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      doc.uri,
      100,
    );
    const againEnv = (
      again.find((l) => /^PostgreSQL keeps its data/.test(l.command?.title ?? ''))?.command?.arguments?.[0] as {
        env?: Record<string, string>;
      }
    ).env;
    assert.notEqual(againEnv?.POSTGRES_PASSWORD, postgresEnv.POSTGRES_PASSWORD);
    assert.equal(byTitle(/^VOLUME \/app\/cache: each container gets a new anonymous volume/).length, 1);
    assert.equal(byTitle(/^VOLUME \/logs:/).length, 1);
    assert.equal(byTitle(/^In development, bind-mount this folder at \/app/)[0]?.range.start.line, 8);
    const runWithVolume = byTitle(/^Run with a Named Volume$/).find(
      (l) => (l.command?.arguments?.[0] as { target: string }).target === '/logs',
    );
    assert.ok(runWithVolume?.command);
    assert.equal(runWithVolume.command.command, COMMANDS.runWithVolume);

    // The lens's own arguments, plus what its prompts would ask: a container with a named volume at /logs.
    const volume = uniqueName('vlab-df');
    const run = await vscode.commands.executeCommand<{ id: string }>(runWithVolume.command.command, {
      ...(runWithVolume.command.arguments?.[0] as object),
      volume,
      image: TEST_IMAGE,
      command: ['sleep', '30'],
      module: TEST_MODULE,
      networkMode: 'none',
    });
    assert.ok(run, shownErrors(api).at(-1));
    const mounts = (await testDocker().getContainer(run.id).inspect()).Mounts;
    assert.ok(
      mounts.some((m) => m.Type === 'volume' && m.Name === volume && m.Destination === '/logs'),
      JSON.stringify(mounts),
    );

    const bind = byTitle(/^In development, bind-mount/)[0]!.command!;
    assert.equal(bind.command, COMMANDS.runWithBindMount);
    assert.deepEqual(bind.arguments?.[0], { hostPath: path.dirname(dockerfile), target: '/app', readOnly: false });
  });

  it('warns when a RUN writes under an earlier VOLUME, and follows edits', async () => {
    const doc = await vscode.workspace.openTextDocument(dockerfile);
    await vscode.window.showTextDocument(doc);
    const diagnostics = await eventually(() => {
      const found = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'runAfterVolume');
      return found.length ? found : undefined;
    }, 'runAfterVolume diagnostic');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.range.start.line, 9);
    assert.match(diagnostics[0]!.message, /writes under \/logs, declared a VOLUME on line 8/);
    assert.equal(diagnostics[0]!.severity, vscode.DiagnosticSeverity.Warning);

    // Moving the write before the VOLUME line is the fix: the warning goes.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, doc.lineAt(9).range, 'RUN ls /app/cache');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await eventually(
      () => (vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'runAfterVolume') ? undefined : true),
      'warning gone after the edit',
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('shows no lenses when volumesLab.lenses.enabled is off', async () => {
    const config = vscode.workspace.getConfiguration(SETTINGS.section);
    const doc = await vscode.workspace.openTextDocument(dockerfile);
    await config.update(SETTINGS.lensesEnabled, false, vscode.ConfigurationTarget.Global);
    try {
      await eventually(
        async () =>
          (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100))
            .length === 0
            ? true
            : undefined,
        'no lenses',
      );
    } finally {
      await config.update(SETTINGS.lensesEnabled, undefined, vscode.ConfigurationTarget.Global);
    }
    assert.ok(
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)).length >
        0,
      'back on',
    );
  });
});
