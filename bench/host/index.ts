// Runs inside the real extension host for BENCH activate: reports how long our activation took.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';

export async function run(): Promise<void> {
  const api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
  const firstConnectionMs = await api.firstConnection;
  const state = api.context.daemon.state.kind;
  if (state !== 'reachable') throw new Error(`daemon ${state}`);
  const result = { passes: 1, failures: 0, activationMs: api.activationMs, firstConnectionMs };
  for (const file of [process.env.EXT_TEST_RESULT_FILE, process.env.BENCH_RESULT_FILE]) {
    if (file) fs.writeFileSync(file, JSON.stringify(result));
  }
}
