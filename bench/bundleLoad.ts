// BENCH bundle-load: loading dist/extension.js in a fresh Node process against loading dockerode the
// unbundled way (require from node_modules), which is what an extension without a bundle pays.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { benchLine, repeat } from './stats';

const root = path.resolve(__dirname, '../..');

// The bundle imports `vscode`, which only the extension host provides; loading the module only touches
// what our modules use at module level (classes they extend, constants such as CodeActionKind.QuickFix),
// so a stand-in whose every member answers any property lets plain Node measure parsing and evaluation.
// Its members are the names the bundle reads from `vscode`. Nothing here runs the extension.
const bundle = path.join(root, 'dist/extension.js');
const vscodeNames = () => [
  ...new Set([...fs.readFileSync(bundle, 'utf8').matchAll(/\bvscode(?:\d*|_exports)\.(\w+)/g)].map((m) => m[1]!)),
];
const loadBundle = (names: string[]) => `
const Module = require('module'); const load = Module._load;
const member = new Proxy(function () {}, {
  get: (_target, key) => key === 'prototype' ? {} : member,
  construct: () => ({}),
  apply: () => member,
});
const standIn = Object.fromEntries(${JSON.stringify(names)}.map(name => [name, member]));
Module._load = function (request, ...rest) {
  if (request === 'vscode') return standIn;
  return load.call(this, request, ...rest);
};
const t = process.hrtime.bigint(); require(${JSON.stringify(bundle)});
process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
const LOAD_DOCKERODE = `
const t = process.hrtime.bigint(); require(${JSON.stringify(path.join(root, 'node_modules/dockerode'))});
process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;

const timeIn = (script: string) => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));

export async function benchBundleLoad(): Promise<string> {
  const bundleScript = loadBundle(vscodeNames());
  timeIn(bundleScript);
  timeIn(LOAD_DOCKERODE); // warm the file cache
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < 7; i++) {
    ours.push(...(await repeat(1, () => timeIn(bundleScript))));
    baseline.push(...(await repeat(1, () => timeIn(LOAD_DOCKERODE))));
  }
  return benchLine('bundle-load', 'ms', ours, baseline);
}
