import { describe, expect, it } from 'vitest';
import { backoffDelayMs, type RetryOptions, RxError, retry } from '../src/index.ts';

/** A clock that only moves when retry() pauses, and records each pause. */
function fakeTiming(random = 0.5) {
  const state = { now: 1_000, pauses: [] as number[] };
  return {
    state,
    timing: {
      now: () => state.now,
      pause: async (ms: number) => {
        state.pauses.push(ms);
        state.now += ms;
      },
      random: () => random,
    },
  };
}

const down = () => new RxError('DOWN', 'down', { retriable: true });

/** fn failing `failures` times with `error()`, then answering 'ok'; counts its calls. */
function failing(failures: number, error: () => unknown = down) {
  const calls = { n: 0 };
  const fn = async () => {
    calls.n++;
    if (calls.n <= failures) throw error();
    return 'ok';
  };
  return { calls, fn };
}

const base: RetryOptions = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('retry', () => {
  it('retries a retriable error with doubling pauses, capped, jittered by the random draw', async () => {
    const { state, timing } = fakeTiming(0.5);
    const { calls, fn } = failing(5);
    await expect(retry(fn, { ...base, timing })).resolves.toBe('ok');
    expect(calls.n).toBe(6);
    expect(state.pauses).toEqual([50, 100, 200, 400, 500]);
  });

  it('pauses exactly the backoff without jitter (a fixed-pace poll when base = max)', async () => {
    const { state, timing } = fakeTiming(0);
    const { fn } = failing(3);
    await retry(fn, { attempts: 10, baseDelayMs: 250, maxDelayMs: 250, jitter: 'none', timing });
    expect(state.pauses).toEqual([250, 250, 250]);
  });

  it('throws the last error once the attempts are spent', async () => {
    const { timing } = fakeTiming();
    let n = 0;
    const fn = async () => {
      throw new RxError('DOWN', `down ${++n}`, { retriable: true });
    };
    await expect(retry(fn, { ...base, attempts: 3, timing })).rejects.toThrow('down 3');
  });

  it('does not retry an error that is not retriable', async () => {
    const { state, timing } = fakeTiming();
    const { calls, fn } = failing(1, () => new RxError('BAD', 'bad input'));
    await expect(retry(fn, { ...base, timing })).rejects.toThrow('bad input');
    expect(calls.n).toBe(1);
    expect(state.pauses).toEqual([]);
  });

  it('lets the caller decide what is retryable', async () => {
    const { timing } = fakeTiming();
    const { calls, fn } = failing(2, () => new Error('plain'));
    await expect(retry(fn, { ...base, retryable: () => true, timing })).resolves.toBe('ok');
    expect(calls.n).toBe(3);
  });

  it('starts no attempt after timeoutMs and throws the last error', async () => {
    const { state, timing } = fakeTiming();
    const { calls, fn } = failing(100);
    const opts = { attempts: Infinity, baseDelayMs: 200, maxDelayMs: 200, jitter: 'none' as const };
    await expect(retry(fn, { ...opts, timeoutMs: 1_000, timing })).rejects.toThrow('down');
    // Pauses at 200, 400, 600, 800 ms; a fifth would end at 1,000 ms, the limit: no attempt there.
    expect(state.pauses).toEqual([200, 200, 200, 200]);
    expect(calls.n).toBe(5);
  });

  it('tells onRetry of each failure it retries, with the attempt and the pause', async () => {
    const { timing } = fakeTiming(1);
    const seen: Array<[string, number, number]> = [];
    const { fn } = failing(2);
    await retry(fn, {
      ...base,
      timing,
      onRetry: (err, attempt, delayMs) => {
        seen.push([(err as Error).message, attempt, delayMs]);
      },
    });
    expect(seen).toEqual([
      ['down', 1, 100],
      ['down', 2, 200],
    ]);
  });

  it('ends after the pause in which it was aborted, with the last error', async () => {
    const abort = new AbortController();
    const { timing } = fakeTiming();
    const { calls, fn } = failing(100);
    const pauseThenAbort = { ...timing, pause: async () => abort.abort() };
    await expect(
      retry(fn, { ...base, attempts: Infinity, signal: abort.signal, timing: pauseThenAbort }),
    ).rejects.toThrow('down');
    expect(calls.n).toBe(1);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the base up to the ceiling, and jitters within it', () => {
    const none = { baseDelayMs: 250, maxDelayMs: 10_000, jitter: 'none' as const };
    expect([1, 2, 3, 6, 7].map((a) => backoffDelayMs(a, none))).toEqual([250, 500, 1_000, 8_000, 10_000]);
    expect(backoffDelayMs(3, { baseDelayMs: 250, maxDelayMs: 10_000 }, () => 0.25)).toBe(250);
  });
});
