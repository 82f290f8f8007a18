/**
 * Command options that answer the user's questions in advance (skip a confirmation, accept a manifest's driver, lift
 * the restore limits, choose replace or merge) or make a destructive choice (stop and remove the containers holding a
 * volume, a retention that deletes backups, a folder to overwrite). The extension's own tests need them; anything else
 * that can run a command (another extension, a task's input, a keybinding or a link a repository suggests) must not
 * skip the questions, so outside test mode they are dropped and the user is asked. A caller inside the extension that
 * needs one of these answers calls the command's function or its flow directly, never through the command id.
 */

import { isOptionsArgument } from './commandArguments';

/** By command id: the options honoured only in test mode. Every other option stays (what to act on, where). */
export const TEST_ONLY_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  'volumesLab.volumes.remove': ['confirm', 'removeRunningContainers', 'removeStoppedContainers'],
  'volumesLab.volumes.prune': ['confirm', 'scope'],
  'volumesLab.containers.remove': ['confirm'],
  // A given folder and retention rule delete older backups in that folder.
  'volumesLab.backup.create': ['consistency', 'keep', 'folder'],
  'volumesLab.backup.dumpDatabase': ['keep', 'folder'],
  'volumesLab.backup.restore': [
    'acceptManifestDriver',
    'maxContentBytes',
    'maxEntries',
    'mode',
    'consistency',
    'confirm',
  ],
  'volumesLab.backup.delete': ['confirm'],
  'volumesLab.lab.run': ['confirm'],
  'volumesLab.lab.reset': ['confirm'],
  'volumesLab.lab.createFiles': ['overwrite', 'folder'],
  // An SELinux relabel changes the host folder's labels; a missing host folder is created without asking.
  'volumesLab.run.bindMount': ['selinux', 'createMissing'],
};

export function withoutTestOnlyOptions<O extends object, K extends keyof O>(
  options: O,
  testOnly: readonly K[],
  testMode: boolean,
): O {
  if (testMode) return options;
  const kept = { ...options };
  for (const key of testOnly) delete kept[key];
  return kept;
}

/**
 * A command's arguments as its handler may see them: outside test mode, the test-only options of `commandId` are
 * removed from each argument a handler reads as options (isOptionsArgument: first, or after a node), whatever its
 * prototype; nodes, URIs, names and lists stay.
 */
export function withoutTestOnlyArguments(commandId: string, args: readonly unknown[], testMode: boolean): unknown[] {
  const testOnly = TEST_ONLY_OPTIONS[commandId];
  if (testMode || !testOnly) return [...args];
  return args.map((arg) => (isOptionsArgument(arg) ? withoutTestOnlyOptions(arg, testOnly, false) : arg));
}
