import {
  decodeCustodyEvent,
  decodeSignedEvent,
  nodeEd25519,
  SigningKey,
  verifyEventSignature,
} from '@rxledger/events';
import { describe, expect, it } from 'vitest';
import { BatchRejectedError } from '../src/batch-rejected-error.ts';
import { type BatchContext, prepareBatch } from '../src/prepare-batch.ts';
import { type SignedBatch, signBatch } from '../src/sign-batch.ts';
import { SignedEventCache } from '../src/signed-event-cache.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const PARTY = '4012345000009';
const key = SigningKey.fromSeed(new Uint8Array(32).fill(7));
let ids = 0;
const ctx = (now = NOW): BatchContext => ({
  service: 'manufacturer',
  party: PARTY,
  site: '4012345000016',
  now,
  acceptTypes: ['COMMISSION', 'SHIP'],
  newEventId: () => `minted-${++ids}`,
});
const commission = (serial: string, extra: Record<string, unknown> = {}) => ({
  type: 'COMMISSION',
  items: [`(01)04012345123456(21)${serial}`],
  lot: 'L1',
  expiry: '271231',
  ...extra,
});
const sign = async (events: unknown[], cache: SignedEventCache, now = NOW, maxRecordBytes?: number) =>
  signBatch(await prepareBatch({ events }, ctx(now)), { party: PARTY, key, cache, maxRecordBytes });

async function refused(fn: () => Promise<unknown>): Promise<BatchRejectedError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof BatchRejectedError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('signBatch', () => {
  it('signs each event with the party key into a record that decodes to the normalized event', async () => {
    const cache = new SignedEventCache();
    const batch = await sign([commission('A', { eventId: 'e1' })], cache);
    expect(batch.eventIds).toEqual(['e1']);
    const signed = decodeSignedEvent(batch.entries[0]!.record);
    expect(verifyEventSignature(nodeEd25519, signed, key.verifyingKey)).toEqual({ ok: true });
    expect(decodeCustodyEvent(signed.event)).toMatchObject({ eventId: 'e1', party: PARTY, eventTime: NOW });
    expect(batch.entries[0]!.acknowledged).toBe(false);
    expect(cache.peek(PARTY, 'e1')).toBe(batch.entries[0]);
  });

  it('signs the new events of a batch once, over their root: each record verifies alone as SignedEvent v2', async () => {
    const cache = new SignedEventCache();
    const first = await sign([commission('A', { eventId: 'e1' })], cache);
    const batch = await sign(
      [commission('B'), commission('A', { eventId: 'e1' }), commission('C'), commission('D')],
      cache,
    );
    expect(batch.replayed).toBe(1);
    const records = batch.entries.map((e) => decodeSignedEvent(e.record));
    // The replayed event keeps its first record (a batch of one); the three new ones share one signature.
    expect(batch.entries[1]).toBe(first.entries[0]);
    expect(records[1]!.batch).toEqual({ index: 0, size: 1, path: [] });
    const fresh = [records[0]!, records[2]!, records[3]!];
    expect(fresh.map((r) => [r.batch!.index, r.batch!.size])).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    expect(new Set(fresh.map((r) => Buffer.from(r.signature).toString('hex'))).size).toBe(1);
    for (const r of records)
      expect(verifyEventSignature(nodeEd25519, r, key.verifyingKey)).toEqual({ ok: true });
  });

  it('lets other work run while it encodes, hashes and signs a 10,000-event batch', async () => {
    const prepared = await prepareBatch(
      { events: Array.from({ length: 10_000 }, (_, i) => commission(`T${i}`)) },
      ctx(),
    );
    let turns = 0;
    let running = true;
    const other = async () => {
      while (running) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        turns++;
      }
    };
    const done = other();
    const batch = await signBatch(prepared, { party: PARTY, key, cache: new SignedEventCache() });
    running = false;
    await done;
    expect(batch.entries).toHaveLength(10_000);
    // Encoding, the tree and the records are each more than one slice of work at this size.
    expect(turns).toBeGreaterThan(3);
  }, 60_000);

  it('reuses the first signing for a re-post of the same content, even a minute later without eventTime', async () => {
    const cache = new SignedEventCache();
    const first = await sign([commission('A', { eventId: 'e1' })], cache);
    const again = await sign([commission('A', { eventId: 'e1' })], cache, NOW + 60_000);
    expect(again.replayed).toBe(1);
    expect(again.entries[0]!.record.equals(first.entries[0]!.record)).toBe(true);
  });

  describe('after a key rotation', () => {
    const newKey = SigningKey.fromSeed(new Uint8Array(32).fill(8));
    const signNew = async (events: unknown[], cache: SignedEventCache, now: number) =>
      signBatch(await prepareBatch({ events }, ctx(now)), { party: PARTY, key: newKey, cache });

    it('signs a record Kafka never acknowledged again with the new key, over the very same event bytes', async () => {
      const cache = new SignedEventCache();
      // No eventTime: the service filled NOW in, and the retry a minute later must keep it.
      const first = await sign(
        [commission('A', { eventId: 'e1' }), commission('B', { eventId: 'e2' })],
        cache,
      );
      const again = await signNew([commission('A', { eventId: 'e1' })], cache, NOW + 60_000);
      expect(again).toMatchObject({ replayed: 0, resigned: 1 });
      const [old, resigned] = [first.entries[0]!, again.entries[0]!].map((e) => decodeSignedEvent(e.record));
      expect(resigned!.keyId).toBe(newKey.keyId);
      expect(again.entries[0]!.keyId).toBe(newKey.keyId);
      expect(Buffer.from(resigned!.event).equals(Buffer.from(old!.event))).toBe(true);
      expect(decodeCustodyEvent(resigned!.event)).toMatchObject({ eventId: 'e1', eventTime: NOW });
      expect(verifyEventSignature(nodeEd25519, resigned!, newKey.verifyingKey)).toEqual({ ok: true });
      expect(cache.peek(PARTY, 'e1')).toBe(again.entries[0]);
      // Signed once more with the new key, it is a plain replay from then on.
      const third = await signNew([commission('A', { eventId: 'e1' })], cache, NOW + 120_000);
      expect(third).toMatchObject({ replayed: 1, resigned: 0 });
      expect(third.entries[0]!.record.equals(again.entries[0]!.record)).toBe(true);
    });

    it('never signs an acknowledged record again: a retry republishes its bytes as they are', async () => {
      const cache = new SignedEventCache();
      const first = await sign([commission('A', { eventId: 'e1' })], cache);
      first.entries[0]!.acknowledged = true;
      const again = await signNew([commission('A', { eventId: 'e1' })], cache, NOW + 60_000);
      expect(again).toMatchObject({ replayed: 1, resigned: 0 });
      expect(again.entries[0]).toBe(first.entries[0]);
      expect(decodeSignedEvent(again.entries[0]!.record).keyId).toBe(key.keyId);
    });

    it('signs the retried and the new events of one post together under the new key', async () => {
      const cache = new SignedEventCache();
      const first = await sign(
        [commission('A', { eventId: 'e1' }), commission('B', { eventId: 'e2' })],
        cache,
      );
      first.entries[1]!.acknowledged = true;
      const again = await signNew(
        [
          commission('A', { eventId: 'e1' }),
          commission('B', { eventId: 'e2' }),
          commission('C', { eventId: 'e3' }),
        ],
        cache,
        NOW + 60_000,
      );
      expect(again).toMatchObject({ replayed: 1, resigned: 1 });
      expect(again.entries.map((e) => decodeSignedEvent(e.record).keyId)).toEqual([
        newKey.keyId,
        key.keyId,
        newKey.keyId,
      ]);
    });
  });

  it('answers 409 naming index and eventId when an eventId comes back with other content', async () => {
    const cache = new SignedEventCache();
    await sign([commission('A', { eventId: 'e1' })], cache);
    const err = await refused(() =>
      sign([commission('B', { eventId: 'e2' }), commission('A', { eventId: 'e1', lot: 'L2' })], cache),
    );
    expect(err.status).toBe(409);
    expect(err.issues).toEqual([{ index: 1, eventId: 'e1', reason: expect.stringMatching(/already used/) }]);
    expect(cache.peek(PARTY, 'e2')).toBeUndefined();
  });

  it('answers 409 for one eventId used twice in a batch with different content', async () => {
    const err = await refused(() =>
      sign([commission('A', { eventId: 'e1' }), commission('B', { eventId: 'e1' })], new SignedEventCache()),
    );
    expect(err.issues).toEqual([
      { index: 1, eventId: 'e1', reason: expect.stringMatching(/also used by events\[0\]/) },
    ]);
  });

  it('publishes an event repeated in one batch once and answers its id twice', async () => {
    const batch = await sign(
      [commission('A', { eventId: 'e1' }), commission('A', { eventId: 'e1' })],
      new SignedEventCache(),
    );
    expect(batch.eventIds).toEqual(['e1', 'e1']);
    expect(batch.entries).toHaveLength(1);
  });

  it('answers 400 for a record too large for Kafka, and caches nothing', async () => {
    const cache = new SignedEventCache();
    const err = await refused(() =>
      sign([commission('A', { eventId: 'small' }), commission('B')], cache, NOW, 150),
    );
    expect(err.status).toBe(400);
    expect(err.issues[0]).toMatchObject({ index: 0, field: '(event)' });
    expect(cache.size).toBe(0);
  });

  it('keeps parties apart: one eventId may be used by two parties', async () => {
    const cache = new SignedEventCache();
    await sign([commission('A', { eventId: 'e1' })], cache);
    const other = await signBatch(
      await prepareBatch(
        { events: [commission('B', { eventId: 'e1' })] },
        { ...ctx(), party: '9501101530003' },
      ),
      {
        party: '9501101530003',
        key,
        cache,
      },
    );
    expect(other.replayed).toBe(0);
  });

  it('refuses one of two requests that sign one eventId with different content at the same time', async () => {
    // The big batch is signed a few ms at a time; the small one comes and goes in between.
    const cache = new SignedEventCache();
    const fillers = Array.from({ length: 3_000 }, (_, i) => commission(`F${i}`));
    const big = await prepareBatch({ events: [commission('A', { eventId: 'x' }), ...fillers] }, ctx());
    const small = await prepareBatch({ events: [commission('B', { eventId: 'x' })] }, ctx());
    const outcomes = await Promise.allSettled([
      signBatch(big, { party: PARTY, key, cache }),
      signBatch(small, { party: PARTY, key, cache }),
    ]);
    const refusals = outcomes.filter((o) => o.status === 'rejected');
    expect(refusals).toHaveLength(1);
    expect((refusals[0] as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
    const won = outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<SignedBatch>;
    expect(cache.peek(PARTY, 'x')?.fingerprint).toBe(won.value.entries[0]!.fingerprint);
  });
});
