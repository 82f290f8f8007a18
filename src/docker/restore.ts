/** Restoring an archive file into a new, replaced or merged volume, checked on the way and counted before use. */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { LABELS } from '../core/labels';
import { containersUsing } from '../core/volumeModel';
import type { DockerClient } from './client';
import { archiveReadError, checksumMismatchError } from './archiveErrors';
import { DockerError, isNotFound } from './errors';
import { HELPER_MOUNT, inShellContainer } from './helperContainer';
import { Sha256Tap, streamBroken } from './streams';
import type { Progress } from './tarCounting';
import { ArchiveTooLargeError } from './tarHeldFolders';
import { copyVolumeContent, uploadIntoVolume } from './upload';
import { countFromMountpoint, countWithShell, measureVolume } from './volumeCounting';

export type RestoreMode = 'new' | 'replace' | 'merge';

export interface RestorePlan {
  archive: string;
  target: string;
  /** new: create `target`; replace: empty it first; merge: add to what it holds. */
  mode: RestoreMode;
  /** From the manifest: checked while reading, before the target is touched. */
  expectedSha256?: string;
  /** Driver, options and labels for a new target (from the manifest). */
  create?: { driver?: string; driverOpts?: Record<string, string>; labels?: Record<string, string> };
  /** An image with `sh` and `find`, to empty a target that containers still refer to (replace). */
  shellImage?: string;
  /** Network mode for that helper ("none" on daemons without a bridge). */
  networkMode?: string;
  /** Labels for the temporary volume and helpers. */
  labels?: Record<string, string>;
  /** Uploads at once into the volume (default: extractionStreams). */
  parallel?: number;
  /** Regular-file bytes the archive may hold; past it the extraction stops (compression bombs). */
  maxContentBytes?: number;
  /** Entries the archive may hold; past it the extraction stops (millions of empty files exhaust inodes). */
  maxEntries?: number;
}

export interface RestoreResult {
  files: number;
  contentBytes: number;
  /** What the target holds afterwards (measured). */
  targetFiles: number;
  targetContentBytes: number;
}

/** Reads the archive once: checksum, gunzip and header checks all on the way into `volume`. */
async function extractChecked(
  client: DockerClient,
  plan: RestorePlan,
  volume: string,
  signal?: AbortSignal,
  onProgress?: (p: Progress) => void,
): Promise<{ files: number; contentBytes: number }> {
  const sha = new Sha256Tap();
  let extracted: { files: number; contentBytes: number };
  try {
    const source = fs.createReadStream(plan.archive, { highWaterMark: 1024 * 1024 });
    const { files, contentBytes } = await uploadIntoVolume(
      client,
      volume,
      [source, sha, zlib.createGunzip({ chunkSize: 1024 * 1024 })],
      {
        check: true,
        ...(signal ? { signal } : {}),
        ...(onProgress ? { onProgress } : {}),
        ...(plan.parallel ? { parallel: plan.parallel } : {}),
        ...(plan.maxContentBytes !== undefined ? { maxContentBytes: plan.maxContentBytes } : {}),
        ...(plan.maxEntries !== undefined ? { maxEntries: plan.maxEntries } : {}),
      },
    );
    extracted = { files, contentBytes };
  } catch (err) {
    if (signal?.aborted) throw new DockerError('cancelled', 'Restore cancelled', 'restore');
    if (err instanceof DockerError) throw err;
    if (err instanceof ArchiveTooLargeError)
      throw new DockerError('invalid', err.message, 'restore').because({
        id: 'archiveTooLarge',
        limit: err.limit,
        ...(err.what !== 'content' ? { what: err.what } : {}),
      });
    throw archiveReadError(err, plan.archive, 'restore') ?? streamBroken(err) ?? err;
  }
  const digest = sha.digest();
  if (plan.expectedSha256 && digest !== plan.expectedSha256)
    throw checksumMismatchError(plan.expectedSha256, digest, 'restore');
  return extracted;
}

/** Empties a volume that containers still refer to: `find -delete` in a short-lived container. */
async function emptyVolume(
  client: DockerClient,
  volume: string,
  plan: RestorePlan,
  signal?: AbortSignal,
): Promise<void> {
  const result = await inShellContainer(client, { volume, readOnly: false, plan, signal }, [
    'find',
    HELPER_MOUNT,
    '-mindepth',
    '1',
    '-maxdepth',
    '1',
    '-exec',
    'rm',
    '-rf',
    '{}',
    '+',
  ]);
  if (result.exitCode !== 0)
    throw new DockerError('engine', `Could not empty ${volume}: ${result.output.trim()}`, 'restore').because({
      id: 'couldNotEmpty',
      volume,
      output: result.output.trim(),
    });
}

/**
 * Counts what a volume holds the cheapest exact way available: its mountpoint, else `find` in a short-lived container,
 * else the whole volume streamed back through the archive API.
 */
async function countVolume(
  client: DockerClient,
  volume: string,
  plan: RestorePlan,
  signal?: AbortSignal,
): Promise<{ files: number; contentBytes: number }> {
  return (
    (await countFromMountpoint(client, volume, signal).catch(() => undefined)) ??
    (await countWithShell(client, volume, plan, signal).catch(() => undefined)) ??
    (await measureVolume(client, volume, signal))
  );
}

/** Fails when a volume does not hold what was read from the archive (exactly, or at least it when merged). */
function checkComplete(
  held: { files: number; contentBytes: number },
  extracted: { files: number; contentBytes: number },
  atLeast: boolean,
): void {
  const complete = atLeast
    ? held.files >= extracted.files
    : held.files === extracted.files && held.contentBytes === extracted.contentBytes;
  if (complete) return;
  throw new DockerError(
    'engine',
    `The restored volume holds ${held.files} entries (${held.contentBytes} bytes); the archive had ${extracted.files} (${extracted.contentBytes} bytes)`,
    'restore',
  ).because({
    id: 'restoredMismatch',
    files: held.files,
    bytes: held.contentBytes,
    expectedFiles: extracted.files,
    expectedBytes: extracted.contentBytes,
  });
}

/**
 * Removes a volume this restore created (its temporary volume, or a new target that failed), first removing any
 * container still holding it: only our helpers mount it,
 * and one whose removal failed or was still under way (a cancelled or failed upload, a loaded daemon) would otherwise
 * keep the volume, and its copy of the archive, for good.
 */
async function removeTemporaryVolume(client: DockerClient, volume: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await client.removeVolume(volume, { force: true });
      return;
    } catch {
      const holders = containersUsing(await client.listContainers({ all: true }).catch(() => []), volume);
      for (const holder of holders) await client.removeContainer(holder.id, { force: true }).catch(() => undefined);
      // A removal already under way (an auto-removed container) finishes on its own: give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
    }
  }
}

/**
 * Restores an archive. A new target is filled directly, counted, and removed again if anything fails or the count
 * disagrees with what was read; an existing target is touched only after the whole archive was read, checked,
 * extracted into a temporary volume and counted there.
 */
export async function restoreVolume(
  client: DockerClient,
  plan: RestorePlan,
  options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<RestoreResult> {
  const { signal, onProgress } = options;
  let extracted: { files: number; contentBytes: number };
  let after: { files: number; contentBytes: number };
  if (plan.mode === 'new') {
    // Creating a volume that exists succeeds silently in Docker: refuse it here, or "new" would merge.
    const existing = await client.inspectVolume(plan.target, signal).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (existing)
      throw new DockerError(
        'conflict',
        `Volume ${plan.target} already exists: restore into it with replace or merge, or choose a new name`,
        'restore',
      ).because({ id: 'targetExists', volume: plan.target });
    await client.createVolume(
      { name: plan.target, ...(plan.create ?? {}), labels: { ...(plan.create?.labels ?? {}) } },
      signal,
    );
    try {
      extracted = await extractChecked(client, plan, plan.target, signal, onProgress);
      after = await countVolume(client, plan.target, plan, signal);
      checkComplete(after, extracted, false);
    } catch (err) {
      await removeTemporaryVolume(client, plan.target);
      throw err;
    }
  } else {
    await client.inspectVolume(plan.target, signal); // notFound before anything else
    const temp = await client.createVolume(
      { labels: { ...(plan.labels ?? {}), [LABELS.restoreOf]: plan.target } },
      signal,
    );
    try {
      extracted = await extractChecked(client, plan, temp.name, signal, onProgress);
      // The temporary volume started empty: it must hold exactly what was read before any of it reaches the target
      // (an archive read one way by our checks and another by the daemon stops here).
      checkComplete(await countVolume(client, temp.name, plan, signal), extracted, false);
      if (plan.mode === 'replace') {
        const users = containersUsing(await client.listContainers({ all: true }, signal), plan.target);
        if (users.length === 0) {
          // Nobody refers to it: recreate it empty, with the same driver, options and labels.
          const spec = await client.inspectVolume(plan.target, signal);
          await client.removeVolume(plan.target, {}, signal);
          await client.createVolume(
            { name: spec.name, driver: spec.driver, driverOpts: spec.options, labels: spec.labels },
            signal,
          );
        } else {
          await emptyVolume(client, plan.target, plan, signal);
        }
      }
      await copyVolumeContent(client, temp.name, plan.target, {
        ...(signal ? { signal } : {}),
        ...(plan.parallel ? { parallel: plan.parallel } : {}),
      });
    } finally {
      await removeTemporaryVolume(client, temp.name);
    }
    // The copy itself is checked too: the target then holds the archive's content (and, merged, its own).
    after = await countVolume(client, plan.target, plan, signal);
    checkComplete(after, extracted, plan.mode === 'merge');
  }
  return { ...extracted, targetFiles: after.files, targetContentBytes: after.contentBytes };
}
