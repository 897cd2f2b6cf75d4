// A signature worker that dies is replaced and its work done by the replacement; nothing waits forever.
import { nodeEd25519, SigningKey } from '@rxledger/events';
import { describe, expect, it } from 'vitest';
import { type SignatureJob, SignaturePool } from '../src/intake/signature-pool.ts';

/** `n` signatures of one key, every seventh of them broken. */
function jobs(n: number): { jobs: SignatureJob[]; expected: boolean[] } {
  const key = SigningKey.generate();
  const out: SignatureJob[] = [];
  const expected: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const message = new TextEncoder().encode(`custody event ${i}`);
    const signature = nodeEd25519.sign(key, message);
    if (i % 7 === 0) signature[0]! ^= 1;
    out.push({ key: key.verifyingKey.bytes, message, signature });
    expected.push(i % 7 !== 0);
  }
  return { jobs: out, expected };
}

describe('signature pool healing', () => {
  it('replaces a terminated worker and still answers every job of the verify it was working on', async () => {
    const deaths: Error[] = [];
    const pool = new SignaturePool(2, { onWorkerDied: (err) => deaths.push(err) });
    try {
      const { jobs: batch, expected } = jobs(2_000);
      const dead = pool.workers[0]!;
      const answer = pool.verify(batch);
      await dead.terminate();
      expect(await answer).toEqual(expected);
      expect(pool.workers[0]).not.toBe(dead);
      expect(deaths.map((e) => e.message)).toEqual(['signature worker 0 exited with code 1; replaced']);
      // The replacement takes new work too.
      const again = jobs(50);
      expect(await pool.verify(again.jobs)).toEqual(again.expected);
    } finally {
      await pool.close();
    }
  });

  it('rejects, retriable, a verify whose jobs killed two workers in a row', async () => {
    const pool: SignaturePool = new SignaturePool(1, {
      // The first replacement dies as soon as it took the jobs over.
      onWorkerDied: () => {
        if (deaths++ === 0) void pool.workers[0]!.terminate();
      },
    });
    let deaths = 0;
    try {
      const answer = pool.verify(jobs(500).jobs);
      void pool.workers[0]!.terminate();
      await expect(answer).rejects.toMatchObject({ code: 'WORKER_DIED', retriable: true });
      expect(deaths).toBe(2);
      const again = jobs(20);
      expect(await pool.verify(again.jobs)).toEqual(again.expected);
    } finally {
      await pool.close();
    }
  });

  it('rejects what is in flight when it closes, rather than leaving it pending', async () => {
    const pool = new SignaturePool(2);
    const answer = expect(pool.verify(jobs(500).jobs)).rejects.toMatchObject({
      code: 'POOL_CLOSED',
      retriable: true,
    });
    await pool.close();
    await answer;
  });
});
