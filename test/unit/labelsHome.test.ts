import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { managedLabels } from '../../src/constants';
import { LABEL_PREFIX, LABELS } from '../../src/core/labels';

/**
 * What one room labels, another finds by the same label (a lab's reset by its module, the sweep of helpers, a clone's
 * source): every label of ours is written once, in core/labels.ts, and read from there.
 */
const root = path.resolve(__dirname, '../../..');

function sourceFiles(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? sourceFiles(path.join(folder, entry.name))
        : entry.name.endsWith('.ts')
          ? [path.join(folder, entry.name)]
          : [],
    );
}

describe('labels: one table of the labels the extension puts on what it creates', () => {
  it('holds every label of ours, each under the common prefix and each distinct', () => {
    const values = Object.values(LABELS);
    for (const label of values) assert.ok(label.startsWith(LABEL_PREFIX), label);
    assert.equal(new Set(values).size, values.length);
  });

  it('is the only place in src/ that spells a label of ours as a string', () => {
    // A quoted `volumes-lab.<word>`: the extension's id (`volumes-lab.docker-volumes-lab`) is not a label.
    const spelled = /['"`]volumes-lab\.(?!docker-volumes-lab['"`])[\w-]+/;
    const home = path.join(root, 'src/core/labels.ts');
    const elsewhere = sourceFiles(path.join(root, 'src'))
      .filter((file) => file !== home)
      .flatMap((file) =>
        fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${path.relative(root, file)}:${i + 1}`, line }))
          .filter(({ line }) => !/^\s*(\/\/|\*|\/\*)/.test(line) && spelled.test(line)),
      )
      .map(({ where, line }) => `${where}: ${line.trim()}`);
    assert.deepEqual(elsewhere, []);
  });

  it('labels what the extension creates as managed, and by module when a walkthrough made it', () => {
    assert.deepEqual(managedLabels(), { [LABELS.managed]: '1' });
    assert.deepEqual(managedLabels('m2'), { [LABELS.managed]: '1', [LABELS.module]: 'm2' });
  });
});
