import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cleanupTestObjects, containerUsing, TEST_LABEL, testDocker, uniqueName } from '../support/docker';
import { activeApi, eventually } from './helpers';

const composeFile = path.resolve(__dirname, '../../../test/fixtures/workspace/language/compose.yaml');
// The fixture as committed: the e2e tier copies this folder, so an edit saved by mistake would change what it sees.
const committed = fs.readFileSync(composeFile, 'utf8');

const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);
const lineOf = (doc: vscode.TextDocument, needle: string) => doc.positionAt(doc.getText().indexOf(needle)).line;

describe('compose volumes: language features with the live daemon', function () {
  this.timeout(90_000);
  const daemonVolume = uniqueName('vlab-lang');
  let doc: vscode.TextDocument;

  before(async () => {
    const api = await activeApi();
    await testDocker().createVolume({ Name: daemonVolume, Labels: { [TEST_LABEL]: '1' } });
    await containerUsing(daemonVolume);
    await api.context.model.refresh();
    doc = await vscode.workspace.openTextDocument(composeFile);
    await vscode.window.showTextDocument(doc);
  });
  /**
   * Every test edits the open document only: put the fixture back as it is on disk. A dirty editor closed in a test
   * window would be saved (its dialog takes the default answer), hence also before closing.
   */
  const revertEdits = async () => {
    if (!doc.isDirty) return;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  };
  afterEach(revertEdits);
  after(async () => {
    await revertEdits();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await cleanupTestObjects();
    const onDisk = fs.readFileSync(composeFile, 'utf8');
    if (onDisk !== committed) {
      fs.writeFileSync(composeFile, committed);
      console.warn(`an edit of the language fixture was saved, and is undone: ${JSON.stringify(onDisk)}`);
    }
  });

  it('words each bind lens by what it binds: one file, a source folder', async () => {
    const titles = await eventually(async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        doc.uri,
        100,
      );
      const found = lenses.map((l) => l.command?.title ?? '');
      return found.some((t) => t.startsWith('bind ./static')) ? found : undefined;
    }, 'bind lenses');
    assert.ok(
      titles.includes(
        'bind ./settings.conf → /etc/app/settings.conf (read-only): one host file (a config), read live by the container',
      ),
      titles.join(' | '),
    );
    assert.ok(
      titles.includes('bind ./static → /srv/static: host folder, live in the container (code reload)'),
      titles.join(' | '),
    );
  });

  it('warns about a stateful service without a volume, and its quick fix mounts and declares one', async () => {
    const warning = await eventually(
      () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'statefulWithoutVolume'),
      'stateful warning',
    );
    assert.equal(warning.range.start.line, lineOf(doc, 'postgres:16'));
    assert.match(warning.message, /PostgreSQL keeps its data in \/var\/lib\/postgresql\/data/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      warning.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find(
      (a) => a.title === 'Keep /var/lib/postgresql/data in a named volume "db-data" (and declare it)',
    );
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(
      doc.getText(),
      /POSTGRES_PASSWORD: example\n {4}volumes:\n {6}- db-data:\/var\/lib\/postgresql\/data\n/,
    );
    assert.match(doc.getText(), /volumes:\n {2}db-data:\n {2}appdata:/);
    await eventually(
      () =>
        vscode.languages
          .getDiagnostics(doc.uri)
          .some((d) => d.code === 'statefulWithoutVolume' || d.code === 'undeclaredVolume')
          ? undefined
          : true,
      'warning gone',
    );
  });

  it('completes a volume entry with declared volumes and daemon volumes (size and users), and mount options', async () => {
    const edit = new vscode.WorkspaceEdit();
    const at = doc.positionAt(doc.getText().indexOf('  worker:'));
    edit.insert(doc.uri, at, '      - \n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const cursor = new vscode.Position(at.line, 8);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      cursor,
    );
    const declared = list.items.find((i) => labelOf(i) === 'appdata');
    assert.ok(declared, list.items.map(labelOf).join(', '));
    assert.match(declared.detail ?? '', /language_appdata/);
    const onDaemon = list.items.find((i) => labelOf(i) === daemonVolume);
    assert.ok(onDaemon, `${daemonVolume} in ${list.items.map(labelOf).join(', ')}`);
    assert.match(onDaemon.detail ?? '', /used by vlab-user/);
    assert.ok(onDaemon.additionalTextEdits?.some((e) => e.newText.includes(`${daemonVolume}:\n    external: true`)));

    const options = new vscode.WorkspaceEdit();
    options.insert(doc.uri, cursor, './static:/srv/x:');
    assert.ok(await vscode.workspace.applyEdit(options));
    const optionList = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      cursor.translate(0, './static:/srv/x:'.length),
      ':',
    );
    assert.deepEqual(
      ['ro', 'rw', 'z', 'Z', 'nocopy'].filter((o) => optionList.items.some((i) => labelOf(i) === o)),
      ['ro', 'rw', 'z', 'Z', 'nocopy'],
    );
  });

  it('completes a long entry: its keys, the keys of its nested volume map, its type, and volumes for its source', async () => {
    const complete = async (lines: string, column: number) => {
      const edit = new vscode.WorkspaceEdit();
      const at = doc.positionAt(doc.getText().indexOf('volumes:\n  appdata:'));
      edit.insert(doc.uri, at, lines);
      assert.ok(await vscode.workspace.applyEdit(edit));
      const cursorLine = at.line + lines.split('\n').length - 2;
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        new vscode.Position(cursorLine, column),
      );
      await revertEdits();
      return list.items;
    };
    // Inside the worker's long entry (after `target: /work`), at the entry's own indentation.
    const entryKeys = (await complete('        \n', 8)).map(labelOf);
    assert.deepEqual(
      ['read_only', 'bind', 'volume', 'tmpfs'].filter((k) => entryKeys.includes(k)),
      ['read_only', 'bind', 'volume', 'tmpfs'],
      entryKeys.join(', '),
    );
    const volumeKeys = (await complete('        volume:\n          \n', 10)).map(labelOf);
    assert.deepEqual(
      volumeKeys.filter((k) => k === 'nocopy' || k === 'subpath').sort(),
      ['nocopy', 'subpath'],
      volumeKeys.join(', '),
    );
    const types = (await complete('      - type: \n', 14)).map(labelOf);
    assert.deepEqual(
      ['volume', 'bind', 'tmpfs'].filter((t) => types.includes(t)),
      ['volume', 'bind', 'tmpfs'],
      types.join(', '),
    );
    const sources = await complete('      - type: volume\n        source: \n', 16);
    const onDaemon = sources.find((i) => labelOf(i) === daemonVolume);
    assert.ok(onDaemon, `${daemonVolume} in ${sources.map(labelOf).join(', ')}`);
    assert.match(onDaemon.detail ?? '', /used by vlab-user/);
    assert.ok(sources.some((i) => labelOf(i) === 'appdata'));
  });

  it("completes a top-level volume's keys, with NFS and CIFS driver_opts written out", async () => {
    const edit = new vscode.WorkspaceEdit();
    const end = doc.positionAt(doc.getText().length);
    edit.insert(doc.uri, end, '    ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(end.line, 4),
    );
    const labels = list.items.map(labelOf);
    assert.deepEqual(
      ['driver', 'driver_opts', 'external', 'name', 'labels'].filter((k) => labels.includes(k)),
      ['driver', 'driver_opts', 'external', 'name', 'labels'],
      labels.join(', '),
    );
    const nfs = list.items.find((i) => labelOf(i) === 'driver_opts (NFS)');
    assert.ok(nfs?.insertText instanceof vscode.SnippetString, labels.join(', '));
    assert.match(
      nfs.insertText.value,
      /type: nfs\n {2}o: "addr=\$\{1:nfs\.example\.lan\},rw,nfsvers=4"\n {2}device: ":/,
    );
    const cifs = list.items.find((i) => labelOf(i) === 'driver_opts (CIFS)');
    assert.ok(cifs?.insertText instanceof vscode.SnippetString);
    assert.match(cifs.insertText.value, /type: cifs\n {2}o: "addr=/);
  });

  it('completes host paths relative to the compose file', async () => {
    const edit = new vscode.WorkspaceEdit();
    const at = doc.positionAt(doc.getText().indexOf('  worker:'));
    edit.insert(doc.uri, at, '      - ./s\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(at.line, 11),
    );
    const labels = list.items.map(labelOf);
    assert.ok(labels.includes('./settings.conf') && labels.includes('./static/'), labels.join(', '));
  });

  it('goes to the declaration, finds every use, and renames a volume without touching binds', async () => {
    const use = doc.positionAt(doc.getText().indexOf('appdata:/srv') + 2);
    const definitions = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      use,
    );
    const target = definitions[0]!;
    assert.equal(
      'range' in target ? target.range.start.line : target.targetRange.start.line,
      lineOf(doc, '  appdata:\n'),
    );

    const references = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      doc.uri,
      use,
    );
    assert.deepEqual(
      references.map((r) => r.range.start.line).sort((a, b) => a - b),
      [lineOf(doc, 'appdata:/srv'), lineOf(doc, 'source: appdata'), lineOf(doc, '  appdata:\n')],
    );

    const rename = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      doc.uri,
      use,
      'appstore',
    );
    assert.ok(await vscode.workspace.applyEdit(rename));
    assert.match(doc.getText(), /- appstore:\/srv\/data/);
    assert.match(doc.getText(), /source: appstore/);
    assert.match(doc.getText(), /volumes:\n {2}appstore:\n$/);
    assert.match(
      doc.getText(),
      /- \.\/settings\.conf:\/etc\/app\/settings\.conf:ro\n {6}- \.\/static:\/srv\/static/,
      'binds untouched',
    );
  });

  it('says when a rename leaves the data of an existing volume behind', async () => {
    const api = await activeApi();
    await testDocker().createVolume({ Name: 'language_appdata', Labels: { [TEST_LABEL]: '1' } });
    const window = vscode.window as { showWarningMessage: (message: string, ...rest: unknown[]) => Thenable<unknown> };
    const saved = window.showWarningMessage;
    const warnings: string[] = [];
    window.showWarningMessage = (message: string, ...rest: unknown[]) => {
      // A long warning shows its first sentence; Details opens the rest, recorded too.
      const detail = rest[0] && typeof rest[0] === 'object' ? (rest[0] as { detail?: string }).detail : undefined;
      warnings.push(detail ? `${message} ${detail}` : message);
      return Promise.resolve(rest.includes('Details') ? 'Details' : undefined);
    };
    try {
      await api.context.model.refresh();
      const use = doc.positionAt(doc.getText().indexOf('appdata:/srv') + 2);
      await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
        'vscode.executeDocumentRenameProvider',
        doc.uri,
        use,
        'appstore',
      );
      assert.ok(
        warnings.some(
          (w) =>
            w.includes('Compose uses the volume language_appstore instead of language_appdata') &&
            w.includes('"name: language_appdata" under appstore'),
        ),
        warnings.join(' | '),
      );
    } finally {
      window.showWarningMessage = saved;
      await testDocker()
        .getVolume('language_appdata')
        .remove()
        .catch(() => undefined);
      await api.context.model.refresh();
    }
  });

  it('shows the live state of a named volume on hover, from the same snapshot as the lenses', async () => {
    const api = await activeApi();
    await testDocker().createVolume({ Name: 'language_appdata', Labels: { [TEST_LABEL]: '1' } });
    try {
      await api.context.model.refresh();
      const hover = async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          doc.uri,
          doc.positionAt(doc.getText().indexOf('appdata:/srv') + 2),
        );
        return hovers
          .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)))
          .join('\n');
      };
      const text = await eventually(async () => {
        const t = await hover();
        return /language_appdata exists/.test(t) ? t : undefined;
      }, 'live state in the hover');
      assert.match(text, /--mount type=volume,src=language_appdata,dst=\/srv\/data/);
    } finally {
      await testDocker()
        .getVolume('language_appdata')
        .remove()
        .catch(() => undefined);
      await api.context.model.refresh();
    }
  });

  it('links existing bind sources: the file opens, the folder is revealed', async () => {
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri);
    const byText = new Map(links.map((l) => [doc.getText(l.range), l.target?.toString() ?? '']));
    assert.equal(
      byText.get('./settings.conf'),
      vscode.Uri.file(path.join(path.dirname(composeFile), 'settings.conf')).toString(),
    );
    assert.match(byText.get('./static') ?? '', /^command:revealInExplorer/);
  });

  it('converts an entry to long syntax and back', async () => {
    const entry = doc.getText().indexOf('appdata:/srv/data');
    const range = new vscode.Range(doc.positionAt(entry), doc.positionAt(entry));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      range,
      vscode.CodeActionKind.RefactorRewrite.value,
    );
    const toLong = actions.find((a) => a.title === 'Convert to long syntax');
    assert.ok(toLong?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(toLong.edit));
    assert.match(doc.getText(), /- type: volume\n {8}source: appdata\n {8}target: \/srv\/data\n/);
    const back = (
      await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        range,
        vscode.CodeActionKind.RefactorRewrite.value,
      )
    ).find((a) => a.title === 'Convert to short syntax');
    assert.ok(back?.edit);
    assert.ok(await vscode.workspace.applyEdit(back.edit));
    assert.match(doc.getText(), /- appdata:\/srv\/data\n/);
  });
});
