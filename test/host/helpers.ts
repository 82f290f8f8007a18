import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';

/** The error messages commands showed, oldest first: read from the log, where each is written with its command. */
export function shownErrors(api: ExtensionApi): string[] {
  return api.context.log.failures.flatMap((entry) => /^volumesLab\.\S+ failed: ([^]*)$/.exec(entry)?.[1] ?? []);
}

export async function activeApi(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  return extension.activate();
}

/** Polls `probe` until it returns something other than undefined; fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A tree node as the tests look at it (the classes live in the extension's bundle). */
export interface Node extends vscode.TreeItem {
  nodeType: 'course' | 'group' | 'volume' | 'usage' | 'files' | 'entry';
  group?: { kind: string; rows: unknown[] };
  row?: {
    volume: { name: string; anonymous: boolean; labels: Record<string, string> };
    users: { containerName: string }[];
    size?: number;
  };
  volume?: { name: string };
  inside?: string;
}

export async function children(api: ExtensionApi, node?: Node): Promise<Node[]> {
  return await api.context.volumesTree.getChildren(node as never);
}

/** Every volume row in the tree, with the group it is in. */
export async function volumeRows(api: ExtensionApi): Promise<{ group: string; item: Node }[]> {
  const out: { group: string; item: Node }[] = [];
  for (const top of await children(api)) {
    if (top.nodeType === 'course') continue;
    if (top.nodeType === 'volume') out.push({ group: '', item: top });
    else for (const item of await children(api, top)) out.push({ group: top.group!.kind, item });
  }
  return out;
}

export async function findVolume(api: ExtensionApi, name: string): Promise<{ group: string; item: Node } | undefined> {
  return (await volumeRows(api)).find((r) => r.item.row?.volume.name === name);
}
