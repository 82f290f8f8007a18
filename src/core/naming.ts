/** Docker's rules for volume names, and how we show them. */

/** Docker names anonymous volumes with 64 lowercase hex characters. */
export function isAnonymousVolumeName(name: string): boolean {
  return /^[0-9a-f]{64}$/.test(name);
}

/** Anonymous names are unreadable at full length: show the first 12 characters, as `docker` does for ids. */
export function displayVolumeName(name: string): string {
  return isAnonymousVolumeName(name) ? `${name.slice(0, 12)}…` : name;
}
