/**
 * Command options that answer the user's questions in advance (accept a manifest's driver, lift the restore limits,
 * choose replace or merge, skip a confirmation). The extension's own tests need them; anything else that can run a
 * command (another extension, a task's input, a keybinding a repository suggests) must not skip the questions, so
 * outside test mode they are dropped and the user is asked.
 */
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
