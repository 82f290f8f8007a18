import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** One registered command handler and the length of the function that does its work. */
export interface MeasuredHandler {
  command: string;
  /** `file:function` of the function measured (the table's arrow itself when it calls nothing of ours). */
  at: string;
  lines: number;
}

interface Parsed {
  file: string;
  source: ts.SourceFile;
  functions: Map<string, ts.FunctionDeclaration>;
  /** Imported name → the file it comes from (relative imports only). */
  imports: Map<string, string>;
}

function parse(file: string): Parsed {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const functions = new Map<string, ts.FunctionDeclaration>();
  const imports = new Map<string, string>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) functions.set(statement.name.text, statement);
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const from = statement.moduleSpecifier.text;
      const bindings = statement.importClause?.namedBindings;
      if (!from.startsWith('.') || !bindings || !ts.isNamedImports(bindings)) continue;
      for (const element of bindings.elements)
        imports.set(element.name.text, path.resolve(path.dirname(file), `${from}.ts`));
    }
  }
  return { file, source, functions, imports };
}

function lineCount(node: ts.Node, source: ts.SourceFile): number {
  const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
  const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
  return end - start + 1;
}

/** The command id a table key names (`[COMMANDS.createVolume]` → `COMMANDS.createVolume`). */
function keyText(name: ts.PropertyName, source: ts.SourceFile): string {
  return ts.isComputedPropertyName(name) ? name.expression.getText(source) : name.getText(source);
}

/**
 * Every entry of every `Record<string, CommandHandler>` table under `dir`, measured: a function named in the table, or
 * the function an arrow entry calls (`(ctx, o) => createVolume(ctx, o as …)`), whichever is longer.
 */
export function measureCommandHandlers(dir: string): MeasuredHandler[] {
  const cache = new Map<string, Parsed>();
  const parsed = (file: string) => {
    if (!cache.has(file)) cache.set(file, parse(file));
    return cache.get(file)!;
  };
  const resolve = (name: string, from: Parsed): { at: Parsed; fn: ts.FunctionDeclaration } | undefined => {
    const local = from.functions.get(name);
    if (local) return { at: from, fn: local };
    const file = from.imports.get(name);
    if (!file || !fs.existsSync(file)) return undefined;
    const there = parsed(file);
    const fn = there.functions.get(name);
    return fn ? { at: there, fn } : undefined;
  };
  const measured: MeasuredHandler[] = [];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
  for (const name of files) {
    const here = parsed(path.join(dir, name));
    const visit = (node: ts.Node) => {
      if (
        ts.isVariableDeclaration(node) &&
        node.type?.getText(here.source).replace(/\s/g, '') === 'Record<string,CommandHandler>' &&
        node.initializer &&
        ts.isObjectLiteralExpression(node.initializer)
      ) {
        for (const property of node.initializer.properties) {
          if (!ts.isPropertyAssignment(property)) continue;
          const command = keyText(property.name, here.source);
          const value = property.initializer;
          const candidates: MeasuredHandler[] = [];
          const named = (id: ts.Identifier) => {
            const found = resolve(id.text, here);
            if (found)
              candidates.push({
                command,
                at: `${path.basename(found.at.file)}:${id.text}`,
                lines: lineCount(found.fn, found.at.source),
              });
          };
          if (ts.isIdentifier(value)) named(value);
          if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) {
            candidates.push({ command, at: `${name}:${command}`, lines: lineCount(value, here.source) });
            const calls = (n: ts.Node): void => {
              if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) named(n.expression);
              ts.forEachChild(n, calls);
            };
            calls(value.body);
          }
          const longest = candidates.sort((a, b) => b.lines - a.lines)[0];
          if (longest) measured.push(longest);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(here.source);
  }
  return measured;
}
