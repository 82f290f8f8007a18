import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { boundedSetting, SETTING_BOUNDS } from '../../src/core/settingBounds';

describe('numeric settings within bounds', () => {
  it('never lets a value typed into settings.json disable a guard', () => {
    const size = SETTING_BOUNDS['files.maxSizeMb'];
    const timeout = SETTING_BOUNDS['docker.timeout'];
    assert.equal(boundedSetting(1e12, size), 1024, 'a terabyte file limit is 1 GiB');
    assert.equal(boundedSetting(-1, size), 0);
    assert.equal(boundedSetting(-1, timeout), 1000, 'a negative timeout is not "no timeout"');
    assert.equal(boundedSetting(0, timeout), 1000);
    assert.equal(boundedSetting(1e12, timeout), 600_000);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '30000', null, undefined, {}])
      assert.equal(boundedSetting(bad, timeout), 15_000, JSON.stringify(bad) ?? 'undefined');
    assert.equal(boundedSetting(30_000, timeout), 30_000);
    assert.equal(boundedSetting(0, SETTING_BOUNDS['backup.scheduleIntervalHours']), 0.25);
    assert.equal(boundedSetting(100, SETTING_BOUNDS['backup.compressionLevel']), 9);
  });

  it('uses the bounds and defaults the manifest declares', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: {
        configuration:
          | { properties: Record<string, { minimum?: number; maximum?: number; default?: number }> }
          | { properties: Record<string, { minimum?: number; maximum?: number; default?: number }> }[];
      };
    };
    const sections = Array.isArray(manifest.contributes.configuration)
      ? manifest.contributes.configuration
      : [manifest.contributes.configuration];
    const properties = Object.assign({}, ...sections.map((s) => s.properties)) as Record<
      string,
      { minimum?: number; maximum?: number; default?: number }
    >;
    for (const [key, bounds] of Object.entries(SETTING_BOUNDS)) {
      const declared = properties[`volumesLab.${key}`];
      assert.ok(declared, key);
      assert.deepEqual({ min: declared.minimum, max: declared.maximum, fallback: declared.default }, bounds, key);
    }
  });
});
