/** The container area of the Engine API: run, start, stop, remove, inspect, exec, attach, resize and logs. */
import { PassThrough, Readable, Writable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ExecOutcome, ExecStreams } from './client';
import type { EngineSession } from './dockerodeConnection';
import { DockerError } from './errors';
import { parseTmpfsSize, toApiMount, toMount, type RawMount } from './dockerodeMapping';
import type { ContainerDetails, ContainerRunSpec, MountRequest } from '../core/engineTypes';

export async function runContainer(
  session: EngineSession,
  spec: ContainerRunSpec,
  signal?: AbortSignal,
): Promise<{ id: string; name: string }> {
  const { docker } = await session.connect(signal);
  const binds = spec.mounts.filter(
    (m): m is Extract<MountRequest, { type: 'bind' }> => m.type === 'bind' && Boolean(m.selinux),
  );
  const exposed: Record<string, object> = {};
  const portBindings: Record<string, { HostPort: string }[]> = {};
  for (const p of spec.ports ?? []) {
    const key = `${p.container}/${p.protocol ?? 'tcp'}`;
    exposed[key] = {};
    portBindings[key] = [{ HostPort: String(p.host) }];
  }
  const container = await session.request('POST /containers/create', signal, (abortSignal) =>
    docker.createContainer({
      ...(spec.name ? { name: spec.name } : {}),
      Image: spec.image,
      ...(spec.command?.length ? { Cmd: spec.command } : {}),
      Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
      Labels: spec.labels ?? {},
      ExposedPorts: exposed,
      ...(spec.tty ? { Tty: true, OpenStdin: true, AttachStdin: true, AttachStdout: true, AttachStderr: true } : {}),
      HostConfig: {
        ...(spec.networkMode ? { NetworkMode: spec.networkMode } : {}),
        ...(spec.volumesFrom?.length ? { VolumesFrom: spec.volumesFrom } : {}),
        PortBindings: portBindings,
        Binds: binds.map(
          (b) => `${b.source}:${b.target}:${[b.readOnly ? 'ro' : '', b.selinux].filter(Boolean).join(',')}`,
        ),
        Mounts: spec.mounts.filter((m) => !binds.includes(m as never)).map(toApiMount),
      },
      abortSignal,
    } as unknown as Dockerode.ContainerCreateOptions),
  );
  try {
    if (spec.start !== false)
      await session.request(`POST /containers/${container.id.slice(0, 12)}/start`, signal, (abortSignal) =>
        container.start({ abortSignal } as Record<string, unknown>),
      );
  } catch (err) {
    // A container that cannot start (port taken, bad mount) is not left behind, even after a cancel.
    await session
      .request(`DELETE /containers/${container.id.slice(0, 12)}`, undefined, (abortSignal) =>
        container.remove({ force: true, abortSignal } as Record<string, unknown>),
      )
      .catch(() => undefined);
    throw err;
  }
  const info = await session.request(`GET /containers/${container.id.slice(0, 12)}/json`, signal, (abortSignal) =>
    container.inspect({ abortSignal } as Record<string, unknown>),
  );
  return { id: container.id, name: info.Name.replace(/^\//, '') };
}

export async function inspectContainer(
  session: EngineSession,
  id: string,
  signal?: AbortSignal,
): Promise<ContainerDetails> {
  const { docker } = await session.connect(signal);
  const raw = await session.request(`GET /containers/${id.slice(0, 12)}/json`, signal, (abortSignal) =>
    docker.getContainer(id).inspect({ abortSignal } as Record<string, unknown>),
  );
  const hostMounts = raw.HostConfig as {
    Mounts?: { Target?: string; Type?: string; TmpfsOptions?: { SizeBytes?: number; Mode?: number } }[];
    Tmpfs?: Record<string, string>;
    VolumesFrom?: string[] | null;
  };
  const mounts: ContainerDetails['mounts'] = (raw.Mounts as RawMount[]).map(toMount);
  // --tmpfs mounts (HostConfig.Tmpfs) are not in Mounts: add them, with their size.
  for (const [target, options] of Object.entries(hostMounts.Tmpfs ?? {})) {
    const size = /(?:^|,)size=([^,]+)/.exec(options)?.[1];
    mounts.push({
      type: 'tmpfs',
      source: '',
      destination: target,
      readOnly: /(?:^|,)ro(?:,|$)/.test(options),
      mode: options,
      propagation: '',
      ...(size ? { tmpfsSizeBytes: parseTmpfsSize(size) } : {}),
    });
  }
  for (const m of hostMounts.Mounts ?? []) {
    if (m.Type !== 'tmpfs') continue;
    const existing = mounts.find((x) => x.destination === m.Target);
    const details = {
      ...(m.TmpfsOptions?.SizeBytes ? { tmpfsSizeBytes: m.TmpfsOptions.SizeBytes } : {}),
      ...(m.TmpfsOptions?.Mode ? { tmpfsMode: m.TmpfsOptions.Mode } : {}),
    };
    if (existing) Object.assign(existing, details);
    else
      mounts.push({
        type: 'tmpfs',
        source: '',
        destination: m.Target ?? '',
        readOnly: false,
        mode: '',
        propagation: '',
        ...details,
      });
  }
  return {
    id: raw.Id,
    name: raw.Name.replace(/^\//, ''),
    image: raw.Config.Image,
    imageId: raw.Image,
    state: raw.State.Status,
    running: raw.State.Running,
    labels: raw.Config.Labels ?? {},
    env: raw.Config.Env ?? [],
    mounts,
    volumesFrom: hostMounts.VolumesFrom ?? [],
    exitCode: raw.State.ExitCode ?? 0,
  };
}

export async function exec(
  session: EngineSession,
  id: string,
  command: string[],
  signal?: AbortSignal,
): Promise<{ exitCode: number; output: string }> {
  const chunks: Buffer[] = [];
  const stdout = new PassThrough();
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const { exitCode, stderr } = await execStream(session, id, command, { stdout }, signal);
  return { exitCode, output: Buffer.concat(chunks).toString('utf8') + stderr };
}

export async function attach(
  session: EngineSession,
  id: string,
  signal?: AbortSignal,
): Promise<NodeJS.ReadWriteStream> {
  const { docker } = await session.connect(signal);
  const stream = await session.request(`POST /containers/${id.slice(0, 12)}/attach`, signal, () =>
    docker.getContainer(id).attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true }),
  );
  signal?.addEventListener('abort', () => (stream as unknown as { destroy(): void }).destroy(), { once: true });
  return stream;
}

export async function containerLogs(
  session: EngineSession,
  id: string,
  options: { follow: boolean; tail?: number },
  signal?: AbortSignal,
): Promise<Readable> {
  const { docker } = await session.connect(signal);
  const container = docker.getContainer(id);
  const tty = (
    await session.request(`GET /containers/${id.slice(0, 12)}/json`, signal, (abortSignal) =>
      container.inspect({ abortSignal } as Record<string, unknown>),
    )
  ).Config.Tty;
  const common = { stdout: true, stderr: true, ...(options.tail !== undefined ? { tail: options.tail } : {}) };
  const raw: Readable = options.follow
    ? ((await session.request(`GET /containers/${id.slice(0, 12)}/logs?follow=1`, signal, (abortSignal) =>
        container.logs({ ...common, follow: true, abortSignal } as Dockerode.ContainerLogsOptions & { follow: true }),
      )) as unknown as Readable)
    : Readable.from([
        await session.request(`GET /containers/${id.slice(0, 12)}/logs`, signal, (abortSignal) =>
          container.logs({ ...common, follow: false, abortSignal } as Dockerode.ContainerLogsOptions & {
            follow: false;
          }),
        ),
      ]);
  signal?.addEventListener('abort', () => raw.destroy(), { once: true });
  if (tty) return raw;
  const out = new PassThrough();
  docker.modem.demuxStream(raw, out, out);
  raw.on('end', () => out.end());
  raw.on('close', () => out.end());
  raw.on('error', (err: Error) => out.destroy(err));
  return out;
}

export async function execStream(
  session: EngineSession,
  id: string,
  command: string[],
  io: ExecStreams,
  signal?: AbortSignal,
): Promise<ExecOutcome> {
  const { docker } = await session.connect(signal);
  const container = docker.getContainer(id);
  const exec = await session.request(`POST /containers/${id.slice(0, 12)}/exec`, signal, (abortSignal) =>
    container.exec({
      Cmd: command,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: Boolean(io.stdin),
      ...(io.env?.length ? { Env: io.env } : {}),
      ...(io.user ? { User: io.user } : {}),
      abortSignal,
    }),
  );
  const stream = await session.request(`POST /exec/${exec.id.slice(0, 12)}/start`, signal, () =>
    exec.start({ hijack: true, stdin: Boolean(io.stdin) }),
  );
  let stderr = Buffer.alloc(0);
  const stderrSink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > 65536) stderr = stderr.subarray(stderr.length - 65536);
      callback();
    },
  });
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      stream.destroy();
      reject(new DockerError('cancelled', `${command[0] ?? 'exec'} cancelled`, 'exec'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (err?: Error) => {
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    docker.modem.demuxStream(stream, io.stdout, stderrSink);
    stream.on('end', () => finish());
    stream.on('error', finish);
    if (io.stdin) {
      // Half-close after the input: the daemon then closes the process's stdin, and its output ends the stream.
      io.stdin.on('error', finish);
      io.stdin.pipe(stream);
    }
  });
  const inspected = await session.request(`GET /exec/${exec.id.slice(0, 12)}/json`, signal, (abortSignal) =>
    exec.inspect({ abortSignal }),
  );
  return { exitCode: inspected.ExitCode ?? -1, stderr: stderr.toString('utf8') };
}

export async function startContainer(session: EngineSession, id: string, signal?: AbortSignal): Promise<void> {
  const { docker } = await session.connect(signal);
  await session.request(`POST /containers/${id.slice(0, 12)}/start`, signal, (abortSignal) =>
    docker.getContainer(id).start({ abortSignal } as Record<string, unknown>),
  );
}

export async function stopContainer(session: EngineSession, id: string, signal?: AbortSignal): Promise<void> {
  const { docker } = await session.connect(signal);
  await session.request(`POST /containers/${id.slice(0, 12)}/stop`, signal, (abortSignal) =>
    docker.getContainer(id).stop({ t: 10, abortSignal } as Record<string, unknown>),
  );
}

export async function removeContainer(
  session: EngineSession,
  id: string,
  options: { force?: boolean; removeVolumes?: boolean },
  signal?: AbortSignal,
): Promise<void> {
  const { docker } = await session.connect(signal);
  await session.request(`DELETE /containers/${id}`, signal, (abortSignal) =>
    docker.getContainer(id).remove({ force: options.force ?? false, v: options.removeVolumes ?? false, abortSignal }),
  );
}

export async function resizeTty(
  session: EngineSession,
  id: string,
  rows: number,
  columns: number,
  signal?: AbortSignal,
): Promise<void> {
  const { docker } = await session.connect(signal);
  await session.request(`POST /containers/${id.slice(0, 12)}/resize`, signal, (abortSignal) =>
    docker.getContainer(id).resize({ h: rows, w: columns, abortSignal } as Record<string, unknown>),
  );
}
