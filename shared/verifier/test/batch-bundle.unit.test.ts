// Bundles of batch-signed leaves (SignedEvent v2) from a real fold: a pack's leaves verify on their
// own, without the other events of their batches, and a leaf whose batch position was tampered with
// fails its entry signature with the reason.
import {
  type CustodyEvent,
  encodeCustodyEvent,
  encodeSignedEvent,
  nodeEd25519,
  signEventBatch,
} from '@rxledger/events';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../src/index.ts';
import { editSigned } from './support/edit-leaf.ts';
import { GLN, pack, scenario, type TestChain } from './support/scenario.ts';

const T = Date.now() - 3_600_000;
const event = (n: number, fields: Partial<CustodyEvent>, party: string = GLN.maker): CustodyEvent =>
  ({
    eventId: `x${n}`,
    eventTime: T + n * 1_000,
    eventTimeOffsetMinutes: 0,
    party,
    site: party === GLN.maker ? GLN.makerSite : GLN.distributorSite,
    ...fields,
  }) as CustodyEvent;

// Two scanner batches: the maker commissions packs 1-5 and ships 1 and 2; the distributor receives both.
function batches(c: TestChain) {
  const records = (key: typeof c.maker, events: CustodyEvent[]) =>
    signEventBatch(
      nodeEd25519,
      key,
      events.map((e) => encodeCustodyEvent(e)),
    ).map((s) => c.record(encodeSignedEvent(s), T + 60_000));
  return [
    ...records(c.maker, [
      ...[1, 2, 3, 4, 5].map((n) =>
        event(n, { type: 'COMMISSION', items: [pack(n)], lot: 'L1', expiry: '281231' }),
      ),
      event(6, { type: 'SHIP', items: [pack(1), pack(2)], to: GLN.distributor }),
    ]),
    ...records(c.distributor, [
      event(7, { type: 'RECEIVE', items: [pack(1)], from: GLN.maker }, GLN.distributor),
      event(8, { type: 'RECEIVE', items: [pack(2)], from: GLN.maker }, GLN.distributor),
    ]),
  ];
}

describe('verifyBundle on batch-signed leaves', () => {
  const s = scenario(batches);
  afterAll(() => s.close());

  it('verifies a pack whose leaves are each one event of a larger batch', () => {
    const bundle = s.bundle(pack(2));
    // Commission (leaf 2 of the first batch), ship (leaf 6), receive (leaf 8): the rest of both batches is absent.
    expect(bundle.entries.map((e) => e.index)).toEqual([2, 6, 8]);
    const report = verifyBundle(bundle, s.trust);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.filter((c) => c.what === 'entry signature').map((c) => c.detail)).toEqual([
      expect.stringMatching(/, event 2 of a batch of 6 signed once, valid at /),
      expect.stringMatching(/, event 6 of a batch of 6 signed once, valid at /),
      expect.stringMatching(/, event 2 of a batch of 2 signed once, valid at /),
    ]);
  });

  it('fails the entry signature of a leaf whose record claims another position in its batch', () => {
    const moved = s.bundle(pack(2), {
      rewrite: (seq, leaf) =>
        seq === 2
          ? editSigned(leaf, (signed) => ({ ...signed, batch: { ...signed.batch!, index: 0 } }))
          : leaf,
    });
    const report = verifyBundle(moved, s.trust);
    // The rewritten leaf has another hash, so the next leaf's link to it breaks too.
    expect(report.checks.filter((c) => !c.ok)).toEqual([
      expect.objectContaining({
        what: 'entry signature',
        index: 2,
        detail: expect.stringMatching(/^BAD_SIGNATURE: .*leaf 0 of 6/),
      }),
      expect.objectContaining({ what: 'hash links', index: 6 }),
    ]);
  });
});
