import { describe, expect, it } from 'vitest';
import { deriveItemState, entityState } from '../../src/custody/index.ts';
import { codes, history, MAKER, PHARMACY, pack, packs, SITE, STRANGER, sscc, WHOLESALER } from './history.ts';

const p1 = pack('C1');
const p2 = pack('C2');
const CASE = sscc(1);
const CASE2 = sscc(2);
const PALLET = sscc(9);

describe('containers', () => {
  it('a pallet a wholesaler builds under its own SSCC comes into being in its custody, without anomaly', () => {
    const h = history()
      .commission(MAKER, [p1, p2])
      .ship(MAKER, [p1, p2], WHOLESALER)
      .receive(WHOLESALER, [p1, p2], MAKER)
      .aggregate(WHOLESALER, PALLET, [p1, p2])
      .ship(WHOLESALER, [PALLET], PHARMACY)
      .receive(PHARMACY, [PALLET], WHOLESALER);
    expect(h.state(PALLET)).toMatchObject({
      exists: true,
      status: 'ACTIVE',
      custodian: PHARMACY,
      anomalies: [],
    });
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', custodian: PHARMACY, parent: PALLET });
    expect(codes(h.state(p1))).toEqual([]);
  });

  it('an aggregated child that was never commissioned is still NOT_COMMISSIONED', () => {
    const h = history().commission(MAKER, [p1]).aggregate(MAKER, CASE, [p2]);
    expect(codes(h.state(p2))).toEqual([['NOT_COMMISSIONED', 2]]);
    expect(codes(h.state(CASE))).toEqual([]);
  });

  it('decommissioning a container decommissions what is inside it, for good', () => {
    const h = history()
      .commission(MAKER, [p1, p2, CASE, PALLET])
      .aggregate(MAKER, CASE, [p1])
      .aggregate(MAKER, PALLET, [CASE])
      .ship(MAKER, [PALLET], WHOLESALER)
      .decommission(MAKER, [PALLET], 'stolen');
    const gone = { status: 'DECOMMISSIONED', decommissionReason: 'stolen' };
    expect(h.state(p1)).toMatchObject({
      ...gone,
      decommissionedAt: { seq: 5, party: MAKER, container: PALLET },
    });
    expect(h.state(CASE)).toMatchObject({ ...gone, decommissionedAt: { seq: 5, container: PALLET } });
    expect(h.state(PALLET)).toMatchObject(gone);
    expect(h.state(PALLET).decommissionedAt?.container).toBeUndefined();

    // The stolen pallet resurfaces: taken apart, its case shipped on, a pack dispensed.
    h.receive(STRANGER, [PALLET], MAKER)
      .disaggregate(STRANGER, PALLET)
      .disaggregate(STRANGER, CASE)
      .ship(STRANGER, [p1], PHARMACY)
      .receive(PHARMACY, [p1], STRANGER)
      .dispense(PHARMACY, [p1]);
    const after = h.state(p1);
    expect(after).toMatchObject({ ...gone, custodian: PHARMACY, location: SITE[PHARMACY] });
    expect(after.parent).toBeUndefined();
    expect(codes(after)).toEqual([
      ['INACTIVE_ITEM', 6], // PALLET's: received after it was decommissioned...
      ['RECEIVE_WITHOUT_SHIPMENT', 6], // ...by a party it was not shipped to
      ['INACTIVE_ITEM', 7], // PALLET's, taking CASE out
      ['INACTIVE_ITEM', 8], // CASE's, taking p1 out
      ['INACTIVE_ITEM', 9], // p1's own from here on
      ['INACTIVE_ITEM', 10],
      ['INACTIVE_ITEM', 11],
    ]);
    expect(after.anomalies.map((a) => a.container)).toEqual([
      PALLET,
      PALLET,
      PALLET,
      CASE,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('does not decommission what is put into a decommissioned container later', () => {
    const h = history()
      .commission(MAKER, [p1, CASE])
      .decommission(MAKER, [CASE], 'damaged')
      .aggregate(MAKER, CASE, [p1]);
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', parent: CASE });
    expect(codes(h.state(CASE))).toEqual([['INACTIVE_ITEM', 3]]);
  });

  it("includes a container's anomalies only while the pack was inside it, tagged with the container", () => {
    const h = history()
      .commission(MAKER, [p1, CASE])
      .receive(STRANGER, [CASE], MAKER) // before p1 went in
      .aggregate(STRANGER, CASE, [p1]) // p1 held by MAKER: NOT_CUSTODIAN on p1
      .ship(MAKER, [CASE], PHARMACY) // CASE held by STRANGER: NOT_CUSTODIAN on CASE, p1 inside
      .disaggregate(PHARMACY, CASE) // in transit: NOT_RECEIVED on CASE, p1 leaves
      .ship(STRANGER, [CASE], WHOLESALER); // after p1 left
    const state = h.state(p1);
    expect(codes(state)).toEqual([
      ['NOT_CUSTODIAN', 3],
      ['NOT_CUSTODIAN', 4],
      ['NOT_RECEIVED', 5],
    ]);
    expect(state.anomalies.map((a) => a.container)).toEqual([undefined, CASE, CASE]);
    expect(state.history).toEqual([1, 3, 4, 5]);
  });

  it('tags anomalies of an outer container with that container', () => {
    const h = history()
      .commission(MAKER, [p1, CASE, PALLET])
      .aggregate(MAKER, CASE, [p1])
      .aggregate(MAKER, PALLET, [CASE])
      .ship(STRANGER, [PALLET], PHARMACY);
    expect(h.state(p1).anomalies).toMatchObject([{ code: 'NOT_CUSTODIAN', seq: 4, container: PALLET }]);
    expect(h.state(p1)).toMatchObject({ status: 'IN_TRANSIT', custodian: STRANGER });
  });

  it('a pack taken out keeps the custody it had inside; its old container moves on without it', () => {
    const h = history()
      .commission(MAKER, [p1, p2, CASE, CASE2])
      .aggregate(MAKER, CASE, [p1, p2])
      .ship(MAKER, [CASE, CASE2], WHOLESALER)
      .receive(WHOLESALER, [CASE, CASE2], MAKER)
      .disaggregate(WHOLESALER, CASE, [p1])
      .aggregate(WHOLESALER, CASE2, [p1])
      .ship(WHOLESALER, [CASE], PHARMACY);
    expect(h.state(p1)).toMatchObject({
      status: 'ACTIVE',
      custodian: WHOLESALER,
      parent: CASE2,
      anomalies: [],
    });
    expect(h.state(p2)).toMatchObject({ status: 'IN_TRANSIT', custodian: WHOLESALER, parent: CASE });
    expect(h.world().children.get(CASE)).toEqual(new Set([p2]));
    expect(h.world().children.get(CASE2)).toEqual(new Set([p1]));
  });
});

describe('a partial view: only the entries naming the item and its containers', () => {
  it('keeps items it never saw commissioned as stubs and does not crash on them', () => {
    const others = [sscc(21), sscc(22), sscc(23)];
    const h = history()
      .commission(MAKER, [p1, CASE, PALLET])
      .aggregate(MAKER, CASE, [p1])
      .aggregate(MAKER, PALLET, [CASE, ...others]) // the other cases' commissioning was not passed
      .ship(MAKER, [PALLET], PHARMACY)
      .receive(PHARMACY, [PALLET], MAKER)
      .disaggregate(PHARMACY, PALLET);
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', custodian: PHARMACY, parent: CASE, anomalies: [] });
    expect(h.state(others[0] as string)).toMatchObject({
      exists: false,
      kind: 'container',
      status: 'ACTIVE',
      custodian: PHARMACY,
    });
    expect(codes(h.state(others[0] as string))).toEqual([['NOT_COMMISSIONED', 3]]);
    expect(deriveItemState(pack('nobody'), h.entries)).toBeUndefined();
    expect(entityState(h.world(), 'not even a URI')).toBeUndefined();
  });

  it('keeps identifiers it cannot parse as packs without keys', () => {
    const h = history().ship(MAKER, ['urn:something:else'], PHARMACY);
    expect(h.state('urn:something:else')).toMatchObject({
      kind: 'pack',
      exists: false,
      status: 'IN_TRANSIT',
    });
    expect(h.state('urn:something:else').gtin).toBeUndefined();
  });

  it('decodes a percent-encoded serial', () => {
    const item = pack('A/B%');
    expect(item).toContain('A%2FB%25');
    expect(history().commission(MAKER, [item]).state(item).serial).toBe('A/B%');
  });
});

describe('cost', () => {
  it('ships a 10,000-pack pallet back and forth 2,000 times without touching every pack each time', () => {
    const cases = Array.from({ length: 100 }, (_, i) => sscc(1000 + i));
    const all = packs('Z', 10_000);
    const h = history().commission(MAKER, [...all, ...cases, PALLET]);
    cases.forEach((c, i) => {
      h.aggregate(MAKER, c, all.slice(i * 100, (i + 1) * 100));
    });
    h.aggregate(MAKER, PALLET, cases);
    const parties = [MAKER, WHOLESALER];
    for (let i = 0; i < 2_000; i++) {
      const [from, to] = [parties[i % 2] as string, parties[(i + 1) % 2] as string];
      h.ship(from, [PALLET], to).receive(to, [PALLET], from);
    }
    const world = h.world();
    const last = all.at(-1) as string;
    expect(entityState(world, last)).toMatchObject({ status: 'ACTIVE', custodian: MAKER, anomalies: [] });
    expect(entityState(world, last)?.history).toHaveLength(2 + 1 + 4_000);
    // Writing each ship and receive into all 10,000 packs would be 40 million writes; how fast the fold
    // stays is measured by services/ledger/bench/fold.bench.ts, never asserted here.
  });
});
