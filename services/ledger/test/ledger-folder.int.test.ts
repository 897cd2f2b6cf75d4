import {
  type CustodyEvent,
  decodeLedgerEntry,
  encodeCustodyEvent,
  encodeSignedEvent,
  nodeEd25519,
  SigningKey,
  signEvent,
} from '@rxledger/events';
import { inclusionProof, leafHash, merkleTreeHash, verifyInclusion } from '@rxledger/tlog';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempLedger } from './support/temp-ledger.ts';
import { GLN, pack, sscc, T0, TestChain } from './support/test-chain.ts';

describe('LedgerFolder on a real SQLite file', () => {
  let chain: TestChain;
  let ledger: ReturnType<typeof tempLedger>;

  beforeEach(() => {
    chain = new TestChain();
    ledger = tempLedger(chain.authority.verifyingKey);
  });
  afterEach(() => ledger.close());

  const genesis = () => chain.record(chain.sign(chain.genesis(), chain.authority));
  const commission = (items: string[], extra: object = {}) =>
    chain.event(chain.maker, { type: 'COMMISSION', items, lot: 'L1', expiry: '281231', ...extra } as never);

  it('appends the genesis as leaf 0 and hash-links each item to its previous leaf', () => {
    const g = genesis();
    const c = commission([pack(1), pack(2)]);
    const s = chain.event(chain.maker, { type: 'SHIP', items: [pack(2)], to: GLN.distributor } as never);
    const r = ledger.folder.fold([g, c, s]);
    expect(r).toMatchObject({ appended: 3, rejected: 0, size: 3 });

    const leaves = [0, 1, 2].map((seq) => ledger.store.leaf(seq)!);
    const entries = leaves.map((l) => decodeLedgerEntry(l.leaf));
    expect(entries.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(entries[0]!.signedEvent).toEqual(g.value);
    // The genesis links its 10 registry subjects (5 parties, 5 keys) to nothing: nothing came before.
    expect(entries[0]!.links).toEqual(Array(10).fill(null));
    expect(entries[1]!.links).toEqual([null, null]);
    expect(entries[2]!.links).toEqual([leafHash(leaves[1]!.leaf)]);
    expect(leaves.map((l) => l.hash)).toEqual(leaves.map((l) => leafHash(l.leaf)));
    expect(ledger.folder.root()).toEqual(merkleTreeHash(leaves.map((l) => l.leaf)));
    expect(ledger.store.nextOffset()).toBe(3);
    expect(ledger.store.itemSeqs(pack(2))).toEqual([1, 2]);
    expect(ledger.store.lotItems('00614141123452', 'L1')).toEqual([pack(1), pack(2)].sort());
  });

  describe('rejects, stores the reason, and appends nothing for', () => {
    const cases: Array<[string, (c: TestChain) => ReturnType<TestChain['record']>]> = [
      ['UNDECODABLE', (c) => c.record(new Uint8Array([1, 2, 3]))],
      ['UNDECODABLE', (c) => c.record(null)],
      [
        'UNKNOWN_KEY',
        (c) =>
          c.event(
            c.outsider,
            { type: 'COMMISSION', items: [pack(9)], lot: 'L', expiry: '281231' } as never,
            GLN.maker,
          ),
      ],
      [
        'KEY_PARTY_MISMATCH',
        (c) =>
          c.event(c.maker, { type: 'SHIP', items: [pack(1)], to: GLN.pharmacy } as never, GLN.distributor),
      ],
      [
        'ROLE_NOT_ENTITLED',
        (c) =>
          c.event(c.distributor, {
            type: 'COMMISSION',
            items: [pack(9)],
            lot: 'L',
            expiry: '281231',
          } as never),
      ],
      ['ROLE_NOT_ENTITLED', (c) => c.event(c.distributor, { type: 'DISPENSE', items: [pack(1)] } as never)],
      [
        'KEY_NOT_YET_VALID',
        (c) =>
          c.event(c.maker, {
            type: 'SHIP',
            items: [pack(1)],
            to: GLN.distributor,
            eventTime: T0 - 3_600_000,
          } as never),
      ],
      [
        'BAD_SIGNATURE',
        (c) => {
          const r = c.event(c.maker, { type: 'SHIP', items: [pack(1)], to: GLN.distributor } as never);
          const v = new Uint8Array(r.value!);
          v[v.length - 5]! ^= 0x01; // inside the signature, the last field
          return { ...r, value: v };
        },
      ],
      [
        'FUTURE_EVENT_TIME',
        (c) => ({
          ...c.event(c.maker, { type: 'SHIP', items: [pack(1)], to: GLN.distributor } as never),
          timestamp: T0 - 10 * 60_000,
        }),
      ],
      [
        'INVALID_EVENT',
        (c) =>
          c.event(c.maker, {
            type: 'SHIP',
            items: ['https://id.gs1.org/01/00614141123453/21/S1'],
            to: GLN.distributor,
          } as never),
      ],
      [
        'INVALID_EVENT',
        (c) => c.event(c.maker, { type: 'SHIP', items: [pack(1)], to: '4001234000009' } as never),
      ],
      [
        'NOT_GTIN_OWNER',
        (c) =>
          c.event(c.maker, {
            type: 'COMMISSION',
            items: ['https://id.gs1.org/01/04012345123456/21/X'],
            lot: 'L',
            expiry: '281231',
          } as never),
      ],
      [
        'NOT_GTIN_OWNER',
        (c) =>
          c.event(c.maker, { type: 'RECALL', gtin: '04012345123456', lot: 'L', reason: 'test' } as never),
      ],
      [
        'REGISTRY_REJECTED',
        (c) =>
          c.event(c.authority, {
            type: 'REGISTRY',
            changes: [
              { kind: 'RevokeKey', gln: GLN.maker, keyId: '0000000000000000', revokedAt: T0, reason: 'x' },
            ],
          } as never),
      ],
    ];
    for (const [code, make] of cases) {
      it(`${code} (${make.toString().slice(8, 90)}...)`, () => {
        const g = genesis();
        ledger.folder.fold([g]);
        const bad = make(chain);
        const r = ledger.folder.fold([bad]);
        expect(r).toMatchObject({ appended: 0, rejected: 1, size: 1 });
        const [row] = ledger.store.rejections({ limit: 10 });
        expect(row).toMatchObject({ kafkaOffset: bad.offset, code });
        expect(row!.message.length).toBeGreaterThan(10);
        expect(ledger.store.nextOffset()).toBe(bad.offset + 1);
      });
    }

    it('NO_GENESIS: anything but an authority-signed genesis first', () => {
      const early = commission([pack(1)]);
      const fakeGenesis = chain.record(chain.sign(chain.genesis(), chain.maker));
      expect(ledger.folder.fold([early, fakeGenesis])).toMatchObject({ appended: 0, rejected: 2 });
      expect(ledger.store.rejections({ limit: 10 }).map((r) => r.code)).toEqual(['NO_GENESIS', 'NO_GENESIS']);
      expect(ledger.folder.fold([genesis()])).toMatchObject({ appended: 1 });
    });

    it('KEY_REVOKED: by log order (the broker clock), whatever eventTime the record claims', () => {
      ledger.folder.fold([genesis()]);
      const revoke = chain.event(chain.authority, {
        type: 'REGISTRY',
        changes: [
          {
            kind: 'RevokeKey',
            gln: GLN.maker,
            keyId: chain.maker.keyId,
            revokedAt: T0 + 500_000,
            reason: 'lost',
          },
        ],
      } as never);
      // Appended before the revocation: valid, even dated after the revocation's revokedAt.
      const before = commission([pack(1)], { eventTime: T0 + 600_000 });
      // Appended after it, backdated to before revokedAt (finding 3): refused all the same.
      const backdated = commission([pack(2)], { eventTime: T0 + 1_000, eventId: 'backdated' });
      expect(ledger.folder.fold([before, revoke, backdated])).toMatchObject({ appended: 2, rejected: 1 });
      expect(ledger.store.rejections({ limit: 1 })[0]).toMatchObject({
        code: 'KEY_REVOKED',
        eventId: 'backdated',
        party: GLN.maker,
      });
    });

    it('eventTime outside its window: before 2000, in year 0001, past 5 minutes ahead, beyond the lateness window', () => {
      // Keys valid from 30 days back, so that only the window decides.
      const month = 30 * 86_400_000;
      ledger.folder.fold([chain.record(chain.sign(chain.genesis(T0 - month), chain.authority), T0 - month)]);
      const at = T0 + 3_600_000;
      const ship = (eventId: string, eventTime: number) =>
        chain.event(chain.maker, {
          type: 'SHIP',
          items: [pack(1)],
          to: GLN.distributor,
          eventId,
          eventTime,
        } as never);
      const records = [
        ship('y1999', Date.UTC(1999, 11, 31, 23, 59, 59)),
        ship('y0001', new Date('0001-01-01T00:00:00Z').getTime()),
        // Finding 2: between 8.64e15 and 2^53 Date#toISOString throws; once it stalled every node.
        ship('far-future', 8.64e15 + 1),
        ship('max-safe', 9e15),
        ship('ahead', at + 5 * 60_000 + 1),
        ship('too-old', at - 7 * 86_400_000 - 1),
        ship('just-ahead', at + 5 * 60_000),
        ship('just-late', at - 7 * 86_400_000),
      ];
      expect(ledger.folder.fold(records)).toMatchObject({ appended: 2, rejected: 6 });
      const codes = Object.fromEntries(
        ledger.store.rejections({ limit: 10 }).map((r) => [r.eventId, r.code]),
      );
      expect(codes).toEqual({
        y1999: 'EVENT_TIME_BEFORE_FLOOR',
        y0001: 'EVENT_TIME_BEFORE_FLOOR',
        'far-future': 'FUTURE_EVENT_TIME',
        'max-safe': 'FUTURE_EVENT_TIME',
        ahead: 'FUTURE_EVENT_TIME',
        'too-old': 'EVENT_TIME_TOO_OLD',
      });
      expect(ledger.store.nextOffset()).toBe(records.at(-1)!.offset + 1);
    });

    it('attributes a rejection to a party only once its signature verified, and bounds what it stores', () => {
      ledger.folder.fold([genesis()]);
      const long = 'x'.repeat(500_000);
      const forged = chain.event(
        chain.outsider,
        { type: 'SHIP', items: [pack(1)], to: GLN.distributor, eventId: long } as never,
        GLN.maker,
      );
      const tampered = chain.event(chain.maker, {
        type: 'SHIP',
        items: [pack(1)],
        to: GLN.distributor,
        eventId: 'tampered',
      } as never);
      tampered.value![tampered.value!.length - 5]! ^= 0x01;
      const unsignedParty = chain.event(
        chain.maker,
        { type: 'SHIP', items: [pack(1)], to: GLN.distributor } as never,
        GLN.distributor,
      );
      const invalid = chain.event(chain.maker, {
        type: 'SHIP',
        items: [pack(1)],
        to: '4001234000009',
        eventId: long.slice(0, 5_000),
      } as never);
      expect(ledger.folder.fold([forged, tampered, unsignedParty, invalid])).toMatchObject({ rejected: 4 });
      const rows = ledger.store.rejections({ limit: 10 }).reverse();
      expect(rows.map((r) => [r.code, r.party, r.eventId, r.keyId])).toEqual([
        ['UNKNOWN_KEY', null, null, null],
        ['BAD_SIGNATURE', null, null, null],
        ['KEY_PARTY_MISMATCH', null, null, null],
        ['INVALID_EVENT', GLN.maker, long.slice(0, 128), chain.maker.keyId],
      ]);
      for (const r of rows) expect(r.message.length).toBeLessThanOrEqual(1_100);
    });

    it('eventIds are scoped to their signer: another party using the same id is its own event', () => {
      ledger.folder.fold([genesis()]);
      const mine = commission([pack(1)], { eventId: 'shared-id' });
      const ship = chain.event(chain.maker, { type: 'SHIP', items: [pack(1)], to: GLN.distributor } as never);
      const theirs = chain.event(chain.distributor, {
        type: 'RECEIVE',
        items: [pack(1)],
        from: GLN.maker,
        eventId: 'shared-id',
      } as never);
      expect(ledger.folder.fold([mine, ship, theirs])).toMatchObject({ appended: 3, rejected: 0 });
      expect(ledger.store.acceptedEvents('shared-id').map((a) => a.party)).toEqual([
        GLN.maker,
        GLN.distributor,
      ]);
    });

    it('EVENT_ID_CONFLICT: a reused eventId with other content; identical content is a no-op', () => {
      ledger.folder.fold([genesis()]);
      const event: CustodyEvent = {
        type: 'COMMISSION',
        eventId: 'same',
        eventTime: T0,
        eventTimeOffsetMinutes: 0,
        party: GLN.maker,
        site: GLN.maker,
        items: [pack(1)],
        lot: 'L1',
        expiry: '281231',
      };
      const first = chain.record(chain.sign(event, chain.maker));
      const again = chain.record(chain.sign(event, chain.maker));
      const other = chain.record(chain.sign({ ...event, lot: 'L2' } as CustodyEvent, chain.maker));
      expect(ledger.folder.fold([first, again])).toMatchObject({ appended: 1, duplicates: 1, rejected: 0 });
      expect(ledger.folder.fold([other])).toMatchObject({ appended: 0, rejected: 1 });
      expect(ledger.store.attributedRejections('same')[0]).toMatchObject({ code: 'EVENT_ID_CONFLICT' });
      expect(ledger.store.eventId(GLN.maker, 'same')).toMatchObject({ seq: 1 });
    });
  });

  it('is deterministic: two nodes folding the same records in different batch sizes write identical bytes', () => {
    const records = [genesis()];
    for (let i = 0; i < 60; i++) records.push(commission([pack(i), sscc(i)]));
    // Registry leaves between custody leaves, so registry and signer links cross batch boundaries.
    const rotated = SigningKey.generate();
    records.push(
      chain.event(chain.authority, {
        type: 'REGISTRY',
        changes: [
          {
            kind: 'AddKey',
            gln: GLN.maker,
            keyId: rotated.keyId,
            publicKey: rotated.verifyingKey.bytes,
            validFrom: 0,
          },
        ],
      } as never),
    );
    for (let i = 0; i < 60; i += 3)
      records.push(
        chain.event(
          i % 2 === 0 ? chain.maker : rotated,
          { type: 'SHIP', items: [pack(i), sscc(i)], to: GLN.distributor } as never,
          GLN.maker,
        ),
      );
    records.push(
      chain.event(chain.authority, {
        type: 'REGISTRY',
        changes: [
          { kind: 'RevokeKey', gln: GLN.maker, keyId: chain.maker.keyId, revokedAt: T0, reason: 'x' },
        ],
      } as never),
    );
    records.push(chain.record(new Uint8Array([0xc3, 0x01, 9])));

    const other = tempLedger(chain.authority.verifyingKey);
    const sliced = tempLedger(chain.authority.verifyingKey);
    try {
      ledger.folder.fold(records);
      for (let i = 0; i < records.length; i += 7) other.folder.fold(records.slice(i, i + 7));
      // As the node's consumer folds: one batch, in slices ended by a time budget (0 ms: one record
      // per call), each committed before the next, the caller passing on what is left.
      let rest = records;
      while (rest.length > 0) {
        const r = sliced.folder.fold(rest, undefined, { budgetMs: 0 });
        expect(r.consumed).toBe(1);
        expect(sliced.store.nextOffset()).toBe(rest[0]!.offset + 1);
        rest = rest.slice(r.consumed);
      }
      const size = ledger.folder.size;
      expect(size).toBe(83); // every record but the undecodable one
      for (const node of [other, sliced]) {
        expect(node.folder.size).toBe(size);
        for (let seq = 0; seq < size; seq++)
          expect(node.store.leaf(seq)!.leaf).toEqual(ledger.store.leaf(seq)!.leaf);
        expect(node.folder.root()).toEqual(ledger.folder.root());
        expect(node.store.rejections({ limit: 100 })).toEqual(ledger.store.rejections({ limit: 100 }));
      }
    } finally {
      other.close();
      sliced.close();
    }
  });

  it('counts records below the stored position as consumed, and folds none of them again', () => {
    const records = [genesis(), ...Array.from({ length: 5 }, (_, i) => commission([pack(i)]))];
    ledger.folder.fold(records.slice(0, 4));
    const again = ledger.folder.fold(records, undefined, { budgetMs: 0 });
    expect(again).toMatchObject({ appended: 1, consumed: 5, size: 5 });
    expect(ledger.folder.fold(records.slice(0, 5))).toMatchObject({ appended: 0, consumed: 5, size: 5 });
    expect(ledger.folder.fold(records)).toMatchObject({ appended: 1, consumed: 6, size: 6 });
  });

  it('resumes after a restart at the next unconsumed record and proves every leaf from stored subtrees', () => {
    const records = [genesis()];
    for (let i = 0; i < 100; i++) records.push(commission([pack(i)]));
    ledger.folder.fold(records.slice(0, 40));
    ledger.reopen();
    // A consumer that re-delivers from an older offset changes nothing.
    ledger.folder.fold(records.slice(20, 70));
    ledger.reopen();
    ledger.folder.fold(records.slice(70));
    expect(ledger.folder.size).toBe(101);
    expect(ledger.store.nextOffset()).toBe(101);

    const leaves = Array.from({ length: 101 }, (_, seq) => ledger.store.leaf(seq)!.leaf);
    const root = merkleTreeHash(leaves);
    expect(ledger.folder.root()).toEqual(root);
    for (let index = 0; index < 101; index++) {
      const proof = inclusionProof(ledger.store.hashReader(), index, 101);
      expect(() => verifyInclusion(leafHash(leaves[index]!), index, 101, proof, root)).not.toThrow();
    }
  });

  it('keeps a signature made by @noble valid in the node:crypto fold (both sign identically)', () => {
    ledger.folder.fold([genesis()]);
    const bytes = encodeCustodyEvent({
      type: 'DISPENSE',
      eventId: 'n1',
      eventTime: T0,
      eventTimeOffsetMinutes: 0,
      party: GLN.pharmacy,
      site: GLN.pharmacySite,
      items: [pack(1)],
    });
    const viaNode = encodeSignedEvent(signEvent(nodeEd25519, chain.pharmacy, bytes));
    expect(ledger.folder.fold([chain.record(viaNode)])).toMatchObject({ appended: 1 });
  });
});
