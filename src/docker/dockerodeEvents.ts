/** The Engine's event stream, read line by line for as long as the caller's signal allows. */
import type Dockerode from 'dockerode';
import type { EngineSession } from './dockerodeConnection';
import { describeEndpoint } from './endpoint';
import { DockerError, toDockerError } from './errors';
import { toEvent, type RawEvent } from './dockerodeMapping';
import type { DockerEvent } from '../core/engineTypes';

export async function watchEvents(
  session: EngineSession,
  filters: Record<string, string[]>,
  onEvent: (event: DockerEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const { docker } = await session.connect(signal);
  // The timeout bounds opening the stream only; once open, it lives until `signal` aborts.
  const whole = new AbortController();
  signal.addEventListener('abort', () => whole.abort(), { once: true });
  let opened = false;
  const stream = await session.request('GET /events (stream)', signal, (opening) => {
    opening.addEventListener(
      'abort',
      () => {
        if (!opened) whole.abort();
      },
      { once: true },
    );
    return docker.getEvents({ filters, abortSignal: whole.signal } as Dockerode.GetEventsOptions).then((s) => {
      opened = true;
      return s;
    });
  });
  return new Promise<void>((resolve, reject) => {
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        try {
          onEvent(toEvent(JSON.parse(line) as RawEvent));
        } catch {
          /* a malformed line is skipped */
        }
      }
    });
    const ended = () =>
      signal.aborted
        ? resolve()
        : reject(new DockerError('unreachable', 'The Docker event stream ended', 'GET /events'));
    stream.on('end', ended);
    stream.on('close', ended);
    stream.on('error', (err: unknown) =>
      signal.aborted ? resolve() : reject(toDockerError(err, 'GET /events', describeEndpoint(session.endpoint))),
    );
  });
}
