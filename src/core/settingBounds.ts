/**
 * Bounds of the numeric settings. The manifest's minimum/maximum only guide the Settings editor: a value
 * typed into settings.json (1e12, -1, "abc") reaches the code as it is, and would disable the guard it sets
 * (a file-size limit, a request timeout). Every numeric setting is read through `boundedSetting`; a unit test
 * keeps these figures equal to the manifest's.
 */
export interface NumberBounds {
  min: number;
  max: number;
  fallback: number;
}

export const SETTING_BOUNDS = {
  'docker.timeout': { min: 1000, max: 600_000, fallback: 15_000 },
  'files.maxSizeMb': { min: 0, max: 1024, fallback: 5 },
  'backup.compressionLevel': { min: 1, max: 9, fallback: 1 },
  'backup.scheduleIntervalHours': { min: 0.25, max: 24 * 366, fallback: 24 },
} as const satisfies Record<string, NumberBounds>;

/** A setting's value within its bounds; anything not a finite number is the default. */
export function boundedSetting(value: unknown, bounds: NumberBounds): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return bounds.fallback;
  return Math.min(bounds.max, Math.max(bounds.min, value));
}
