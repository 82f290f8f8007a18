import { managedLabels } from '../constants';
import type { Translator } from '../core/errorText';
import { execLine, testVolumeLine, volumeCreateLine } from '../core/cliActions';
import { maskSecretsInText } from '../core/networkVolumes';
import { classifyRunFailure, runCliLines, runRequest, type MountSpec, type RunDescription } from '../core/mounts';
import { DockerError, isNotFound } from '../docker/errors';
import type { FlowDeps } from './flowDeps';
import { observeRunOutcome, type RunOutcome } from './runOutcome';

/**
 * What every "Run Container with …" command accepts, so tests and walkthroughs can skip the prompts. Made
 * of the shown run's own fields (`RunDescription`), so none can be accepted and then dropped: the CLI lines
 * and the Engine request are both built from the description these fields go into.
 */
export type RunOptions = Partial<Omit<RunDescription, 'mounts' | 'workingDir' | 'detach'>> & {
  /** Label `volumes-lab.module` (walkthrough modules clean up by it). */
  module?: string;
};

export interface RunResult {
  id: string;
  name: string;
  cli: { short: string; long: string };
  /** Whether it still ran a moment after the start, or how it ended; absent for a container only created. */
  outcome?: RunOutcome;
}

export const DEFAULT_IMAGE = 'busybox';

/** Whether the daemon has `image`; other failures than "not found" are thrown. */
export async function imagePresent(deps: FlowDeps, image: string): Promise<boolean> {
  try {
    await deps.daemon.use((client) => client.inspectImage(image));
    return true;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return false;
  }
}

/** Pulls `image`; a failure (offline, unknown image) says so in words a learner can act on. */
export async function pullImageFlow(
  deps: FlowDeps,
  image: string,
  onStatus: (status: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await deps.daemon.use((client) => client.pullImage(image, onStatus, signal));
  } catch (err) {
    if (err instanceof DockerError && err.kind === 'cancelled') throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new DockerError(
      'engine',
      deps.l10n.t(
        'Image {0} is not on this Docker host and cannot be pulled ({1}). Pick a local image, or check the network.',
        image,
        reason,
      ),
      'pull',
      reason,
    );
  }
}

/** Creates the named volume unless it exists (Docker would on first use; explicit, so the log shows it). */
export async function ensureVolume(
  deps: FlowDeps,
  volume: string,
  existing: readonly string[],
  module?: string,
): Promise<void> {
  if (existing.includes(volume)) return;
  deps.log.cli(volumeCreateLine({ name: volume }, deps.daemon.cliTarget));
  await deps.daemon.use((client) => client.createVolume({ name: volume, labels: managedLabels(module) }));
}

/**
 * Runs a container as described (the image already present), logs its CLI lines, and watches its start
 * for `settleMs` (the default when undefined; 0: read once). Engine refusals come back in plain words.
 */
export async function runContainerFlow(
  deps: FlowDeps,
  options: RunOptions & { image: string },
  mounts: MountSpec[],
  workingDir?: string,
  settleMs?: number,
): Promise<RunResult> {
  const { module, image, networkMode, ...shown } = options;
  const description: RunDescription = {
    ...shown,
    image,
    mounts,
    ...(workingDir ? { workingDir } : {}),
    ...(networkMode ? { networkMode } : {}),
  };
  const cli = runCliLines(description, deps.daemon.cliTarget);
  deps.log.cli(cli.short);
  deps.log.cli(cli.long);
  try {
    const started = await deps.daemon.use((client) =>
      client.runContainer(runRequest(description, managedLabels(module))),
    );
    const outcome =
      description.start === false
        ? undefined
        : await deps.daemon.use((client) =>
            observeRunOutcome(client, started.id, settleMs !== undefined ? { settleMs } : {}),
          );
    return { ...started, cli, ...(outcome ? { outcome } : {}) };
  } catch (err) {
    if (err instanceof DockerError) throw explainRunError(err, options, deps.l10n);
    throw err;
  }
}

/** The engine's run errors in words a learner can act on. */
function explainRunError(err: DockerError, options: RunOptions, l10n: Translator): DockerError {
  const message = err.message;
  const failure = classifyRunFailure(message);
  if (failure === 'portInUse') {
    const ports = (options.ports ?? []).map((p) => p.host).join(', ');
    return new DockerError(
      'conflict',
      l10n.t('Port {0} is already in use on the host: pick another host port, or stop what uses it.', ports || '?'),
      err.operation,
      message,
    );
  }
  if (failure === 'nameTaken') {
    return new DockerError(
      'conflict',
      l10n.t(
        'A container named {0} already exists: choose another name, or remove that container.',
        options.name ?? '',
      ),
      err.operation,
      message,
    );
  }
  if (failure === 'bindSourceMissing') {
    const folder = message.replace(/^.*does not exist:\s*/i, '');
    return new DockerError('invalid', message, err.operation, message).because({
      id: 'bindSourceMissing',
      path: folder,
    });
  }
  return err;
}

export interface TestVolumeResult {
  volume: string;
  ok: boolean;
  /** `ls` of the mounted volume, or the engine's mount error. */
  detail: string;
}

/**
 * Mounts a volume in a throwaway container and lists it: for NFS / CIFS volumes this is the moment the
 * kernel really mounts the share, so a wrong address or credential shows here rather than in an app.
 * The image must be present. A mount refusal is a result (ok: false); an unreachable daemon is thrown.
 */
export async function testVolumeFlow(
  deps: FlowDeps,
  volume: string,
  run: { image: string; networkMode?: string; module?: string },
  ensureImage: (image: string) => Promise<void>,
): Promise<TestVolumeResult> {
  const { image, networkMode } = run;
  deps.log.cli(testVolumeLine(volume, { image, ...(networkMode ? { networkMode } : {}) }, deps.daemon.cliTarget));
  try {
    await ensureImage(image);
    const probe = await deps.daemon.use((client) =>
      client.runContainer({
        image,
        command: ['sleep', '60'],
        mounts: [{ type: 'volume', source: volume, target: '/probe', readOnly: true }],
        labels: managedLabels(run.module),
        ...(networkMode ? { networkMode } : {}),
      }),
    );
    try {
      const listing = await deps.daemon.use((client) => client.exec(probe.id, ['ls', '-la', '/probe']));
      return { volume, ok: listing.exitCode === 0, detail: listing.output.trim() };
    } finally {
      await deps.daemon.use((client) => client.removeContainer(probe.id, { force: true })).catch(() => undefined);
    }
  } catch (err) {
    if (!(err instanceof DockerError) || err.kind === 'unreachable' || err.kind === 'permissionDenied') throw err;
    // The daemon echoes a share's mount options, password included, in its mount errors.
    return { volume, ok: false, detail: maskSecretsInText(err.message) };
  }
}

export interface ShareResult {
  volume: string;
  writer: RunResult;
  reader: RunResult;
  /** What the reader saw of the writer's data. */
  readerSaw: string;
  /** The refusal when the reader tried to write (its exit code and message). */
  refusal: { exitCode: number; output: string };
}

/**
 * The sidecar lab: a writer appends log lines to a volume, a reader mounts the same volume read-only and
 * reads them; then the reader tries to delete the log, and the refusal is returned.
 */
export async function shareVolumeFlow(
  deps: FlowDeps,
  request: {
    volume: string;
    base: RunOptions & { image: string };
    writerTarget: string;
    readerTarget: string;
    writerName?: string;
  },
  run: (options: RunOptions & { image: string }, mounts: MountSpec[]) => Promise<RunResult>,
): Promise<Omit<ShareResult, 'volume'>> {
  const { base, writerTarget, readerTarget } = request;
  const suffix = Date.now().toString(36).slice(-4);
  const writer = await run(
    {
      ...base,
      name: request.writerName ?? `app-server-${suffix}`,
      command: [
        'sh',
        '-c',
        'while true; do echo "$(date) : User logged in" >> "$1/access.log"; sleep 2; done',
        'sh',
        writerTarget,
      ],
    },
    [{ type: 'volume', source: request.volume, target: writerTarget }],
  );
  const reader = await run(
    {
      ...base,
      name: `log-shipper-${suffix}`,
      command: ['sh', '-c', 'touch "$1/.ready" 2>/dev/null; while true; do sleep 3600; done', 'sh', readerTarget],
    },
    [{ type: 'volume', source: request.volume, target: readerTarget, readOnly: true }],
  );
  // Let the writer write once, then look from the reader, then try to write from the reader.
  let readerSaw = '';
  for (let i = 0; i < 20 && !readerSaw; i++) {
    await new Promise((r) => setTimeout(r, 250));
    readerSaw = (
      await deps.daemon.use((client) =>
        client.exec(reader.id, ['sh', '-c', 'tail -n 1 "$1/access.log" 2>/dev/null', 'sh', readerTarget]),
      )
    ).output.trim();
  }
  const tryDelete = ['rm', `${readerTarget}/access.log`];
  deps.log.cli(execLine(reader.name, tryDelete, deps.daemon.cliTarget));
  const refusal = await deps.daemon.use((client) => client.exec(reader.id, tryDelete));
  return { writer, reader, readerSaw, refusal };
}
