import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

/**
 * The import rules between the rooms of src/ (eslint.config.mjs, README "Architecture"), run through ESLint
 * with the project's own config: each rule must still report its violation, and let the allowed imports be.
 * Type-aware rules are switched off here: these rules read import paths only.
 */
const root = path.resolve(__dirname, '../../..');
const RULE = '@typescript-eslint/no-restricted-imports';

let eslint: ESLint;

async function reported(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as x from '${source}';\nexport const y = x;\n`, {
    filePath: path.join(root, file),
  });
  assert.ok(result, 'a result');
  assert.deepEqual(
    result.messages.filter((m) => m.fatal),
    [],
    'the snippet parses',
  );
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('layers: import rules between rooms', function () {
  this.timeout(60000);

  before(() => {
    eslint = new ESLint({ cwd: root, overrideConfig: [tseslint.configs.disableTypeChecked] });
  });

  async function syntaxReports(file: string, text: string): Promise<string[]> {
    const [result] = await eslint.lintText(text, { filePath: path.join(root, file) });
    assert.deepEqual(
      (result?.messages ?? []).filter((m) => m.fatal),
      [],
      'the snippet parses',
    );
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
  }

  const refused: [file: string, source: string, why: RegExp][] = [
    ['src/core/cli.ts', 'vscode', /free of vscode/],
    ['src/core/cli.ts', '../docker/errors', /src\/core is pure/],
    ['src/core/cli.ts', '../services/daemonService', /src\/core is pure/],
    ['src/core/cli.ts', '../constants', /src\/core is pure/],
    ['src/docker/abort.ts', 'vscode', /free of vscode/],
    ['src/workers/composeAnalysis.ts', 'vscode', /free of vscode/],
    ['src/workers/composeAnalysis.ts', '../services/settings', /import only src\/core/],
    ['src/docker/abort.ts', '../services/daemonService', /src\/docker imports only/],
    ['src/docker/abort.ts', '../log', /src\/docker imports only/],
    ['src/log.ts', './commands/registry', /shared src\/\*\.ts files/],
    ['src/constants.ts', './commands/registry', /src\/constants.ts is imported by the flows/],
    ['src/constants.ts', './services/settings', /src\/constants.ts is imported by the flows/],
    ['src/constants.ts', './log', /src\/constants.ts is imported by the flows/],
    ['src/constants.ts', 'vscode', /free of vscode/],
    ['src/services/settings.ts', '../learn/walkthroughKeys', /src\/services may not import/],
    ['src/services/settings.ts', '../flows/runOutcome', /src\/services may not import/],
    ['src/flows/runOutcome.ts', 'vscode', /free of vscode/],
    ['src/flows/runOutcome.ts', '../commands/registry', /src\/flows import only/],
    ['src/flows/runOutcome.ts', '../views/volumesTree', /src\/flows import only/],
    ['src/flows/runOutcome.ts', '../services/backupFolder', /src\/flows import only/],
    ['src/flows/runOutcome.ts', '../log', /src\/flows import only/],
    ['src/views/documents.ts', '../commands/registry', /src\/views may not import/],
    ['src/views/documents.ts', '../lenses/compose', /src\/views may not import/],
    ['src/lenses/dockerfile.ts', '../views/volumesTree', /src\/lenses may not import/],
    ['src/learn/labProgress.ts', '../commands/labs', /src\/learn may not import/],
    ['src/commands/index.ts', '../extension', /src\/commands may not import/],
    // A path that climbs after naming an allowed room ends in another one.
    ['src/flows/runOutcome.ts', '../core/../services/progress', /climbs \(\.\.\) only at its start/],
    ['src/flows/runOutcome.ts', './x/../../log', /climbs \(\.\.\) only at its start/],
    ['src/services/settings.ts', '../docker/../commands/registry', /climbs \(\.\.\) only at its start/],
    ['src/docker/abort.ts', '../core/../../services/x', /climbs \(\.\.\) only at its start/],
    // A folder inside a room is still that room: its imports climb more than one level.
    ['src/services/sub/deeper.ts', '../../commands/backups', /src\/services may not import/],
    ['src/views/a/b/deeper.ts', '../../../commands/registry', /src\/views may not import/],
  ];
  for (const [file, source, why] of refused) {
    it(`refuses ${source} in ${file}`, async () => {
      const messages = await reported(file, source);
      assert.equal(messages.length, 1, `one report, got ${JSON.stringify(messages)}`);
      assert.match(messages[0]!, why);
    });
  }

  const allowed: [file: string, source: string][] = [
    ['src/core/cli.ts', './naming'],
    ['src/core/cli.ts', 'yaml'],
    ['src/docker/abort.ts', '../core/databases'],
    ['src/workers/composeAnalysis.ts', '../core/compose'],
    ['src/docker/abort.ts', './errors'],
    ['src/services/settings.ts', '../docker/client'],
    ['src/services/settings.ts', '../constants'],
    ['src/flows/runOutcome.ts', '../docker/client'],
    ['src/flows/runOutcome.ts', '../constants'],
    ['src/flows/runOutcome.ts', './flowDeps'],
    ['src/views/documents.ts', '../flows/labFacts'],
    ['src/learn/labProgress.ts', '../services/daemonService'],
    ['src/commands/index.ts', '../views/volumesTree'],
    ['src/extension.ts', './commands/registry'],
    ['src/services/sub/deeper.ts', '../../docker/client'],
    ['src/constants.ts', './core/labs'],
  ];
  it('lets each room import its own files and the rooms below it', async () => {
    for (const [file, source] of allowed) assert.deepEqual(await reported(file, source), [], `${source} in ${file}`);
  });

  /** The same path loaded by import() and by require(), which the import rules do not see. */
  const loaded = (source: string) =>
    [
      'export async function f(): Promise<unknown[]> {',
      `  const dynamic: unknown = await import('${source}');`,
      `  const required: unknown = require('${source}');`,
      '  return [dynamic, required];',
      '}',
      '',
    ].join('\n');
  it("refuses the same paths loaded by import() and require(), each with the room rule's reason", async () => {
    for (const [file, source, why] of refused) {
      const reports = await syntaxReports(file, loaded(source));
      assert.equal(reports.length, 2, `${source} in ${file}: ${JSON.stringify(reports)}`);
      for (const m of reports) assert.match(m, why, `${source} in ${file}`);
    }
  });
  it('lets each room load its own files and the rooms below it by import() and require()', async () => {
    for (const [file, source] of allowed)
      assert.deepEqual(await syntaxReports(file, loaded(source)), [], `${source} in ${file}`);
  });
  it('refuses a module loaded by a computed path, which no layer rule can read', async () => {
    const text = [
      'export async function f(room: string): Promise<unknown[]> {',
      '  const dynamic: unknown = await import(`../${room}/registry`);',
      "  const required: unknown = require('../' + room);",
      '  return [dynamic, required];',
      '}',
      '',
    ].join('\n');
    for (const file of ['src/services/settings.ts', 'src/commands/volumes.ts', 'src/core/cli.ts']) {
      const reports = await syntaxReports(file, text);
      assert.equal(reports.length, 2, `${file}: ${JSON.stringify(reports)}`);
      for (const m of reports) assert.match(m, /literal path/);
    }
  });

  describe('executeCommand: never on our own commands, and only ever called with the command named there', () => {
    const inFunction = (body: string) =>
      [
        "import * as vscode from 'vscode';",
        "import { COMMANDS, VIEWS } from '../constants';",
        'export async function f(id: string, a: boolean): Promise<unknown> {',
        `  ${body}`,
        '  return id;',
        '}',
        '',
      ].join('\n');
    const ownCommand = (reports: string[]) => reports.filter((m) => /No executeCommand on our own commands/.test(m));
    const refusedForms: [form: string, body: string][] = [
      ['a COMMANDS member', 'await vscode.commands.executeCommand(\n    COMMANDS.createVolume,\n    {},\n  );'],
      ['our id as a literal', "await vscode.commands.executeCommand<string>('volumesLab.volumes.prune');"],
      ['our id as a template', 'await vscode.commands.executeCommand(`volumesLab.${id}`);'],
      ['a variable', 'const own = COMMANDS.backupVolume;\n  await vscode.commands.executeCommand(own);'],
      ['a computed member', "await vscode.commands['executeCommand'](COMMANDS.backupVolume);"],
      ['an alias of COMMANDS', 'const C = COMMANDS;\n  await vscode.commands.executeCommand(C.refreshVolumes);'],
      ['a spread', 'await vscode.commands.executeCommand(...[COMMANDS.refreshVolumes]);'],
      ['a choice', 'await vscode.commands.executeCommand(a ? COMMANDS.refreshVolumes : COMMANDS.createVolume);'],
      ['a template that starts with a value', 'await vscode.commands.executeCommand(`${COMMANDS.refreshVolumes}`);'],
      ['a stored executeCommand', 'const run = vscode.commands.executeCommand;\n  await run(COMMANDS.refreshVolumes);'],
      ['a passed executeCommand', 'await Promise.resolve(vscode.commands.executeCommand).then((run) => run(id));'],
      ['a destructured executeCommand', 'const { executeCommand: run } = vscode.commands;\n  await run(id);'],
    ];
    for (const [form, body] of refusedForms) {
      it(`refuses ${form}, in every room`, async () => {
        for (const file of ['src/commands/volumes.ts', 'src/services/backupScheduler.ts', 'src/messages.ts']) {
          const reports = ownCommand(await syntaxReports(file, inFunction(body)));
          assert.equal(reports.length, 1, `${file}: ${JSON.stringify(reports)}`);
        }
      });
    }
    const allowedForms = [
      "await vscode.commands.executeCommand('workbench.action.openSettings', id);",
      'await vscode.commands.executeCommand(`workbench.${id}`);',
      "await vscode.commands.executeCommand('setContext', 'volumesLab.filtered', a);",
      'await vscode.commands.executeCommand(`${VIEWS.volumes}.focus`);',
    ];
    it('lets VS Code commands named where they run be', async () => {
      for (const body of allowedForms) {
        assert.deepEqual(ownCommand(await syntaxReports('src/commands/volumes.ts', inFunction(body))), [], body);
      }
    });
  });

  it('refuses import() and require() of vscode where vscode is forbidden, and lets the adapters load it', async () => {
    const text = [
      'export async function f(): Promise<unknown[]> {',
      "  const dynamic: unknown = await import('vscode');",
      "  const required: unknown = require('vscode');",
      '  return [dynamic, required];',
      '}',
      '',
    ].join('\n');
    for (const file of ['src/core/cli.ts', 'src/docker/abort.ts', 'src/flows/runOutcome.ts', 'src/workers/x.ts']) {
      const reports = await syntaxReports(file, text);
      assert.equal(reports.length, 2, `${file}: ${JSON.stringify(reports)}`);
      for (const m of reports) assert.match(m, /free of vscode/);
    }
    assert.deepEqual(await syntaxReports('src/services/settings.ts', text), []);
  });

  describe('command handlers stay short (max-lines-per-function at 40 in src/commands)', () => {
    /** A function written over `lines` lines, as `head` … `tail`, its body filler statements. */
    const written = (lines: number, head: string, tail: string) =>
      [head, ...Array.from({ length: lines - 2 }, (_, i) => `    void ${i};`), tail].join('\n');
    const forms: [form: string, text: (lines: number) => string][] = [
      ['a function declaration', (n) => `${written(n, 'export async function run(): Promise<void> {', '}')}\n`],
      [
        'an arrow in a command table',
        (n) => `export const table = {\n${written(n, '  run: async (): Promise<void> => {', '  },')}\n};\n`,
      ],
      ['a method', (n) => `export const table = {\n${written(n, '  async run(): Promise<void> {', '  },')}\n};\n`],
    ];
    const tooLong = async (file: string, text: string) => {
      const [result] = await eslint.lintText(text, { filePath: path.join(root, file) });
      assert.deepEqual(
        (result?.messages ?? []).filter((m) => m.fatal),
        [],
        'the snippet parses',
      );
      return (result?.messages ?? []).filter((m) => m.ruleId === 'max-lines-per-function').length;
    };
    for (const [form, text] of forms) {
      it(`refuses ${form} of 41 lines and takes one of 40`, async () => {
        assert.equal(await tooLong('src/commands/volumes.ts', text(41)), 1);
        assert.equal(await tooLong('src/commands/volumes.ts', text(40)), 0);
      });
    }
    it('counts blank lines and comments, as a reader sees them', async () => {
      const text = forms[0]![1](41).replace('    void 1;', '').replace('    void 2;', '    // a comment');
      assert.equal(await tooLong('src/commands/volumes.ts', text), 1);
    });
    it('leaves the other rooms to their own measure', async () => {
      assert.equal(await tooLong('src/views/documents.ts', forms[0]![1](41)), 0);
    });
  });

  it('refuses a file of src/ over 400 lines, and takes one of 400', async () => {
    const file = (lines: number) =>
      `${Array.from({ length: lines }, (_, i) => `export const n${i} = ${i};`).join('\n')}\n`;
    const overLong = async (text: string) => {
      const [result] = await eslint.lintText(text, { filePath: path.join(root, 'src/core/naming.ts') });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'max-lines').length;
    };
    assert.equal(await overLong(file(401)), 1);
    assert.equal(await overLong(file(400)), 0);
  });

  // Both syntax rules must hold together: a second `no-restricted-syntax` for the same files replaces the first.
  it('refuses a re-export and a direct notification in src/, and lets messages.ts notify', async () => {
    const text = [
      "import * as vscode from 'vscode';",
      "export { settings } from '../services/settings';",
      "void vscode.window.showInformationMessage('hi');",
      '',
    ].join('\n');
    const syntax = async (file: string) => {
      const [result] = await eslint.lintText(text, { filePath: path.join(root, file) });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
    };
    const inCommands = await syntax('src/commands/volumes.ts');
    assert.equal(inCommands.length, 2, JSON.stringify(inCommands));
    assert.ok(inCommands.some((m) => /No re-exports/.test(m)));
    assert.ok(inCommands.some((m) => /showNotice/.test(m)));
    const inMessages = await syntax('src/messages.ts');
    assert.deepEqual(inMessages.length, 1, JSON.stringify(inMessages));
    assert.match(inMessages[0]!, /No re-exports/);
  });
});
