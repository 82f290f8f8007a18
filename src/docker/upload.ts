/** Extraction into a volume through parallel archive uploads, and volume-to-volume copies. */
import * as os from 'node:os';
import { pipeline as pipelineAll } from 'node:stream/promises';
import type { DockerClient } from './client';
import { DockerError } from './errors';
import { HELPER_MOUNT, withVolumeArchive } from './helperContainer';
import type { Progress } from './tarCounting';
import { isLocalEndpoint } from './endpoint';
import type { TarEntry } from './tarHeaders';
import { TarRouter } from './tarRouter';
import { entryProblem } from './verify';

/**
 * How many uploads one extraction is split into. The daemon unpacks each upload in its own process, and
 * creating files is kernel work that one process does on one core: two uploads nearly halve the time of a
 * volume with many small files. A daemon on this machine has its cores; a remote one is assumed to have two.
 */
export function extractionStreams(client: DockerClient): number {
  const cores = isLocalEndpoint(client.endpoint) ? (os.availableParallelism?.() ?? os.cpus().length) : 2;
  return Math.max(1, Math.min(4, cores));
}

export interface UploadOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Uploads at once (default: extractionStreams). */
  parallel?: number;
}

/**
 * Extracts a tar stream (the last of `streams`, piped in order) into a volume through parallel archive
 * uploads, one never-started helper each (see TarRouter). With `check`, an entry that must not be restored
 * stops everything before any of its bytes reach the daemon. Any failure aborts every upload at once.
 */
export async function uploadIntoVolume(
  client: DockerClient,
  volume: string,
  streams: NodeJS.ReadableStream[],
  options: UploadOptions & { check?: boolean; maxContentBytes?: number; maxEntries?: number } = {},
): Promise<Progress & { contentBytes: number }> {
  const { signal } = options;
  const count = options.parallel ?? extractionStreams(client);
  let uploads: Promise<void>[] = [];
  const router = new TarRouter(count, {
    ...(options.check ? { check: (entry: TarEntry) => entryProblem(entry, 'restore') } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.maxContentBytes !== undefined ? { maxContentBytes: options.maxContentBytes } : {}),
    ...(options.maxEntries !== undefined ? { maxEntries: options.maxEntries } : {}),
    beforeLast: () => Promise.all(uploads.slice(1)),
  });
  const upload = new AbortController();
  let failure: unknown;
  let pipeFailure: unknown;
  let piped: Promise<void> | undefined;
  const fail = (err: unknown) => {
    failure ??= err;
    upload.abort();
    router.destroy();
    for (const output of router.outputs) output.destroy();
  };
  const onOuterAbort = () => fail(new DockerError('cancelled', 'Cancelled', 'archive upload'));
  signal?.addEventListener('abort', onOuterAbort, { once: true });
  const created = await Promise.allSettled(
    Array.from({ length: count }, () =>
      client.createVolumeHelper(volume, { mountPath: HELPER_MOUNT, readOnly: false }, signal),
    ),
  );
  const helpers = created.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  try {
    const refused = created.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (refused) throw refused.reason;
    uploads = router.outputs.map((output, i) => client.putArchive(helpers[i]!, HELPER_MOUNT, output, upload.signal));
    for (const pending of uploads) pending.catch(fail);
    piped = pipelineAll([...streams, router] as never[]).catch((err: unknown) => {
      pipeFailure = err;
      fail(err);
    });
    await Promise.all(uploads);
    await piped;
    if (failure !== undefined) throw failure as Error;
    return { ...router.progress, contentBytes: router.contentBytes };
  } catch (err) {
    // The archive's own failure (damaged, refused entry, too large) is the cause even when an upload, whose
    // body it ended, reported first; a premature close there is only the echo of our own abort.
    await piped;
    const echo = ['ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED'].includes(
      (pipeFailure as { code?: string } | undefined)?.code ?? '',
    );
    const cancelled = failure instanceof DockerError && failure.kind === 'cancelled';
    throw (pipeFailure !== undefined && !echo && !cancelled ? pipeFailure : undefined) ?? failure ?? err;
  } finally {
    signal?.removeEventListener('abort', onOuterAbort);
    await Promise.all(helpers.map((helper) => client.removeContainer(helper, { force: true }).catch(() => undefined)));
  }
}

/** Copies one volume's content into another, archive stream to archive stream: no file, no running container. */
export async function copyVolumeContent(
  client: DockerClient,
  from: string,
  to: string,
  options: UploadOptions = {},
): Promise<Progress & { contentBytes: number }> {
  return withVolumeArchive(client, from, (archive) => uploadIntoVolume(client, to, [archive], options), options.signal);
}
