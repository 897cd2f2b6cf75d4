import { nodeEd25519, SigningKey } from '@rxledger/events';
import { afterAll, describe, expect, it } from 'vitest';
import { precheck } from '../src/intake/precheck.ts';
import { SignaturePool } from '../src/intake/signature-pool.ts';
import { tempLedger } from './support/temp-ledger.ts';
import { GLN, pack, TestChain } from './support/test-chain.ts';

describe('signatures verified on worker threads ahead of the fold', () => {
  const pool = new SignaturePool(2);
  afterAll(() => pool.close());

  it('reaches the same verdicts as the fold, and a tampered record is still refused', async () => {
    const chain = new TestChain();
    const ledger = tempLedger(chain.authority.verifyingKey);
    try {
      const genesis = chain.record(chain.sign(chain.genesis(), chain.authority));
      ledger.folder.fold([genesis]);
      const records = Array.from({ length: 300 }, (_, i) =>
        chain.event(chain.maker, {
          type: 'COMMISSION',
          items: [pack(i)],
          lot: 'L',
          expiry: '281231',
        } as never),
      );
      const bad = records[123]!;
      const value = new Uint8Array(bad.value!);
      value[value.length - 1]! ^= 0x80; // last byte of the signature
      records[123] = { ...bad, value };
      records.push(
        chain.event(
          chain.outsider,
          { type: 'SHIP', items: [pack(1)], to: GLN.distributor } as never,
          GLN.maker,
        ),
      );

      const pre = await precheck(records, ledger.folder.registry, (jobs) => pool.verify(jobs));
      expect(pre.get(records[0]!.offset)?.verdict?.ok).toBe(true);
      expect(pre.get(records[123]!.offset)?.verdict?.ok).toBe(false);
      // Unknown key: no verdict, the fold decides (UNKNOWN_KEY).
      expect(pre.get(records[300]!.offset)?.verdict).toBeUndefined();
      expect([...pre.values()].filter((p) => p.verdict?.ok).length).toBe(299);

      const result = ledger.folder.fold(records, pre);
      expect(result).toMatchObject({ appended: 299, rejected: 2 });
      expect(
        ledger.store
          .rejections({ limit: 5 })
          .map((r) => r.code)
          .sort(),
      ).toEqual(['BAD_SIGNATURE', 'UNKNOWN_KEY']);
    } finally {
      ledger.close();
    }
  });

  it('answers false for a short signature or unusable key bytes, and true for the rest of the batch', async () => {
    const key = SigningKey.generate();
    const message = new TextEncoder().encode('a custody event');
    const signature = nodeEd25519.sign(key, message);
    const good = { key: key.verifyingKey.bytes, message, signature };
    expect(
      await pool.verify([
        good,
        { ...good, signature: signature.subarray(0, 63) },
        { ...good, key: new Uint8Array(31) },
        { ...good, message: new Uint8Array(0) },
        good,
      ]),
    ).toEqual([true, false, false, false, true]);
  });
});
