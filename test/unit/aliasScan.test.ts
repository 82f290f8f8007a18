import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analysedOffThread,
  flowDepth,
  MAX_SYNC_FLOW_DEPTH,
  MERGE_KEY_BYTES,
  OFF_THREAD_BYTES,
  scanAliases,
} from '../../src/core/aliasScan';

/** A list of `items` bind entries anchored once and named by `services` services: the alias fan-out shape. */
function fanOut(items: number, services: number): string {
  const list = `x-v: &v\n${'  - ./a:/b\n'.repeat(items)}`;
  return `${list}services:\n${Array.from({ length: services }, (_, i) => `  s${i}: {volumes: *v}\n`).join('')}`;
}

const fixtures = path.resolve(__dirname, '../../../test/fixtures');
function composeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? composeFiles(full) : /\.ya?ml$/.test(d.name) ? [full] : [];
  });
}

describe('alias pre-scan (which compose files are analysed off the main thread)', () => {
  it('counts a file without aliases as its own length', () => {
    const text = 'services:\n  web:\n    image: nginx\n    volumes: [./site:/usr/share/nginx/html]\n';
    assert.deepEqual(scanAliases(text), { aliases: 0, mergeKeys: 0, expandedBytes: text.length });
  });

  it('adds, for each alias, the anchored block it repeats', () => {
    const text = fanOut(10, 4);
    const block = '&v\n' + '  - ./a:/b\n'.repeat(10);
    assert.deepEqual(scanAliases(text), { aliases: 4, mergeKeys: 0, expandedBytes: text.length + 4 * block.length });
  });

  it('takes the nearest anchor of the name before the alias, as YAML does, and counts merge keys', () => {
    const text = [
      'x-a: &c',
      '  image: one',
      '  volumes: [./a:/b, ./c:/d, ./e:/f]',
      'x-b: &c {image: two}',
      'services:',
      '  web:',
      '    <<: *c',
      '',
    ].join('\n');
    const scan = scanAliases(text);
    assert.equal(scan.aliases, 1);
    assert.equal(scan.mergeKeys, 1);
    assert.equal(scan.expandedBytes, text.length + '&c {image: two}\n'.length + MERGE_KEY_BYTES);
  });

  it('does not take a & or * inside a value for an anchor or an alias', () => {
    const text =
      'services:\n  web:\n    command: sh -c "echo 2*3 a&b"\n    healthcheck: {test: [CMD, curl, "http://x/?a=1&b=*"]}\n';
    assert.equal(scanAliases(text).aliases, 0);
    assert.equal(scanAliases(text).expandedBytes, text.length);
  });

  it('keeps every real compose file of the fixtures on the main thread, and sends a small alias-heavy one to the worker', () => {
    const real = [
      ...composeFiles(path.join(fixtures, 'compose-public')),
      ...composeFiles(path.join(fixtures, 'compose')),
    ];
    assert.ok(real.length > 20, `${real.length} real files`);
    for (const file of real) assert.equal(analysedOffThread(fs.readFileSync(file, 'utf8')), false, file);
    // 2.6 KiB naming a 40-entry list 100 times: 4,000 entries to analyse, lens and diagnose.
    const heavy = fanOut(40, 100);
    assert.ok(heavy.length < 4096, `${heavy.length} bytes`);
    assert.equal(analysedOffThread(heavy), true);
    // Hundreds of merge keys on a small file count too.
    const merges = `x-c: &c {image: nginx}\nservices:\n${Array.from({ length: 150 }, (_, i) => `  s${i}: {<<: *c}\n`).join('')}`;
    assert.ok(merges.length < OFF_THREAD_BYTES);
    assert.equal(analysedOffThread(merges), true);
    assert.equal(analysedOffThread('x'.repeat(OFF_THREAD_BYTES + 1)), true, 'a big file, aliases or not');
  });

  it('sends a small file of deeply nested flow collections to the worker', () => {
    assert.equal(flowDepth('a: [1, {b: [2]}]\nc: []'), 3);
    assert.equal(flowDepth('a: ]]] [x]'), 1, 'a closing bracket with nothing open counts for nothing');
    const nested = (n: number) => `services:\n  a:\n    volumes: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    assert.equal(analysedOffThread(nested(MAX_SYNC_FLOW_DEPTH)), false);
    const deep = nested(4000);
    assert.ok(deep.length < OFF_THREAD_BYTES && scanAliases(deep).aliases === 0);
    assert.equal(analysedOffThread(deep), true);
  });
});
