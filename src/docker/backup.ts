/**
 * Backup of a volume through the Engine's archive API (verify.ts checks an archive, restore.ts restores it,
 * upload.ts clones a volume). No container runs for a backup or a clone: a helper container is created with the volume
 * mounted and never started; the
 * archive streams through Node (gzip on both cores) into the file. Archives hold `./…` entries, the same
 * layout as `tar czf … -C /data .`, so they are interchangeable with the course's CLI archives.
 */
import type { DockerClient } from './client';
import { DockerError } from './errors';
import { withVolumeArchive } from './helperContainer';
import { ParallelGzip, Sha256Tap, streamBroken, writeCompleteFile } from './streams';
import { TarCounter, type Progress } from './tarCounting';

export interface BackupResult {
  file: string;
  /** Bytes of the uncompressed tar stream. */
  tarBytes: number;
  /** Bytes of the regular files inside. */
  contentBytes: number;
  files: number;
  compressedBytes: number;
  sha256: string;
}

/** Writes `volume` to `file` (gzip-compressed tar of `./…` entries), complete or not at all. */
export async function backupVolume(
  client: DockerClient,
  volume: string,
  file: string,
  options: { level?: number; signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<BackupResult> {
  const counter = new TarCounter(options.onProgress ? { onProgress: options.onProgress } : {});
  const sha = new Sha256Tap();
  try {
    await withVolumeArchive(
      client,
      volume,
      (archive) =>
        writeCompleteFile(
          file,
          [counter, new ParallelGzip(options.level ?? 1), sha],
          archive,
          'Backup',
          options.signal,
        ),
      options.signal,
    );
  } catch (err) {
    if (options.signal?.aborted) throw new DockerError('cancelled', 'Backup cancelled', 'backup');
    throw streamBroken(err) ?? err;
  }
  return {
    file,
    tarBytes: counter.progress.bytes,
    contentBytes: counter.contentBytes,
    files: counter.progress.files,
    compressedBytes: sha.bytes,
    sha256: sha.digest(),
  };
}
