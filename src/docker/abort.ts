/**
 * A signal that fires when `parent` aborts or after `timeoutMs`, and tells which of the two happened.
 * `pause()` stops the time and `restart()` starts it again from zero, for bounds that only hold in some
 * phases of a call (an upload is timed from the end of its body).
 * Written by hand because `AbortSignal.any` / `AbortSignal.timeout` are missing from older extension hosts.
 */
export interface TimeoutGuard {
  signal: AbortSignal;
  timedOut(): boolean;
  pause(): void;
  restart(): void;
  dispose(): void;
}

export function withTimeout(timeoutMs: number, parent?: AbortSignal): TimeoutGuard {
  const controller = new AbortController();
  let timedOut = false;
  let disposed = false;
  const onParentAbort = () => controller.abort();
  if (parent?.aborted) controller.abort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const arm = () =>
    timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs)
      : undefined;
  let timer = arm();
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    pause: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    restart: () => {
      if (disposed || controller.signal.aborted) return;
      if (timer) clearTimeout(timer);
      timer = arm();
    },
    dispose: () => {
      disposed = true;
      if (timer) clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/**
 * Settles with `work`, or rejects with an AbortError as soon as `signal` aborts, whether or not the work
 * itself listens to the signal. `abandon` receives what the work yields after it lost the race (a late
 * stream to destroy).
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal, abandon: (late: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      const err = new Error('The operation was aborted');
      err.name = 'AbortError';
      reject(err);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) abandon(value);
        else {
          settled = true;
          resolve(value);
        }
      },
      (err: Error) => {
        signal.removeEventListener('abort', onAbort);
        if (!settled) {
          settled = true;
          reject(err);
        }
      },
    );
  });
}
