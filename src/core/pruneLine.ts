/** True when the engine speaks `wanted` or newer; an unknown version counts as new. */
export function apiAtLeast(version: string | undefined, wanted: string): boolean {
  if (!version) return true;
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [c = 0, d = 0] = wanted.split('.').map(Number);
  return a > c || (a === c && b >= d);
}

/**
 * The `docker` arguments that remove the volumes a prune removes here. `docker volume prune` is shown
 * only where the engine gives it that meaning: before API 1.42 plain prune takes named volumes too and
 * has no way to keep them, so an "anonymous only" prune there is shown as the `docker volume rm` of the
 * exact volumes removed (as it is when the engine version is unknown).
 */
export function pruneCliArgs(scope: 'anonymous' | 'all', engineApi: string | undefined, label: string | undefined, planned: string[]): string[] {
  const filter = label ? ['--filter', `label=${label}`] : [];
  if (scope === 'all') return ['volume', 'prune', ...(apiAtLeast(engineApi, '1.42') ? ['--all'] : []), ...filter];
  if (engineApi && apiAtLeast(engineApi, '1.42')) return ['volume', 'prune', ...filter];
  return ['volume', 'rm', ...planned];
}
