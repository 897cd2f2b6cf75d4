// The answers layer over a real ledger file: provenance bundles and recall scope as the routes serve them.
import { decodeLedgerEntry, SigningKey } from '@rxledger/events';
import {
  ed25519Signer,
  merkleTreeHash,
  fromBase64,
  leafHash,
  parseCheckpoint,
  signCheckpoint,
  verifyInclusion,
} from '@rxledger/tlog';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ItemHistory } from '../../src/answers/item-history.ts';
import { heldBy, itemState, provenanceAnswer } from '../../src/answers/provenance.ts';
import { recallScope } from '../../src/answers/recall-scope.ts';
import { tempLedger } from '../support/temp-ledger.ts';
import { GLN, pack, sscc, TestChain } from '../support/test-chain.ts';

const ORIGIN = 'answers.test/custody';
const signer = ed25519Signer(ORIGIN, SigningKey.generate().exportSeed());

describe('the answers layer', () => {
  let chain: TestChain;
  let ledger: ReturnType<typeof tempLedger>;
  let history: ItemHistory;

  beforeEach(() => {
    chain = new TestChain();
    ledger = tempLedger(chain.authority.verifyingKey);
    history = new ItemHistory(ledger.store);
    const m = chain.maker;
    const event = (key: SigningKey, fields: object) => chain.event(key, fields as never);
    ledger.folder.fold([
      chain.record(chain.sign(chain.genesis(), chain.authority)), // 0
      event(m, {
        type: 'COMMISSION',
        items: [pack(1), pack(2), pack(3), sscc(1)],
        lot: 'B7',
        expiry: '281231',
      }), // 1
      event(m, { type: 'AGGREGATE', parent: sscc(1), children: [pack(1), pack(2)] }), // 2
      event(m, { type: 'SHIP', items: [sscc(1)], to: GLN.distributor }), // 3
      event(chain.distributor, { type: 'RECEIVE', items: [sscc(1)], from: GLN.maker }), // 4
      event(chain.pharmacy, { type: 'RECEIVE', items: [pack(3)], from: GLN.maker }), // 5: no shipment
      event(m, { type: 'RECALL', gtin: '00614141123452', lot: 'B7', reason: 'sterility' }), // 6
    ]);
  });
  afterEach(() => ledger.close());

  const note = (size = ledger.store.size()) =>
    signCheckpoint({ origin: ORIGIN, size, root: ledger.folder.root() }, signer);

  it("bundles a pack's own leaves, its case's leaves while it was inside, and its lot's recall, each proven", () => {
    const state = itemState(history, pack(1))!;
    const answer = provenanceAnswer(ledger.store, history, pack(1), state, note());
    expect(answer.entries.map((e) => e.index)).toEqual([1, 2, 3, 4, 6]);
    expect(answer.registry.map((e) => e.index)).toEqual([0]);
    const { size, root } = parseCheckpoint(answer.checkpoint.slice(0, answer.checkpoint.indexOf('\n\n') + 1));
    for (const e of [...answer.entries, ...answer.registry]) {
      const leaf = fromBase64(e.leaf);
      expect(decodeLedgerEntry(leaf).seq).toBe(e.index);
      expect(() =>
        verifyInclusion(
          leafHash(leaf),
          e.index,
          size,
          e.proof.map((p) => fromBase64(p)),
          root,
        ),
      ).not.toThrow();
    }
    expect(answer.timeline.map((t) => t.type)).toEqual([
      'COMMISSION',
      'AGGREGATE',
      'SHIP',
      'RECEIVE',
      'RECALL',
    ]);
    expect(answer.status).toMatchObject({ status: 'RECALLED', custodian: GLN.distributor, parent: sscc(1) });
  });

  it('marks anomalies on the timeline entry that raised them', () => {
    const state = itemState(history, pack(3))!;
    const answer = provenanceAnswer(ledger.store, history, pack(3), state, note());
    expect(answer.timeline.find((t) => t.index === 5)).toMatchObject({
      anomalies: [expect.stringMatching(/^RECEIVE_WITHOUT_SHIPMENT: /)],
    });
  });

  it('proves only what the checkpoint covers: entries and registry leaves below its size', () => {
    const state = itemState(history, pack(1))!;
    const answer = provenanceAnswer(
      ledger.store,
      history,
      pack(1),
      state,
      signCheckpoint({ origin: ORIGIN, size: 4, root: rootAt(4) }, signer),
    );
    expect(answer.entries.map((e) => e.index)).toEqual([1, 2, 3]);
  });

  it('opens a history to a party that legitimately held the item, not to one whose receipt broke the rules', () => {
    expect(heldBy([GLN.distributor], itemState(history, pack(1))!)).toBe(true);
    expect(heldBy([GLN.maker], itemState(history, pack(1))!)).toBe(true);
    expect(heldBy([GLN.pharmacy], itemState(history, pack(3))!)).toBe(false);
    expect(heldBy([GLN.pharmacy], itemState(history, pack(1))!)).toBe(false);
    expect(itemState(history, pack(99))).toBeUndefined();
  });

  it("pages a lot's recall scope with where each pack is now", () => {
    const first = recallScope(ledger.store, history, '00614141123452', 'B7', { limit: 2 });
    expect(first).toMatchObject({ gtin: '00614141123452', lot: 'B7', count: 3, last: pack(2) });
    expect(first.recalls).toEqual([{ index: 6, eventTime: expect.any(String), reason: 'sterility' }]);
    expect(first.packs.map((p) => [p.item, p.status, p.custodian, p.parent])).toEqual([
      [pack(1), 'RECALLED', GLN.distributor, sscc(1)],
      [pack(2), 'RECALLED', GLN.distributor, sscc(1)],
    ]);
    const rest = recallScope(ledger.store, history, '00614141123452', 'B7', { after: first.last, limit: 2 });
    expect(rest.packs.map((p) => p.item)).toEqual([pack(3)]);
    expect(rest.last).toBeUndefined();
    expect(rest.packs[0]!.anomalies.map((a) => a.code)).toEqual(['RECEIVE_WITHOUT_SHIPMENT']);
  });

  // The root of the first `size` leaves, from the stored leaves.
  function rootAt(size: number): Uint8Array {
    const leaves = Array.from({ length: size }, (_, seq) => ledger.store.leaf(seq)!.leaf);
    return merkleTreeHash(leaves);
  }
});
