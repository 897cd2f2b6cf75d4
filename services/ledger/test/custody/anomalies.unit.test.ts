import { afterAll, describe, expect, it } from 'vitest';
import { ANOMALY_CODES, type AnomalyCode, type EntityState } from '../../src/custody/index.ts';
import {
  codes,
  type History,
  history,
  MAKER,
  OTHER_PHARMACY,
  PHARMACY,
  pack,
  SITE,
  STRANGER,
  sscc,
  WHOLESALER,
} from './history.ts';

const p1 = pack('X1');
const p2 = pack('X2');
const CASE = sscc(1);
const CASE2 = sscc(2);
const PALLET = sscc(9);

// Every code any scenario here produced, to check that each documented code has a scenario.
const produced = new Set<AnomalyCode>();
const seen = (state: EntityState): EntityState => {
  for (const a of state.anomalies) produced.add(a.code);
  return state;
};
const then = (h: History, item: string) => codes(seen(h.state(item)));

/** A pack of the maker, shipped to the pharmacy and received there. */
const atPharmacy = () =>
  history().commission(MAKER, [p1, p2]).ship(MAKER, [p1, p2], PHARMACY).receive(PHARMACY, [p1, p2], MAKER);

describe('custody anomalies: recorded, applied as far as they can be, and never stopping the fold', () => {
  it('NOT_COMMISSIONED: an event names an item never commissioned; a stub keeps the evidence', () => {
    const h = history().ship(WHOLESALER, [p1], PHARMACY);
    expect(then(h, p1)).toEqual([['NOT_COMMISSIONED', 1]]);
    expect(h.state(p1)).toMatchObject({
      exists: false,
      status: 'IN_TRANSIT',
      custodian: WHOLESALER,
      history: [1],
    });
  });

  it('NOT_COMMISSIONED: commissioned later than the event (by eventTime), even if uploaded first', () => {
    const h = history()
      .commission(MAKER, [p1], { at: 2_000_000, seq: 1 })
      .ship(MAKER, [p1], PHARMACY, { at: 1_000_000, seq: 2 });
    expect(then(h, p1)).toEqual([['NOT_COMMISSIONED', 2]]);
    expect(h.state(p1)).toMatchObject({ exists: true, status: 'ACTIVE', custodian: MAKER });
  });

  it('DUPLICATE_COMMISSION: the first commission stands', () => {
    const h = history().commission(MAKER, [p1], { lot: 'A' }).commission(STRANGER, [p1], { lot: 'B' });
    expect(then(h, p1)).toEqual([['DUPLICATE_COMMISSION', 2]]);
    expect(h.state(p1)).toMatchObject({ lot: 'A', custodian: MAKER, commissionedBy: MAKER, history: [1, 2] });
  });

  it('NOT_CUSTODIAN: an aggregation by someone holding neither the parent nor a child', () => {
    const h = atPharmacy().commission(MAKER, [CASE]).aggregate(PHARMACY, CASE, [p1]);
    expect(then(h, CASE)).toEqual([['NOT_CUSTODIAN', 5]]);
    expect(then(h, p1)).toEqual([['NOT_CUSTODIAN', 5]].map(([c, s]) => [c, s]) as [AnomalyCode, number][]);
    expect(h.state(p1).anomalies[0]?.container).toBe(CASE); // raised on the case as the pack went in
    expect(h.state(p1)).toMatchObject({ parent: CASE, custodian: PHARMACY });
  });

  it('NOT_CUSTODIAN: a shipment by a non-custodian is still applied', () => {
    const h = history()
      .commission(MAKER, [p1])
      .ship(STRANGER, [p1], PHARMACY)
      .receive(PHARMACY, [p1], STRANGER);
    expect(then(h, p1)).toEqual([['NOT_CUSTODIAN', 2]]);
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', custodian: PHARMACY });
  });

  it('NOT_CUSTODIAN: dispense and decommission by a party not holding the pack', () => {
    const h = atPharmacy().dispense(OTHER_PHARMACY, [p1]).decommission(STRANGER, [p2], 'stolen');
    expect(then(h, p1)).toEqual([['NOT_CUSTODIAN', 4]]);
    expect(then(h, p2)).toEqual([['NOT_CUSTODIAN', 5]]);
    expect(h.state(p1)).toMatchObject({ status: 'DISPENSED', dispensedAt: { party: OTHER_PHARMACY } });
    expect(h.state(p2)).toMatchObject({ status: 'DECOMMISSIONED', decommissionReason: 'stolen' });
  });

  it('NOT_CUSTODIAN: a disaggregation by someone not holding the container', () => {
    const h = history()
      .commission(MAKER, [p1, CASE])
      .aggregate(MAKER, CASE, [p1])
      .disaggregate(STRANGER, CASE);
    expect(then(h, CASE)).toEqual([['NOT_CUSTODIAN', 3]]);
    expect(h.state(p1).parent).toBeUndefined();
  });

  it('CONTAINER_CONFLICT: a child aggregated while inside another container moves', () => {
    const h = history()
      .commission(MAKER, [p1, CASE, CASE2])
      .aggregate(MAKER, CASE, [p1])
      .aggregate(MAKER, CASE2, [p1])
      .ship(MAKER, [CASE], PHARMACY);
    expect(then(h, p1)).toEqual([['CONTAINER_CONFLICT', 3]]);
    expect(h.state(p1)).toMatchObject({ parent: CASE2, status: 'ACTIVE' });
    expect(h.world().children.get(CASE)?.size).toBe(0);
  });

  it('NOT_IN_CONTAINER: a disaggregation naming a child that is not inside the parent', () => {
    const h = history()
      .commission(MAKER, [p1, p2, CASE, CASE2])
      .aggregate(MAKER, CASE2, [p2])
      .disaggregate(MAKER, CASE, [p1, p2]);
    expect(then(h, p1)).toEqual([['NOT_IN_CONTAINER', 3]]);
    expect(then(h, p2)).toEqual([['NOT_IN_CONTAINER', 3]]);
    expect(h.state(p2).parent).toBe(CASE2);
  });

  it('INVALID_CONTAINMENT: a container cycle or a pack as parent is not applied', () => {
    const h = history()
      .commission(MAKER, [p1, CASE, PALLET])
      .aggregate(MAKER, PALLET, [CASE])
      .aggregate(MAKER, CASE, [PALLET])
      .aggregate(MAKER, p1, [CASE])
      .aggregate(MAKER, CASE, [CASE]);
    expect(then(h, PALLET)).toEqual([['INVALID_CONTAINMENT', 3]]);
    expect(then(h, p1)).toEqual([['INVALID_CONTAINMENT', 4]]);
    expect(then(h, CASE)).toEqual([
      ['INVALID_CONTAINMENT', 3], // PALLET's, raised while CASE was inside it
      ['INVALID_CONTAINMENT', 5],
    ]);
    expect(h.state(CASE).parent).toBe(PALLET);
    expect(h.state(PALLET).parent).toBeUndefined();
  });

  it('INACTIVE_ITEM: shipping, receiving, aggregating or decommissioning what is dispensed or decommissioned', () => {
    const h = atPharmacy()
      .dispense(PHARMACY, [p1])
      .decommission(PHARMACY, [p2], 'damaged')
      .ship(PHARMACY, [p1], WHOLESALER)
      .receive(WHOLESALER, [p1], PHARMACY)
      .decommission(PHARMACY, [p2], 'expired')
      .commission(WHOLESALER, [CASE])
      .aggregate(WHOLESALER, CASE, [p1]);
    expect(then(h, p1)).toEqual([
      ['INACTIVE_ITEM', 6],
      ['INACTIVE_ITEM', 7],
      ['INACTIVE_ITEM', 10],
    ]);
    expect(then(h, p2)).toEqual([['INACTIVE_ITEM', 8]]);
    // Terminal status stays; custody still follows the evidence.
    expect(h.state(p1)).toMatchObject({
      status: 'DISPENSED',
      custodian: WHOLESALER,
      dispensedAt: { seq: 4 },
    });
    expect(h.state(p2)).toMatchObject({ status: 'DECOMMISSIONED', decommissionReason: 'damaged' });
  });

  it('INACTIVE_ITEM: dispensing a decommissioned pack', () => {
    const h = atPharmacy().decommission(PHARMACY, [p1], 'expired').dispense(PHARMACY, [p1]);
    expect(then(h, p1)).toEqual([['INACTIVE_ITEM', 5]]);
    expect(h.state(p1)).toMatchObject({ status: 'DECOMMISSIONED', decommissionReason: 'expired' });
    expect(h.state(p1).dispensedAt).toBeUndefined();
  });

  it('ALREADY_IN_TRANSIT: shipping again before the first shipment was received', () => {
    const h = history().commission(MAKER, [p1]).ship(MAKER, [p1], WHOLESALER).ship(MAKER, [p1], PHARMACY);
    expect(then(h, p1)).toEqual([['ALREADY_IN_TRANSIT', 3]]);
    expect(h.state(p1).inTransit).toEqual({ from: MAKER, to: PHARMACY, seq: 3 });
  });

  it('ALREADY_IN_TRANSIT (not NOT_CUSTODIAN): the recipient forwards before recording the receive', () => {
    const h = history()
      .commission(MAKER, [p1])
      .ship(MAKER, [p1], WHOLESALER)
      .ship(WHOLESALER, [p1], PHARMACY);
    expect(then(h, p1)).toEqual([['ALREADY_IN_TRANSIT', 3]]);
  });

  it('RECEIVE_WITHOUT_SHIPMENT: still applied, custody follows the signed evidence', () => {
    const h = history().commission(MAKER, [p1]).receive(PHARMACY, [p1], MAKER);
    expect(then(h, p1)).toEqual([['RECEIVE_WITHOUT_SHIPMENT', 2]]);
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', custodian: PHARMACY, location: SITE[PHARMACY] });
  });

  it('RECEIVE_WITHOUT_SHIPMENT: received by a party it was not shipped to', () => {
    const h = history().commission(MAKER, [p1]).ship(MAKER, [p1], WHOLESALER).receive(PHARMACY, [p1], MAKER);
    expect(then(h, p1)).toEqual([['RECEIVE_WITHOUT_SHIPMENT', 3]]);
    expect(h.state(p1)).toMatchObject({ custodian: PHARMACY });
  });

  it('SHIPPER_MISMATCH: the receive names another shipper', () => {
    const h = history()
      .commission(MAKER, [p1])
      .ship(MAKER, [p1], PHARMACY)
      .receive(PHARMACY, [p1], WHOLESALER);
    expect(then(h, p1)).toEqual([['SHIPPER_MISMATCH', 3]]);
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', custodian: PHARMACY });
  });

  it('NOT_RECEIVED: dispensing a pack still in transit to the pharmacy', () => {
    const h = history().commission(MAKER, [p1]).ship(MAKER, [p1], PHARMACY).dispense(PHARMACY, [p1]);
    expect(then(h, p1)).toEqual([['NOT_RECEIVED', 3]]);
    expect(h.state(p1).status).toBe('DISPENSED');
  });

  it('NOT_RECEIVED: aggregating, disaggregating or decommissioning by the recipient before the receive', () => {
    const h = history()
      .commission(MAKER, [p1, p2, CASE])
      .aggregate(MAKER, CASE, [p1])
      .ship(MAKER, [CASE, p2], PHARMACY)
      .disaggregate(PHARMACY, CASE)
      .decommission(PHARMACY, [p2], 'damaged');
    expect(then(h, CASE)).toEqual([['NOT_RECEIVED', 4]]);
    expect(then(h, p2)).toEqual([['NOT_RECEIVED', 5]]);
  });

  it('the shipper may decommission what was lost in transit', () => {
    const h = history()
      .commission(MAKER, [p1])
      .ship(MAKER, [p1], PHARMACY)
      .decommission(MAKER, [p1], 'stolen');
    expect(then(h, p1)).toEqual([]);
    expect(h.state(p1)).toMatchObject({ status: 'DECOMMISSIONED', decommissionReason: 'stolen' });
  });

  it('ALREADY_DISPENSED: a second dispense; the first one stands', () => {
    const h = atPharmacy().dispense(PHARMACY, [p1]).dispense(PHARMACY, [p1]);
    expect(then(h, p1)).toEqual([['ALREADY_DISPENSED', 5]]);
    expect(h.state(p1).dispensedAt).toMatchObject({ seq: 4 });
  });

  it('DISPENSED_WHILE_RECALLED: dispensed after its lot was recalled', () => {
    const h = atPharmacy().recall(MAKER, 'LOT1').dispense(PHARMACY, [p1]);
    expect(then(h, p1)).toEqual([['DISPENSED_WHILE_RECALLED', 5]]);
    expect(h.state(p1)).toMatchObject({ status: 'DISPENSED', recalled: { seq: 4 } });
  });

  it('NOT_A_PACK: a container is not dispensed', () => {
    const h = history().commission(PHARMACY, [CASE]).dispense(PHARMACY, [CASE]);
    expect(then(h, CASE)).toEqual([['NOT_A_PACK', 2]]);
    expect(h.state(CASE).status).toBe('ACTIVE');
  });

  it('carries seq, eventId and a message naming the item', () => {
    const h = history().commission(MAKER, [p1]).receive(PHARMACY, [p1], MAKER);
    expect(seen(h.state(p1)).anomalies).toEqual([
      { code: 'RECEIVE_WITHOUT_SHIPMENT', seq: 2, eventId: 'evt-2', message: expect.stringContaining(p1) },
    ]);
  });

  it('several anomalies from one event are all raised', () => {
    const h = atPharmacy()
      .ship(PHARMACY, [p1], WHOLESALER)
      .dispense(PHARMACY, [p1])
      .dispense(OTHER_PHARMACY, [p1]);
    expect(then(h, p1)).toEqual([
      ['NOT_RECEIVED', 5],
      ['ALREADY_DISPENSED', 6],
      ['NOT_RECEIVED', 6],
      ['NOT_CUSTODIAN', 6],
    ]);
  });

  afterAll(() => {
    // Runs after the scenarios above: each documented code was produced by at least one of them.
    expect([...produced].sort()).toEqual(Object.keys(ANOMALY_CODES).sort());
  });
});

describe('ANOMALY_CODES', () => {
  it('documents each code in one line', () => {
    for (const [code, meaning] of Object.entries(ANOMALY_CODES)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(meaning).not.toContain('\n');
      expect(meaning.length).toBeGreaterThan(10);
    }
  });
});
