import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelayMs } from '../src/retry.ts';

afterEach(() => vi.restoreAllMocks());

describe('backoffDelayMs', () => {
  it('doubles its ceiling per attempt up to the maximum, jittered below it', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1_000 };
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelayMs(a, opts))).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('stays finite and bounded however many attempts were made', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    expect(backoffDelayMs(10_000, { baseDelayMs: 2_000, maxDelayMs: 1_800_000 })).toBeCloseTo(1_798_200);
    // 2^9999 is Infinity, and 0 * Infinity NaN: a NaN wait would retry at once, forever.
    expect(backoffDelayMs(10_000, { baseDelayMs: 0, maxDelayMs: 1_000 })).toBe(0);
  });
});
