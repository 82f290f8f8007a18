import type { DockerClient } from '../docker/client';
import type { Translator } from '../core/errorText';

/** What a container did right after it was started: it runs, or its command already ended. */
export type RunOutcome = { state: 'running' } | { state: 'exited'; exitCode: number; lastLine: string };

/**
 * How long a fresh container is watched before it is called running: an image's default command that
 * has nothing to do (`sh` without a terminal) ends within this time, and a learner must be told so.
 */
const SETTLE_MS = 600;
const POLL_MS = 100;

/** Watches a just-started container for a moment and says whether it still runs or how it ended. */
export async function observeRunOutcome(
  client: DockerClient,
  id: string,
  options: { settleMs?: number; signal?: AbortSignal } = {},
): Promise<RunOutcome> {
  const deadline = Date.now() + (options.settleMs ?? SETTLE_MS);
  for (;;) {
    const details = await client.inspectContainer(id, options.signal);
    if (!details.running)
      return { state: 'exited', exitCode: details.exitCode, lastLine: await lastLogLine(client, id, options.signal) };
    if (Date.now() >= deadline) return { state: 'running' };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The last non-empty line the container wrote (stdout or stderr), or '' when it wrote nothing. */
async function lastLogLine(client: DockerClient, id: string, signal?: AbortSignal): Promise<string> {
  try {
    const stream = await client.containerLogs(id, { follow: false, tail: 5 }, signal);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
    return (
      Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .at(-1) ?? ''
    );
  } catch {
    return ''; // the outcome stands without its last words
  }
}

/** The sentence that reports an outcome, with the equivalent CLI line. */
export function runOutcomeText(name: string, outcome: RunOutcome, cli: string, l10n: Translator): string {
  if (outcome.state === 'running') return l10n.t('Container {0} started. The same from a terminal: {1}', name, cli);
  const lastWords = outcome.lastLine
    ? l10n.t('Container {0} exited with code {1}; its last output: "{2}".', name, outcome.exitCode, outcome.lastLine)
    : l10n.t('Container {0} exited with code {1}, with no output.', name, outcome.exitCode);
  const advice = l10n.t(
    'A container lives as long as its command: give one that keeps running (e.g. sleep 3600) to keep it up. The same from a terminal: {0}',
    cli,
  );
  return `${lastWords} ${advice}`;
}
