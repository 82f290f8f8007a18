import * as assert from 'node:assert/strict';
import { COMMANDS } from '../../src/constants';
import { TEST_ONLY_OPTIONS, withoutTestOnlyArguments, withoutTestOnlyOptions } from '../../src/core/testOnlyOptions';

describe('options that skip questions are honoured in test mode only', () => {
  const options = { target: 'data', mode: 'replace', acceptManifestDriver: true, maxEntries: 10 } as const;
  const testOnly = ['mode', 'acceptManifestDriver', 'maxEntries'] as const;

  it('drops them outside test mode, keeping what says what to act on', () => {
    assert.deepEqual(withoutTestOnlyOptions(options, testOnly, false), { target: 'data' });
  });

  it('keeps them when the extension runs its own tests', () => {
    assert.deepEqual(withoutTestOnlyOptions(options, testOnly, true), options);
  });

  it('never changes the caller object', () => {
    const given = { ...options };
    withoutTestOnlyOptions(given, testOnly, false);
    assert.deepEqual(given, options);
  });
});

describe('the table of test-only options, applied to every command call', () => {
  it('names only commands the extension has', () => {
    const ids = new Set<string>(Object.values(COMMANDS));
    for (const id of Object.keys(TEST_ONLY_OPTIONS)) assert.ok(ids.has(id), `${id} is a command`);
  });

  it('covers every option that skips a confirmation or stops and removes what holds a volume', () => {
    for (const id of [
      COMMANDS.removeVolume,
      COMMANDS.pruneVolumes,
      COMMANDS.removeContainer,
      COMMANDS.deleteBackup,
      COMMANDS.restoreBackup,
      COMMANDS.labRun,
      COMMANDS.labReset,
    ])
      assert.ok(TEST_ONLY_OPTIONS[id]?.includes('confirm'), `${id}: confirm`);
    assert.ok(TEST_ONLY_OPTIONS[COMMANDS.removeVolume]?.includes('removeRunningContainers'));
    assert.ok(TEST_ONLY_OPTIONS[COMMANDS.backupVolume]?.includes('keep'), 'a retention rule deletes backups');
    assert.ok(TEST_ONLY_OPTIONS[COMMANDS.labFiles]?.includes('overwrite'));
  });

  it('drops them from options given first or after a node outside test mode, and keeps what to act on', () => {
    const options = { names: ['data'], confirm: true, removeRunningContainers: true };
    assert.deepEqual(withoutTestOnlyArguments(COMMANDS.removeVolume, [options], false), [{ names: ['data'] }]);
    class Node {
      nodeType = 'backup';
      confirm = true; // a node's own fields are not options: a class instance is left as it is
    }
    const node = new Node();
    const [first, second] = withoutTestOnlyArguments(
      COMMANDS.deleteBackup,
      [node, { confirm: true, file: 'f' }],
      false,
    );
    assert.equal(first, node);
    assert.deepEqual(second, { file: 'f' });
    assert.deepEqual(withoutTestOnlyArguments(COMMANDS.labReset, ['volumesBasics'], false), ['volumesBasics']);
    assert.deepEqual(withoutTestOnlyArguments(COMMANDS.removeVolume, [undefined, [node]], false), [undefined, [node]]);
  });

  it('leaves every argument as given in test mode, and for commands with no such option', () => {
    const args = [{ names: ['data'], confirm: true }];
    assert.deepEqual(withoutTestOnlyArguments(COMMANDS.removeVolume, args, true), args);
    assert.deepEqual(withoutTestOnlyArguments(COMMANDS.inspectVolume, [{ confirm: true }], false), [{ confirm: true }]);
  });

  it('drops them from options of any prototype, as the handler reads them', () => {
    const given = { names: ['db'], confirm: true, removeRunningContainers: true };
    class RemoveOptions {
      names = ['db'];
      confirm = true;
      removeRunningContainers = true;
    }
    for (const options of [Object.assign(Object.create({}), given), Object.assign(Object.create(null), given)])
      assert.deepEqual(withoutTestOnlyArguments(COMMANDS.removeVolume, [options], false), [{ names: ['db'] }]);
    assert.deepEqual(withoutTestOnlyArguments(COMMANDS.removeVolume, [new RemoveOptions()], false), [
      { names: ['db'] },
    ]);
  });

  it('Run with Bind Mount asks about SELinux labels and a missing host folder outside test mode', () => {
    const options = { hostPath: '/srv/site', target: '/usr/share/nginx/html', selinux: 'Z', createMissing: true };
    assert.deepEqual(withoutTestOnlyArguments(COMMANDS.runWithBindMount, [options], false), [
      { hostPath: '/srv/site', target: '/usr/share/nginx/html' },
    ]);
  });
});
