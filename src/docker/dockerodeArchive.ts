/**
 * The archive area of the Engine API: helper containers that only mount a volume (never run), and the archive calls
 * that read and write files through them.
 */
import { PassThrough, pipeline, type Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type Dockerode from 'dockerode';
import type { EngineSession } from './dockerodeConnection';
import { DockerError, isNotFound } from './errors';
import { toContainer } from './dockerodeMapping';
import { SharedAttempt } from './sharedAttempt';
import type { ContainerSummary } from '../core/engineTypes';
import { LABELS } from '../core/labels';

/** The extension's own image for helper containers: an empty file system, imported, never pulled. */
export const HELPER_IMAGE = 'volumes-lab/helper:1';

/** What the daemon says of a path in a container (`HEAD …/archive`). */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** The helper image of one client: imported once if the daemon lacks it, again after a failed attempt. */
export class HelperImage {
  private readonly ready = new SharedAttempt<void>();

  ensure(session: EngineSession, docker: Dockerode, signal?: AbortSignal): Promise<void> {
    return this.ready.get(() => importHelperImage(session, docker, signal));
  }
}

/** Imports the helper image if the daemon lacks it: a tar with one marker file, no pull. */
async function importHelperImage(session: EngineSession, docker: Dockerode, signal?: AbortSignal): Promise<void> {
  try {
    await session.request(`GET /images/${HELPER_IMAGE}/json`, signal, (abortSignal) =>
      docker.getImage(HELPER_IMAGE).inspect({ abortSignal } as unknown as Record<string, never>),
    );
    return;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const pack = tar.pack();
  pack.entry(
    { name: 'volumes-lab-helper', mode: 0o644 },
    'Helper image of Docker Volumes Lab: never run, only mounts volumes for the archive API.\n',
  );
  pack.finalize();
  const [repo, tag] = HELPER_IMAGE.split(':');
  await session.request('POST /images/create?fromSrc=-', signal, async (abortSignal) => {
    const progress = await docker.importImage(
      pack as unknown as NodeJS.ReadableStream,
      {
        repo,
        tag,
        changes: ['CMD ["/volumes-lab-helper"]', `LABEL ${LABELS.helper}=image`],
        abortSignal,
      } as unknown as Record<string, unknown>,
    );
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(progress, (err) => (err ? reject(err) : resolve())),
    );
  });
}

export async function createVolumeHelper(
  session: EngineSession,
  helperImage: HelperImage,
  volume: string,
  options: { mountPath: string; readOnly: boolean },
  signal?: AbortSignal,
): Promise<string> {
  const { docker } = await session.connect(signal);
  await helperImage.ensure(session, docker, signal);
  const container = await session.request('POST /containers/create', signal, (abortSignal) =>
    docker.createContainer({
      Image: HELPER_IMAGE,
      Labels: { [LABELS.helper]: volume },
      NetworkDisabled: true,
      HostConfig: {
        NetworkMode: 'none',
        Mounts: [{ Type: 'volume', Source: volume, Target: options.mountPath, ReadOnly: options.readOnly }],
      },
      abortSignal,
    }),
  );
  return container.id;
}

export async function listVolumeHelpers(session: EngineSession, signal?: AbortSignal): Promise<ContainerSummary[]> {
  const { docker } = await session.connect(signal);
  const raw = await session.request('GET /containers/json?all=1&filters=label', signal, (abortSignal) =>
    docker.listContainers({ all: true, filters: { label: [LABELS.helper] }, abortSignal }),
  );
  return raw.map(toContainer);
}

export async function getArchive(
  session: EngineSession,
  containerId: string,
  archivePath: string,
  signal?: AbortSignal,
): Promise<Readable> {
  const { docker } = await session.connect(signal);
  const stream = await session.request(
    `GET /containers/${containerId.slice(0, 12)}/archive?path=${archivePath}`,
    signal,
    (abortSignal) => docker.getContainer(containerId).getArchive({ path: archivePath, abortSignal }),
  );
  // The HTTP response itself: destroying it (cancel) ends the transfer on the daemon too.
  return stream as unknown as Readable;
}

export async function putArchive(
  session: EngineSession,
  containerId: string,
  archivePath: string,
  tarStream: Readable,
  signal?: AbortSignal,
): Promise<void> {
  const { docker } = await session.connect(signal);
  await session.request(
    `PUT /containers/${containerId.slice(0, 12)}/archive?path=${archivePath}`,
    signal,
    (abortSignal, clock) => {
      // The upload lasts as long as its data (which may wait on other uploads): the daemon is timed from
      // the moment it has the whole body until it answers. A daemon that stops reading midway is left
      // to the caller's cancel.
      clock.pause();
      const upload = new PassThrough();
      upload.on('end', () => clock.restart());
      // pipeline, not pipe: when the source is destroyed (a failed or cancelled restore), the request body
      // must end with it, or the daemon waits for the rest of it and keeps the helper container locked.
      pipeline(tarStream, upload, () => undefined);
      return docker.getContainer(containerId).putArchive(upload, { path: archivePath, abortSignal });
    },
  );
}

export async function statPath(
  session: EngineSession,
  containerId: string,
  archivePath: string,
  signal?: AbortSignal,
): Promise<PathStat> {
  const { docker } = await session.connect(signal);
  // HEAD answers with the response itself (dockerode treats it as a stream): the stat is in a header.
  const response = (await session.request(
    `HEAD /containers/${containerId.slice(0, 12)}/archive?path=${archivePath}`,
    signal,
    (abortSignal) => docker.getContainer(containerId).infoArchive({ path: archivePath, abortSignal }),
  )) as unknown as { headers?: Record<string, string>; resume?: () => void };
  response.resume?.();
  const headers = response.headers ?? {};
  const encoded = headers['x-docker-container-path-stat'];
  if (!encoded) throw new DockerError('engine', `No stat for ${archivePath}`, 'HEAD archive');
  return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as PathStat;
}
