import { describe, expect, it } from 'vitest';
import { RxError, retry } from '../src/index.ts';

describe('retry', () => {
  it('stops waiting out its backoff when aborted, so a stopping service is not held', async () => {
    const abort = new AbortController();
    let attempts = 0;
    const done = retry(
      async () => {
        attempts++;
        // Abort while the helper is about to back off for up to a day: it must end now, not then.
        queueMicrotask(() => abort.abort());
        throw new RxError('DOWN', 'down', { retriable: true });
      },
      {
        attempts: Number.POSITIVE_INFINITY,
        baseDelayMs: 86_400_000,
        maxDelayMs: 86_400_000,
        signal: abort.signal,
      },
    );
    await expect(done).rejects.toThrow('down');
    expect(attempts).toBe(1);
  });
});
