import {
  type CustodyEvent,
  decodeLedgerEntry,
  encodeLedgerEntry,
  type LedgerEntry,
  SigningKey,
} from '@rxledger/events';
import { leafHash } from '@rxledger/tlog';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLedger } from '../src/audit/audit-ledger.ts';
import type { ConsumedRecord } from '../src/intake/precheck.ts';
import { tempLedger } from './support/temp-ledger.ts';
import { GLN, pack, T0, TestChain } from './support/test-chain.ts';

const party = (gln: string) => `rxledger:party:${gln}`;
const key = (keyId: string) => `rxledger:key:${keyId}`;

describe('LedgerEntry v2 leaves: registry links per party and per key, signer links (real SQLite)', () => {
  let chain: TestChain;
  let ledger: ReturnType<typeof tempLedger>;
  let rotated: SigningKey;
  let records: ConsumedRecord[];

  const registry = (changes: unknown[]) =>
    chain.event(chain.authority, { type: 'REGISTRY', changes } as Partial<CustodyEvent> as never);
  const at = (i: number) => T0 + 3_600_000 + i * 1_000;

  beforeEach(() => {
    chain = new TestChain();
    ledger = tempLedger(chain.authority.verifyingKey);
    rotated = SigningKey.generate();
    const ship = (signer: SigningKey, n: number) =>
      chain.event(signer, { type: 'SHIP', items: [pack(n)], to: GLN.distributor } as never, GLN.maker);
    records = [
      // 0: genesis
      chain.record(chain.sign(chain.genesis(), chain.authority)),
      // 1: a custody leaf by the maker's first key
      chain.event(chain.maker, {
        type: 'COMMISSION',
        items: [pack(1)],
        lot: 'L1',
        expiry: '281231',
      } as never),
      // 2: rotation, step one: a second maker key
      registry([
        {
          kind: 'AddKey',
          gln: GLN.maker,
          keyId: rotated.keyId,
          publicKey: rotated.verifyingKey.bytes,
          validFrom: 0,
        },
      ]),
      // 3: signed by the new key
      ship(rotated, 1),
      // 4: rotation, step two: the first key revoked
      registry([
        { kind: 'RevokeKey', gln: GLN.maker, keyId: chain.maker.keyId, revokedAt: T0, reason: 'rotated' },
      ]),
      // 5: signed by the new key after the revocation
      ship(rotated, 1),
      // 6: a change of another party's roles
      registry([{ kind: 'SetRoles', gln: GLN.distributor, roles: ['DISTRIBUTOR', 'PHARMACY'] }]),
    ].map((r, i) => ({ ...r, timestamp: at(i) }));
  });
  afterEach(() => ledger.close());

  const entries = () =>
    Array.from({ length: ledger.folder.size }, (_, seq) => decodeLedgerEntry(ledger.store.leaf(seq)!.leaf));
  const hashOf = (seq: number) => leafHash(ledger.store.leaf(seq)!.leaf);

  it('writes v2 leaves with the broker time, party and key chains, and signer links', () => {
    expect(ledger.folder.fold(records)).toMatchObject({ appended: 7, rejected: 0 });
    const e = entries();
    const h = (seq: number) => hashOf(seq);
    expect(e.map((x) => x.version)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(e.map((x) => x.appendedAt)).toEqual(records.map((r) => r.timestamp));
    // The genesis: its 10 subjects and its signer link to nothing.
    expect(e[0]!.links).toEqual(Array(10).fill(null));
    expect(e[0]!.signerLinks).toEqual([null, null]);
    // A custody leaf: item links as before, signer links to the genesis (maker party and key).
    expect(e[1]!.links).toEqual([null]);
    expect(e[1]!.signerLinks).toEqual([h(0), h(0)]);
    // AddKey: party:maker continues from the genesis, key:<new> starts; signed by the authority.
    expect(e[2]!.links).toEqual([h(0), null]);
    expect(e[2]!.signerLinks).toEqual([h(0), h(0)]);
    // The new key's first leaf: its party's and its key's latest registry leaf is the AddKey.
    expect(e[3]!.links).toEqual([h(1)]);
    expect(e[3]!.signerLinks).toEqual([h(2), h(2)]);
    // RevokeKey: party:maker from the AddKey, key:<old> from the genesis; custody leaf 1 is no link.
    expect(e[4]!.links).toEqual([h(2), h(0)]);
    expect(e[4]!.signerLinks).toEqual([h(0), h(0)]);
    // After the revocation: the party's latest is the RevokeKey, the key's still the AddKey.
    expect(e[5]!.links).toEqual([h(3)]);
    expect(e[5]!.signerLinks).toEqual([h(4), h(2)]);
    // Another party's chain, signed by the authority whose subjects only the genesis named.
    expect(e[6]!.links).toEqual([h(0)]);
    expect(e[6]!.signerLinks).toEqual([h(0), h(0)]);
  });

  it('keeps registry subjects in item_leaves without touching the provenance of items', () => {
    ledger.folder.fold(records);
    expect(ledger.store.itemSeqs(party(GLN.maker))).toEqual([0, 2, 4]);
    expect(ledger.store.itemSeqs(key(chain.maker.keyId))).toEqual([0, 4]);
    expect(ledger.store.itemSeqs(key(rotated.keyId))).toEqual([2]);
    expect(ledger.store.itemHead(party(GLN.maker))).toEqual(hashOf(4));
    expect(ledger.store.itemSeqs(pack(1))).toEqual([1, 3, 5]);
    expect(ledger.store.itemLinks(pack(1), true)).toEqual({ seqs: [1, 3, 5], parents: [] });
  });

  it('writes the same links when the registry leaves land in other batches and across a restart', () => {
    ledger.folder.fold(records);
    const other = tempLedger(chain.authority.verifyingKey);
    try {
      for (const r of records) {
        other.folder.fold([r]);
        other.reopen();
      }
      for (let seq = 0; seq < records.length; seq++)
        expect(other.store.leaf(seq)!.leaf, `leaf ${seq}`).toEqual(ledger.store.leaf(seq)!.leaf);
    } finally {
      other.close();
    }
  });

  it('refuses a record without a usable broker time instead of stalling the fold', () => {
    ledger.folder.fold(records.slice(0, 1));
    const r = ledger.folder.fold([{ ...records[1]!, timestamp: Number.NaN }, records[2]!]);
    expect(r).toMatchObject({ appended: 1, rejected: 1 });
    expect(ledger.store.rejections({ limit: 1 })[0]).toMatchObject({ code: 'UNPROCESSABLE' });
  });

  describe('rxledger audit recomputes them', () => {
    /** Rewrites leaf `seq` by `edit` and stores its true hash, so only the links can give it away. */
    const forge = (seq: number, edit: (entry: LedgerEntry) => LedgerEntry) => {
      const forged = encodeLedgerEntry(edit(decodeLedgerEntry(ledger.store.leaf(seq)!.leaf)));
      ledger.db
        .prepare('UPDATE leaves SET leaf = ?, hash = ? WHERE seq = ?')
        .run(forged, leafHash(forged), seq);
    };
    const flip = (h: Uint8Array | null) => {
      const copy = new Uint8Array(h!);
      copy[7]! ^= 0x10;
      return copy;
    };

    it('finds nothing wrong with the leaves the fold wrote', () => {
      ledger.folder.fold(records);
      const report = auditLedger(ledger.store);
      expect(report.leaves).toBe(7);
      expect(report.finding).toBeUndefined();
    });

    it('finds a flipped byte in a signer link', () => {
      ledger.folder.fold(records);
      forge(5, (e) => ({ ...e, signerLinks: [e.signerLinks![0]!, flip(e.signerLinks![1]!)] }));
      expect(auditLedger(ledger.store).finding).toMatchObject({
        seq: 5,
        what: 'signer-links',
        message: expect.stringContaining(key(rotated.keyId)),
      });
    });

    it('finds a signer link pointing at an older registry leaf (one that hides the revocation)', () => {
      ledger.folder.fold(records);
      forge(5, (e) => ({ ...e, signerLinks: [hashOf(2), e.signerLinks![1]!] }));
      expect(auditLedger(ledger.store).finding).toMatchObject({ seq: 5, what: 'signer-links' });
    });

    it('finds a flipped byte in a registry leaf’s key link', () => {
      ledger.folder.fold(records);
      forge(4, (e) => ({ ...e, links: [e.links[0]!, flip(e.links[1]!)] }));
      expect(auditLedger(ledger.store).finding).toMatchObject({
        seq: 4,
        what: 'links',
        message: expect.stringContaining(key(chain.maker.keyId)),
      });
    });

    it('finds a dropped signer link', () => {
      ledger.folder.fold(records);
      forge(3, (e) => ({ ...e, signerLinks: e.signerLinks!.slice(0, 1) }));
      expect(auditLedger(ledger.store).finding).toMatchObject({ seq: 3, what: 'signer-links' });
    });
  });
});
