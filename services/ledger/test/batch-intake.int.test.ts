// Batch-signed records (SignedEvent v2) through the intake and the fold: one signature check per
// batch, every record still judged on its own bytes, its own key validity and its own broker time.
import {
  type CustodyEvent,
  encodeCustodyEvent,
  encodeSignedEvent,
  nodeEd25519,
  type SignedEvent,
  type SigningKey,
  signEventBatch,
} from '@rxledger/events';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchVerdicts } from '../src/intake/batch-verdicts.ts';
import { type ConsumedRecord, precheck } from '../src/intake/precheck.ts';
import { type SignatureJob, SignaturePool } from '../src/intake/signature-pool.ts';
import { tempLedger } from './support/temp-ledger.ts';
import { GLN, pack, T0, TestChain } from './support/test-chain.ts';

const commission = (n: number, eventTime = T0 + n * 1_000): CustodyEvent => ({
  type: 'COMMISSION',
  eventId: `b${n}`,
  eventTime,
  eventTimeOffsetMinutes: 0,
  party: GLN.maker,
  site: GLN.makerSite,
  items: [pack(n)],
  lot: 'L1',
  expiry: '281231',
});

function batchOf(key: SigningKey, events: CustodyEvent[]): SignedEvent[] {
  return signEventBatch(
    nodeEd25519,
    key,
    events.map((e) => encodeCustodyEvent(e)),
  );
}

describe('batch signatures at the intake', () => {
  const pool = new SignaturePool(2);
  afterAll(() => pool.close());
  const counted = () => {
    const calls: number[] = [];
    const verify = (jobs: SignatureJob[]) => {
      calls.push(jobs.length);
      return pool.verify(jobs);
    };
    return { calls, verify };
  };

  it('verifies a batch signature once for all its records, across consumer batches, and the fold appends them all', async () => {
    const chain = new TestChain();
    const ledger = tempLedger(chain.authority.verifyingKey);
    try {
      ledger.folder.fold([chain.record(chain.sign(chain.genesis(), chain.authority))]);
      const signed = batchOf(
        chain.maker,
        Array.from({ length: 200 }, (_, i) => commission(i)),
      );
      const records = signed.map((s) => chain.record(encodeSignedEvent(s)));
      const verdicts = new BatchVerdicts();
      const { calls, verify } = counted();
      const first = await precheck(records.slice(0, 120), ledger.folder.registry, verify, verdicts);
      const second = await precheck(records.slice(120), ledger.folder.registry, verify, verdicts);
      // One job for the 120 records of the first call; the second call's 80 reuse its verdict.
      expect(calls).toEqual([1, 0]);
      expect([...first.values(), ...second.values()].every((p) => p.verdict?.ok === true)).toBe(true);
      const pre = new Map([...first, ...second]);
      expect(ledger.folder.fold(records, pre)).toMatchObject({ appended: 200, rejected: 0 });
    } finally {
      ledger.close();
    }
  });

  it('refuses as BAD_SIGNATURE a record with the path of another batch, or a malformed position, and appends the rest', async () => {
    const chain = new TestChain();
    const ledger = tempLedger(chain.authority.verifyingKey);
    try {
      ledger.folder.fold([chain.record(chain.sign(chain.genesis(), chain.authority))]);
      const batchA = batchOf(chain.maker, [commission(1), commission(2), commission(3)]);
      const batchB = batchOf(chain.maker, [commission(11), commission(12), commission(13)]);
      const foreign = { ...batchA[1]!, batch: batchB[1]!.batch };
      const outside = { ...batchA[2]!, batch: { ...batchA[2]!.batch!, index: 3 } };
      const records = [batchA[0]!, foreign, outside, batchB[0]!].map((s) =>
        chain.record(encodeSignedEvent(s)),
      );
      const pre = await precheck(
        records,
        ledger.folder.registry,
        (jobs) => pool.verify(jobs),
        new BatchVerdicts(),
      );
      expect(records.map((r) => pre.get(r.offset)?.verdict?.ok)).toEqual([true, false, undefined, true]);
      expect(ledger.folder.fold(records, pre)).toMatchObject({ appended: 2, rejected: 2 });
      const rejected = ledger.store.rejections({ limit: 5 }).map((r) => [r.code, r.message]);
      expect(rejected).toEqual(
        expect.arrayContaining([
          [
            'BAD_SIGNATURE',
            expect.stringMatching(/^BAD_SIGNATURE: batch signature does not verify .* leaf 1 of 3/),
          ],
          ['BAD_SIGNATURE', expect.stringMatching(/^MALFORMED_BATCH: leafIndex 3 is not below batchSize 3/)],
        ]),
      );
    } finally {
      ledger.close();
    }
  });

  it('judges each record of a batch by its own broker time: records after the key is revoked are refused', async () => {
    const chain = new TestChain();
    const ledger = tempLedger(chain.authority.verifyingKey);
    try {
      const revokedAt = T0 + 3_600_000;
      ledger.folder.fold([chain.record(chain.sign(chain.genesis(), chain.authority), T0)]);
      const signed = batchOf(chain.maker, [commission(1, T0), commission(2, T0), commission(3, T0)]);
      const value = (i: number) => encodeSignedEvent(signed[i]!);
      const revoke = chain.sign(
        {
          type: 'REGISTRY',
          eventId: 'revoke',
          eventTime: revokedAt,
          eventTimeOffsetMinutes: 0,
          party: GLN.authority,
          site: GLN.authority,
          changes: [
            { kind: 'RevokeKey', gln: GLN.maker, keyId: chain.maker.keyId, revokedAt, reason: 'lost' },
          ],
        } as CustodyEvent,
        chain.authority,
      );
      const records: ConsumedRecord[] = [
        chain.record(value(0), revokedAt - 1_000),
        chain.record(revoke, revokedAt),
        chain.record(value(1), revokedAt + 1_000),
        chain.record(value(2), revokedAt - 500),
      ];
      const pre = await precheck(
        records,
        ledger.folder.registry,
        (jobs) => pool.verify(jobs),
        new BatchVerdicts(),
      );
      expect(ledger.folder.fold(records, pre)).toMatchObject({ appended: 2, rejected: 2 });
      expect(ledger.store.rejections({ limit: 5 }).map((r) => r.code)).toEqual([
        'KEY_REVOKED',
        'KEY_REVOKED',
      ]);
    } finally {
      ledger.close();
    }
  });

  it('treats a v2 record of an event already appended from a v1 record as a duplicate, not a conflict', () => {
    const chain = new TestChain();
    const ledger = tempLedger(chain.authority.verifyingKey);
    try {
      ledger.folder.fold([chain.record(chain.sign(chain.genesis(), chain.authority))]);
      const event = commission(7);
      const v1 = chain.record(chain.sign(event, chain.maker));
      const v2 = chain.record(encodeSignedEvent(batchOf(chain.maker, [commission(6), event])[1]!));
      expect(ledger.folder.fold([v1, v2])).toMatchObject({ appended: 1, rejected: 0 });
    } finally {
      ledger.close();
    }
  });
});
