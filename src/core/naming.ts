/** Docker's rules for volume names, and how we show them. */

/** Docker names anonymous volumes with 64 lowercase hex characters. */
export function isAnonymousVolumeName(name: string): boolean {
  return /^[0-9a-f]{64}$/.test(name);
}

/** Anonymous names are unreadable at full length: show the first 12 characters, as `docker` does for ids. */
export function displayVolumeName(name: string): string {
  return isAnonymousVolumeName(name) ? `${name.slice(0, 12)}…` : name;
}

/** Docker's rule for volume names (the same as for container names). */
export const VOLUME_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export type VolumeNameProblem = 'empty' | 'tooShort' | 'badStart' | 'badCharacter' | 'exists';

/** What is wrong with a name for a new volume, if anything; `existing` are the names on the daemon. */
export function checkVolumeName(
  name: string,
  existing: Iterable<string> = [],
): { problem: VolumeNameProblem; character?: string } | undefined {
  if (!name) return { problem: 'empty' };
  if (!/^[a-zA-Z0-9]/.test(name)) return { problem: 'badStart' };
  const bad = [...name].find((c) => !/[a-zA-Z0-9_.-]/.test(c));
  if (bad) return { problem: 'badCharacter', character: bad };
  if (name.length < 2) return { problem: 'tooShort' };
  for (const e of existing) if (e === name) return { problem: 'exists' };
  return undefined;
}
