import { afterEach, describe, expect, it, vi } from 'vitest';
import { FoldWaits } from '../../src/answers/fold-waits.ts';

describe('FoldWaits: requests held until the fold decides them', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers after the commit that decides, asking again only when the fold commits', async () => {
    const waits = new FoldWaits();
    const fold = { decided: undefined as string | undefined };
    const decide = vi.fn(() => fold.decided);
    const held = waits.until(decide, 10_000);
    expect(decide).not.toHaveBeenCalled();
    waits.folded();
    expect(decide).toHaveBeenCalledTimes(1);
    expect(waits.size).toBe(1);
    fold.decided = 'ACCEPTED';
    waits.folded();
    await expect(held).resolves.toBe('ACCEPTED');
    expect(waits.size).toBe(0);
    waits.folded();
    expect(decide).toHaveBeenCalledTimes(2);
  });

  it('gives up after the wait, when the client goes away, and when the node closes', async () => {
    vi.useFakeTimers();
    const waits = new FoldWaits();
    const timed = waits.until(() => undefined, 1_000);
    const client = new AbortController();
    const gone = waits.until(() => undefined, 60_000, client.signal);
    const closing = waits.until(() => undefined, 60_000);
    expect(waits.size).toBe(3);
    vi.advanceTimersByTime(1_000);
    await expect(timed).resolves.toBeUndefined();
    client.abort();
    await expect(gone).resolves.toBeUndefined();
    waits.close();
    await expect(closing).resolves.toBeUndefined();
    expect(waits.size).toBe(0);
  });

  it('does not hold a request with no wait, an aborted one, or one past the bound', async () => {
    const waits = new FoldWaits({ max: 2 });
    await expect(waits.until(() => 'x', 0)).resolves.toBeUndefined();
    const aborted = new AbortController();
    aborted.abort();
    await expect(waits.until(() => 'x', 5_000, aborted.signal)).resolves.toBeUndefined();
    const first = waits.until(() => 'first', 5_000);
    const second = waits.until(() => 'second', 5_000);
    await expect(waits.until(() => 'third', 5_000)).resolves.toBeUndefined();
    waits.folded();
    await expect(Promise.all([first, second])).resolves.toEqual(['first', 'second']);
  });

  it('rejects the request whose judgement throws, and keeps the others waiting', async () => {
    const waits = new FoldWaits();
    let fail = false;
    const failing = waits.until(() => {
      if (fail) throw new Error('AMBIGUOUS_EVENT_ID');
      return undefined;
    }, 5_000);
    const other = waits.until(() => undefined, 5_000);
    fail = true;
    waits.folded();
    await expect(failing).rejects.toThrow('AMBIGUOUS_EVENT_ID');
    expect(waits.size).toBe(1);
    waits.close();
    await expect(other).resolves.toBeUndefined();
  });
});
