import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTEXT_VALUES, VIEWS } from '../../src/constants';

/**
 * Menus find tree items by their contextValue in `when` clauses; the items build it from CONTEXT_VALUES.
 * Each clause must match the items it is meant for and no other kind.
 */
const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, { command: string; when?: string }[]> };
};

const C = CONTEXT_VALUES;
/** Every contextValue a view can show, per view. */
const shown: Record<string, string[]> = {
  [VIEWS.volumes]: [
    C.course,
    C.files,
    C.entry(true),
    C.entry(false),
    C.usage(true),
    C.usage(false),
    ...['inUse', 'unused', 'anonymous', 'project', 'noProject', 'driver'].map(C.group),
    C.volume(true, false),
    C.volume(false, false),
    C.volume(true, true),
    C.volume(false, true),
  ],
  [VIEWS.mounts]: [
    C.container(true),
    C.container(false),
    ...['volume', 'bind', 'tmpfs', 'npipe', 'cluster'].map(C.mount),
  ],
  [VIEWS.backups]: [C.backupVolume, C.backup],
};

/** Evaluates the `viewItem` parts of a clause (the forms package.json uses: ==, =~ /re/, !(…)). */
function matches(when: string, viewItem: string): boolean {
  const terms = when
    .split('&&')
    .map((t) => t.trim())
    .filter((t) => t.includes('viewItem'));
  return terms.every((term) => {
    const negated = /^!\((.*)\)$/.exec(term);
    const inner = negated ? negated[1]! : term;
    const regex = /viewItem =~ \/(.*)\/$/.exec(inner);
    const equal = /viewItem == (\S+)$/.exec(inner);
    assert.ok(regex ?? equal, `a clause form this test reads: ${term}`);
    const hit = regex ? new RegExp(regex[1]!).test(viewItem) : viewItem === equal![1];
    return negated ? !hit : hit;
  });
}

function itemMenus(): { command: string; view: string; when: string }[] {
  return Object.values(manifest.contributes.menus)
    .flat()
    .filter((m): m is { command: string; when: string } => Boolean(m.when?.includes('viewItem')))
    .map((m) => ({ ...m, view: /view == (\S+)/.exec(m.when)?.[1] ?? '' }));
}

describe('contextValues and menu when clauses', () => {
  it('every item menu matches some item of its view', () => {
    const menus = itemMenus();
    assert.ok(menus.length > 20, 'the manifest has item menus');
    for (const m of menus) {
      assert.ok(shown[m.view], `${m.command}: a view with items (${m.view})`);
      assert.ok(
        shown[m.view]!.some((v) => matches(m.when, v)),
        `${m.command} shows on no item: ${m.when}`,
      );
    }
  });

  it('each value is built once, without a doubled part', () => {
    const all = Object.values(shown).flat();
    assert.equal(new Set(all).size, all.length);
    for (const v of all) assert.doesNotMatch(v, /(:[a-zA-Z]+)\1/, v);
  });

  it('bind-mount actions show on bind mounts only; named-volume actions skip anonymous volumes', () => {
    const bind = itemMenus().filter((m) => m.when.includes('mount:bind'));
    assert.ok(bind.length);
    for (const m of bind) {
      assert.deepEqual(
        shown[VIEWS.mounts]!.filter((v) => matches(m.when, v)),
        [C.mount('bind')],
      );
    }
    const named = itemMenus().filter((m) => m.when.includes('!(viewItem =~ /anonymous/)'));
    assert.ok(named.length);
    for (const m of named)
      assert.deepEqual(
        shown[VIEWS.volumes]!.filter((v) => matches(m.when, v)),
        [C.volume(true, false), C.volume(false, false)],
      );
  });

  it('prune shows on the unused and anonymous groups, not on volumes', () => {
    const prune = itemMenus().filter((m) => m.when.includes('^group:'));
    assert.ok(prune.length);
    for (const m of prune)
      assert.deepEqual(
        shown[VIEWS.volumes]!.filter((v) => matches(m.when, v)),
        [C.group('unused'), C.group('anonymous')],
      );
  });
});
