/** True when the engine speaks API `wanted` or newer; an unknown version counts as new. */
export function apiAtLeast(version: string | undefined, wanted: string): boolean {
  if (!version) return true;
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [c = 0, d = 0] = wanted.split('.').map(Number);
  return a > c || (a === c && b >= d);
}
