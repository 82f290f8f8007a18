/** The image area of the Engine API: inspect, list and pull. */
import type Dockerode from 'dockerode';
import type { EngineSession } from './dockerodeConnection';
import { describeEndpoint } from './endpoint';
import { toDockerError } from './errors';
import { toImage } from './dockerodeMapping';
import type { ImageDetails } from '../core/engineTypes';

export async function inspectImage(session: EngineSession, ref: string, signal?: AbortSignal): Promise<ImageDetails> {
  const { docker } = await session.connect(signal);
  const raw = await session.request(`GET /images/${ref}/json`, signal, (abortSignal) =>
    docker.getImage(ref).inspect({ abortSignal } as unknown as Record<string, never>),
  );
  return toImage(raw.Id, raw.RepoTags ?? [], raw.Config);
}

export async function listImages(session: EngineSession, signal?: AbortSignal): Promise<ImageDetails[]> {
  const { docker } = await session.connect(signal);
  const raw = await session.request('GET /images/json', signal, (abortSignal) =>
    docker.listImages({ abortSignal } as Dockerode.ListImagesOptions),
  );
  return raw
    .filter((i) => (i.RepoTags ?? []).some((t) => t !== '<none>:<none>'))
    .map((i) => toImage(i.Id, i.RepoTags ?? [], undefined));
}

export async function pullImage(
  session: EngineSession,
  ref: string,
  onProgress: (status: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const { docker } = await session.connect(signal);
  const stream = await session.request(`POST /images/create?fromImage=${ref}`, signal, (abortSignal) =>
    docker.pull(ref, { abortSignal }),
  );
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null) =>
        err ? reject(toDockerError(err, `pull ${ref}`, describeEndpoint(session.endpoint))) : resolve(),
      (event: { status?: string; progress?: string; id?: string; error?: string }) => {
        if (event.error) return;
        onProgress([event.id, event.status, event.progress].filter(Boolean).join(' '));
      },
    );
  });
}
