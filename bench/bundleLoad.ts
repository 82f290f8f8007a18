// BENCH bundle-load: loading dist/extension.js in a fresh Node process against loading dockerode the
// unbundled way (require from node_modules), which is what an extension without a bundle pays.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { benchLine, repeat } from './stats';

const root = path.resolve(__dirname, '../..');

// The bundle imports `vscode`, which only the extension host provides; loading the module only touches
// the classes our modules extend (no other API is used at module level), so this stand-in lets plain
// Node measure parsing and evaluation. Nothing here runs the extension.
const LOAD_BUNDLE = `
const Module = require('module'); const load = Module._load;
const standIn = { TreeItem: class {}, EventEmitter: class {}, Disposable: class {} };
Module._load = function (request, ...rest) {
  if (request === 'vscode') return standIn;
  return load.call(this, request, ...rest);
};
const t = process.hrtime.bigint(); require(${JSON.stringify(path.join(root, 'dist/extension.js'))});
process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
const LOAD_DOCKERODE = `
const t = process.hrtime.bigint(); require(${JSON.stringify(path.join(root, 'node_modules/dockerode'))});
process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;

const timeIn = (script: string) => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));

export async function benchBundleLoad(): Promise<string> {
  timeIn(LOAD_BUNDLE); timeIn(LOAD_DOCKERODE); // warm the file cache
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < 7; i++) {
    ours.push(...await repeat(1, () => timeIn(LOAD_BUNDLE)));
    baseline.push(...await repeat(1, () => timeIn(LOAD_DOCKERODE)));
  }
  return benchLine('bundle-load', 'ms', ours, baseline);
}
