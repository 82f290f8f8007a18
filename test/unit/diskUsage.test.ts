import * as assert from 'node:assert/strict';
import { normalizeDiskUsage } from '../../src/docker/diskUsage';

describe('normalizeDiskUsage', () => {
  it('reads the list shape of API < 1.52', () => {
    const df = normalizeDiskUsage({
      LayersSize: 5000,
      Images: [
        { Size: 3000, SharedSize: 1000, Containers: 1 },
        { Size: 2000, SharedSize: 500, Containers: 0 },
      ],
      Containers: [
        { SizeRw: 10, State: 'running' },
        { SizeRw: 30, State: 'exited' },
      ],
      Volumes: [
        { Name: 'db', UsageData: { Size: 700, RefCount: 1 } },
        { Name: 'old', UsageData: { Size: 300, RefCount: 0 } },
        { Name: 'nfs', UsageData: { Size: -1, RefCount: 0 } },
      ],
      BuildCache: [
        { Size: 50, InUse: false, Shared: false },
        { Size: 70, InUse: true, Shared: false },
      ],
    });
    assert.deepEqual(df.images, { count: 2, active: 1, size: 5000, reclaimable: 1500 });
    assert.deepEqual(df.containers, { count: 2, active: 1, size: 40, reclaimable: 30 });
    assert.deepEqual(df.volumes, { count: 3, active: 1, size: 1000, reclaimable: 300 });
    assert.deepEqual(df.buildCache, { count: 2, active: 1, size: 120, reclaimable: 50 });
    assert.deepEqual(df.volumeSizes.nfs, { size: -1, refCount: 0 }, 'non-local drivers keep -1: unknown');
  });

  it('reads the summary shape of API >= 1.52, with verbose items', () => {
    const df = normalizeDiskUsage({
      ImageUsage: { ActiveCount: 1, TotalCount: 4, TotalSize: 9000, Reclaimable: 4000 },
      ContainerUsage: { ActiveCount: 2, TotalCount: 3, TotalSize: 60, Reclaimable: 20 },
      VolumeUsage: {
        ActiveCount: 1,
        TotalCount: 2,
        TotalSize: 800,
        Reclaimable: 100,
        Items: [
          { Name: 'db', UsageData: { Size: 700, RefCount: 2 } },
          { Name: 'cache', UsageData: { Size: 100, RefCount: 0 } },
        ],
      },
      BuildCacheUsage: { ActiveCount: 0, TotalCount: 0, TotalSize: 0, Reclaimable: 0 },
    });
    assert.deepEqual(df.volumes, { count: 2, active: 1, size: 800, reclaimable: 100 });
    assert.deepEqual(df.images, { count: 4, active: 1, size: 9000, reclaimable: 4000 });
    assert.deepEqual(df.volumeSizes.db, { size: 700, refCount: 2 });
  });

  it('copes with empty and missing parts', () => {
    const df = normalizeDiskUsage({ Volumes: null, Images: null });
    assert.equal(df.volumes.count, 0);
    assert.deepEqual(df.volumeSizes, {});
    assert.equal(normalizeDiskUsage(undefined).images.count, 0);
  });
});
