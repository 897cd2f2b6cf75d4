import { isRetriable } from './errors.ts';

export interface RetryOptions {
  /** Attempts in all, the first included (Infinity: until it succeeds, gives up or is aborted). */
  attempts: number;
  /** Backoff before the second attempt; doubles each time up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Stops early when aborted: the pause ends at once and the last error is thrown. */
  signal?: AbortSignal;
  /** No attempt starts once this long has passed since the first began; the last error stands. */
  timeoutMs?: number;
  /**
   * 'full' (default): each pause is a random time up to the backoff, so that many clients do not
   * retry in step; 'none': exactly the backoff (a poll at a fixed pace when base = max).
   */
  jitter?: 'full' | 'none';
  /** Whether an error is worth another attempt (default: its `retriable` flag, isRetriable). */
  retryable?: (err: unknown) => boolean;
  /** Told of each failure that will be retried, before the pause (logging, cleaning up). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void | Promise<void>;
  /** Clock, pause and randomness; tests hand in their own. */
  timing?: RetryTiming;
}

/** What retry() reads the time with, waits with and draws its jitter from. */
export interface RetryTiming {
  now(): number;
  pause(ms: number, signal: AbortSignal | undefined): Promise<void>;
  random(): number;
}

const realTiming: RetryTiming = { now: () => Date.now(), pause, random: Math.random };

/**
 * The one retry helper (STYLE.md §4): calls `fn` until it succeeds, retrying an error that
 * `retryable` accepts (default: the error says it is retriable), with exponential backoff and full
 * jitter, within `attempts`, `timeoutMs` and `signal`. Once it gives up it throws the last error.
 * @example await retry(() => send(batch), { attempts: 5, baseDelayMs: 100, maxDelayMs: 5_000 })
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const timing = opts.timing ?? realTiming;
  const retryable = opts.retryable ?? isRetriable;
  const started = timing.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= opts.attempts || !retryable(err) || opts.signal?.aborted) throw err;
      const delayMs = backoffDelayMs(attempt, opts, timing.random);
      if (opts.timeoutMs !== undefined && timing.now() + delayMs - started >= opts.timeoutMs) throw err;
      await opts.onRetry?.(err, attempt, delayMs);
      await timing.pause(delayMs, opts.signal);
      if (opts.signal?.aborted) throw err;
    }
  }
}

/**
 * The pause after failed attempt number `attempt` (1 = the first): base × 2^(attempt-1), at most
 * maxDelayMs, and with full jitter (the default) uniform in [0, that). For callers that keep their own
 * schedule (a durable outbox stores the next attempt's time instead of sleeping).
 */
export function backoffDelayMs(
  attempt: number,
  opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.min(attempt - 1, 52));
  return opts.jitter === 'none' ? ceiling : random() * ceiling;
}

/** Waits `ms`, or less when `signal` aborts, so a stopping service is not held by a backoff or a poll. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
