/**
 * The engine's version as a title shows it: major.minor ("20.10.24+dfsg1" → "20.10", "v28.0.0-rc.1" → "28.0"), which
 * is what decides the features and the API; the full version stays in the tooltip and the Output.
 */
export function shortEngineVersion(version: string): string {
  const numbers = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return numbers ? `${numbers[1]}.${numbers[2]}` : version.trim();
}
