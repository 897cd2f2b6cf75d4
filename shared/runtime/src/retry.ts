import { isRetriable } from './errors.ts';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt; doubles each time up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Stops early when aborted. */
  signal?: AbortSignal;
}

/**
 * The one retry helper (STYLE.md §4): retries `fn` while the error says it is retriable, with
 * exponential backoff and full jitter so that many clients do not retry in step.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= opts.attempts || !isRetriable(err) || opts.signal?.aborted) throw err;
      await sleep(backoffDelayMs(attempt, opts), opts.signal);
      if (opts.signal?.aborted) throw err;
    }
  }
}

/**
 * The wait after failed attempt `attempt` (1 = the first): exponential backoff with full jitter,
 * uniform in [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))). For callers that keep their own
 * schedule (a durable outbox stores the next attempt's time instead of sleeping).
 */
export function backoffDelayMs(
  attempt: number,
  opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.min(attempt - 1, 52));
  return Math.random() * ceiling;
}

/** Waits `ms`, or less when `signal` aborts, so a stopping service is not held by a backoff. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
