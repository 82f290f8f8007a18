import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cleanupTestObjects, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, eventually } from './helpers';

const composeFile = path.resolve(__dirname, '../../../test/fixtures/workspace/compose.yaml');

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
  return lenses.map((l) => l.command?.title ?? '');
}

describe('compose files in the editor', function () {
  this.timeout(60_000);
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const name of ['workspace_pgdata', 'vlab-fixture-external'])
      await testDocker()
        .getVolume(name)
        .remove()
        .catch(() => undefined);
    await cleanupTestObjects();
  });

  it("shows each volume line's meaning and the live state of top-level volumes, following the daemon", async () => {
    const api = await activeApi();
    await testDocker()
      .getVolume('workspace_pgdata')
      .remove()
      .catch(() => undefined);
    await api.context.model.refresh();
    const doc = await vscode.workspace.openTextDocument(composeFile);
    await vscode.window.showTextDocument(doc);
    const before = await eventually(async () => {
      const titles = await lensTitles(doc.uri);
      return titles.some((t) => t.includes('workspace_pgdata: not created yet')) ? titles : undefined;
    }, 'not-created lens');
    assert.ok(before.includes('Create'));
    assert.ok(
      before.some((t) => t === 'bind ./src → /app: host folder, live in the container (code reload)'),
      before.join(' | '),
    );
    assert.ok(
      before.some((t) =>
        t.startsWith('volume pgdata → /var/lib/postgresql/data: data kept by Docker as workspace_pgdata'),
      ),
    );
    assert.ok(before.some((t) => t.startsWith('anonymous volume at /tmp/scratch')));
    assert.ok(before.some((t) => t === 'external — vlab-fixture-external is missing on the daemon'));

    await testDocker().createVolume({ Name: 'workspace_pgdata', Labels: { [TEST_LABEL]: '1' } });
    const after = await eventually(async () => {
      const titles = await lensTitles(doc.uri);
      return titles.some((t) => t.startsWith('workspace_pgdata exists')) ? titles : undefined;
    }, 'exists lens after the volume was created outside VS Code');
    assert.ok(
      after.some((t) => /workspace_pgdata exists · .* · unused|workspace_pgdata exists · unused/.test(t)),
      after.join(' | '),
    );
    assert.ok(after.includes('Back Up') && after.includes('Inspect'));
  });

  it('reports the problems Compose or the host would meet', async () => {
    const api = await activeApi();
    await api.context.model.refresh();
    const doc = await vscode.workspace.openTextDocument(composeFile);
    const codes = await eventually(() => {
      const found = vscode.languages
        .getDiagnostics(doc.uri)
        .filter((d) => d.source === 'Docker Volumes')
        .map((d) => d.code as string);
      return found.includes('missingExternalVolume') ? found : undefined;
    }, 'diagnostics');
    for (const code of [
      'undeclaredVolume',
      'unusedVolume',
      'missingBindSource',
      'dockerSocketBind',
      'anonymousVolume',
      'missingExternalVolume',
    ]) {
      assert.ok(codes.includes(code), `${code} in ${codes.join(', ')}`);
    }
    const undeclared = vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'undeclaredVolume')!;
    assert.equal(undeclared.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(undeclared.range), 'cache:/cache');
    await testDocker().createVolume({ Name: 'vlab-fixture-external', Labels: { [TEST_LABEL]: '1' } });
    await eventually(
      () =>
        vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'missingExternalVolume') ? undefined : true,
      'external volume diagnostic gone',
    );
  });

  it('explains an entry on hover, with the same mount as a --mount flag', async () => {
    const doc = await vscode.workspace.openTextDocument(composeFile);
    const offset = doc.getText().indexOf('./src:/app') + 2;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      doc.positionAt(offset),
    );
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)))
      .join('\n');
    assert.match(text, /bind \.\/src → \/app/);
    assert.match(text, /--mount type=bind,src=\.\/src,dst=\/app/);
  });

  it('offers quick fixes: declare the volume, make a risky bind read-only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-fix-'));
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(
      file,
      'services:\n  app:\n    image: busybox\n    volumes:\n      - cache:/cache\n      - /etc:/host-etc\nvolumes:\n',
    );
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      const undeclared = await eventually(
        () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'undeclaredVolume'),
        'undeclared diagnostic',
      );
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        undeclared.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const declare = actions.find((a) => a.title === 'Declare volume "cache" under volumes:');
      assert.ok(declare?.edit, actions.map((a) => a.title).join(', '));
      assert.ok(await vscode.workspace.applyEdit(declare.edit));
      assert.match(doc.getText(), /volumes:\n {2}cache:/);
      await eventually(
        () => (vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'undeclaredVolume') ? undefined : true),
        'declared',
      );

      const sensitive = await eventually(
        () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'sensitiveBind'),
        'sensitive bind diagnostic',
      );
      const fixes = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        sensitive.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const readOnly = fixes.find((a) => a.title === 'Make this bind read-only (:ro)');
      assert.ok(readOnly?.edit);
      assert.ok(await vscode.workspace.applyEdit(readOnly.edit));
      assert.match(doc.getText(), /- \/etc:\/host-etc:ro/);

      // An anonymous volume gets a name and a declaration; a missing bind folder gets created.
      await vscode.workspace.applyEdit(
        (() => {
          const e = new vscode.WorkspaceEdit();
          e.insert(
            doc.uri,
            doc.positionAt(doc.getText().indexOf('      - /etc')),
            '      - /tmp/cachedir\n      - ./not-here:/x\n',
          );
          return e;
        })(),
      );
      const anonymous = await eventually(
        () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'anonymousVolume'),
        'anonymous diagnostic',
      );
      const nameIt = (
        await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          doc.uri,
          anonymous.range,
          vscode.CodeActionKind.QuickFix.value,
        )
      ).find((a) => a.title === 'Name it "app-cachedir" (and declare it)');
      assert.ok(nameIt?.edit);
      assert.ok(await vscode.workspace.applyEdit(nameIt.edit));
      assert.match(doc.getText(), /- app-cachedir:\/tmp\/cachedir/);
      assert.match(doc.getText(), /volumes:\n {2}app-cachedir:/);
      const missing = await eventually(
        () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'missingBindSource'),
        'missing folder diagnostic',
      );
      const create = (
        await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          doc.uri,
          missing.range,
          vscode.CodeActionKind.QuickFix.value,
        )
      ).find((a) => a.title === 'Create the folder ./not-here');
      assert.ok(create?.edit);
      assert.ok(await vscode.workspace.applyEdit(create.edit));
      assert.ok(fs.existsSync(path.join(dir, 'not-here')), 'folder created');
      await eventually(
        () => (vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'missingBindSource') ? undefined : true),
        'missing folder diagnostic gone',
      );
      // A host path outside the compose file's folder and the workspace is named in full and previewed.
      const outsideFolder = path.join(os.tmpdir(), uniqueName('vlab-outside'));
      await vscode.workspace.applyEdit(
        (() => {
          const e = new vscode.WorkspaceEdit();
          e.insert(
            doc.uri,
            doc.positionAt(doc.getText().indexOf('      - ./not-here')),
            `      - ${outsideFolder}:/y\n`,
          );
          return e;
        })(),
      );
      const far = await eventually(
        () =>
          vscode.languages
            .getDiagnostics(doc.uri)
            .find((d) => d.code === 'missingBindSource' && doc.getText(d.range).includes(outsideFolder)),
        'outside folder diagnostic',
      );
      const farFix = (
        await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          doc.uri,
          far.range,
          vscode.CodeActionKind.QuickFix.value,
        )
      ).find((a) => a.title.startsWith('Create the folder'));
      assert.equal(farFix?.title, `Create the folder ${outsideFolder} (outside the workspace)`);
      assert.equal(fs.existsSync(outsideFolder), false, 'nothing created by offering it');
      // A committed link beside the compose file that leads outside: judged, and named, by where it leads.
      const linkTarget = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-link-target-'));
      fs.symlinkSync(linkTarget, path.join(dir, 'linked'));
      try {
        await vscode.workspace.applyEdit(
          (() => {
            const e = new vscode.WorkspaceEdit();
            e.insert(
              doc.uri,
              doc.positionAt(doc.getText().indexOf('      - ./not-here')),
              `      - ./linked/made:/z\n`,
            );
            return e;
          })(),
        );
        const linked = await eventually(
          () =>
            vscode.languages
              .getDiagnostics(doc.uri)
              .find((d) => d.code === 'missingBindSource' && doc.getText(d.range).includes('./linked/made')),
          'linked folder diagnostic',
        );
        const linkedFix = (
          await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            doc.uri,
            linked.range,
            vscode.CodeActionKind.QuickFix.value,
          )
        ).find((a) => a.title.startsWith('Create the folder'));
        const real = path.join(fs.realpathSync(linkTarget), 'made');
        assert.equal(linkedFix?.title, `Create the folder ${real} (outside the workspace, through ./linked/made)`);
        assert.equal(fs.existsSync(real), false, 'nothing created by offering it');
      } finally {
        fs.rmSync(linkTarget, { recursive: true, force: true });
      }
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the quotes of a quoted short entry it rewrites', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-fix-quoted-'));
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(
      file,
      'services:\n  app:\n    image: busybox\n    volumes:\n      - "/etc:/host-etc"\n      - \'/tmp/quoted\'\n',
    );
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      const fixFor = async (code: string, title: string) => {
        const diagnostic = await eventually(
          () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === code),
          `${code} diagnostic`,
        );
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          doc.uri,
          diagnostic.range,
          vscode.CodeActionKind.QuickFix.value,
        );
        const fix = actions.find((a) => a.title === title);
        assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
      };
      await fixFor('sensitiveBind', 'Make this bind read-only (:ro)');
      assert.match(doc.getText(), /- "\/etc:\/host-etc:ro"\n/);
      await fixFor('anonymousVolume', 'Name it "app-quoted" (and declare it)');
      assert.match(doc.getText(), /- 'app-quoted:\/tmp\/quoted'\n/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates a missing external volume from its quick fix, and the warning goes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-fix-ext-'));
    const file = path.join(dir, 'compose.yaml');
    const name = `vlab-fix-ext-${path
      .basename(dir)
      .slice(-6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, 'x')}`;
    fs.writeFileSync(
      file,
      `services:\n  app:\n    image: busybox\n    volumes:\n      - shared:/shared\nvolumes:\n  shared:\n    external: true\n    name: ${name}\n`,
    );
    try {
      const api = await activeApi();
      await api.context.model.refresh();
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      const missing = await eventually(
        () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'missingExternalVolume'),
        'missing external diagnostic',
      );
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        missing.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const create = actions.find((a) => a.title === `Create the external volume ${name}`);
      assert.ok(create?.command, actions.map((a) => a.title).join(', '));
      await vscode.commands.executeCommand(create.command.command, ...((create.command.arguments ?? []) as unknown[]));
      const info = await testDocker().getVolume(name).inspect();
      assert.equal(info.Name, name);
      await eventually(
        () =>
          vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'missingExternalVolume') ? undefined : true,
        'warning gone once the volume exists',
      );
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await testDocker()
        .getVolume(name)
        .remove()
        .catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
