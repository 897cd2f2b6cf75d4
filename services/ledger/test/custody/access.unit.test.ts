// Who held a pack, legitimately (DESIGN §3): only legitimate custody steps open a pack's history to a
// partner. Events that break the custody rules stay as evidence and raise their anomaly, but grant
// their signer nothing.

import { describe, expect, it } from 'vitest';
import type { EntityState } from '../../src/custody/index.ts';
import { history, MAKER, OTHER_PHARMACY, PHARMACY, pack, STRANGER, sscc, WHOLESALER } from './history.ts';

const p1 = pack('H1');
const p2 = pack('H2');
const CASE = sscc(21);
const PALLET = sscc(22);

/** The parties a state's legitimate custody steps name, each once, in order. */
const holders = (state: EntityState) => [...new Set(state.custodySteps.map((s) => s.party))];

describe('custody access: only legitimate custody grants', () => {
  it('the normal chain grants the maker, the wholesaler shipped to and the pharmacy that received', () => {
    const h = history()
      .commission(MAKER, [p1])
      .ship(MAKER, [p1], WHOLESALER)
      .receive(WHOLESALER, [p1], MAKER)
      .ship(WHOLESALER, [p1], PHARMACY)
      .receive(PHARMACY, [p1], WHOLESALER)
      .dispense(PHARMACY, [p1]);
    expect(h.state(p1).custodySteps).toEqual([
      { seq: 1, party: MAKER },
      { seq: 2, party: WHOLESALER },
      { seq: 3, party: WHOLESALER },
      { seq: 4, party: PHARMACY },
      { seq: 5, party: PHARMACY },
    ]);
  });

  it('the party shipped to holds it before its receive is on the ledger', () => {
    const h = history().commission(MAKER, [p1]).ship(MAKER, [p1], PHARMACY);
    expect(holders(h.state(p1))).toEqual([MAKER, PHARMACY]);
  });

  it('a RECEIVE with no shipment to the receiver is evidence: its anomaly, and no grant', () => {
    const h = history().commission(MAKER, [p1]).receive(STRANGER, [p1], MAKER);
    const state = h.state(p1);
    expect(state.history).toEqual([1, 2]);
    expect(state.anomalies.map((a) => a.code)).toEqual(['RECEIVE_WITHOUT_SHIPMENT']);
    expect(holders(state)).toEqual([MAKER]);
  });

  it('a RECEIVE of a pack shipped to someone else grants the interloper nothing', () => {
    const h = history().commission(MAKER, [p1]).ship(MAKER, [p1], PHARMACY).receive(STRANGER, [p1], MAKER);
    expect(holders(h.state(p1))).toEqual([MAKER, PHARMACY]);
  });

  it('a DISPENSE by a party that never held the pack grants nothing', () => {
    const h = history().commission(MAKER, [p1]).dispense(STRANGER, [p1]);
    expect(h.state(p1).anomalies.map((a) => a.code)).toEqual(['NOT_CUSTODIAN']);
    expect(holders(h.state(p1))).toEqual([MAKER]);
  });

  it('a second DISPENSE grants nothing, even to a party shipped the pack later', () => {
    const h = history()
      .commission(MAKER, [p1])
      .ship(MAKER, [p1], PHARMACY)
      .receive(PHARMACY, [p1], MAKER)
      .dispense(PHARMACY, [p1])
      .dispense(PHARMACY, [p1])
      .ship(PHARMACY, [p1], OTHER_PHARMACY);
    expect(h.state(p1).anomalies.map((a) => a.code)).toEqual(['ALREADY_DISPENSED', 'INACTIVE_ITEM']);
    expect(holders(h.state(p1))).toEqual([MAKER, PHARMACY]);
  });

  it('a SHIP by a non-custodian grants its `to` nothing', () => {
    const h = history().commission(MAKER, [p1]).ship(STRANGER, [p1], OTHER_PHARMACY);
    expect(h.state(p1).anomalies.map((a) => a.code)).toEqual(['NOT_CUSTODIAN']);
    expect(holders(h.state(p1))).toEqual([MAKER]);
  });

  it('nothing done after a forged RECEIVE grants: shipping on to oneself or to an accomplice', () => {
    const h = history()
      .commission(MAKER, [p1])
      .receive(STRANGER, [p1], MAKER) // forged: raises RECEIVE_WITHOUT_SHIPMENT
      .ship(STRANGER, [p1], STRANGER) // clean by the evidence: STRANGER is the recorded custodian now
      .receive(STRANGER, [p1], STRANGER)
      .ship(STRANGER, [p1], OTHER_PHARMACY)
      .receive(OTHER_PHARMACY, [p1], STRANGER);
    const state = h.state(p1);
    expect(state.anomalies.map((a) => a.code)).toEqual(['RECEIVE_WITHOUT_SHIPMENT']);
    expect(state).toMatchObject({ custodian: OTHER_PHARMACY, history: [1, 2, 3, 4, 5, 6] });
    expect(holders(state)).toEqual([MAKER]);
  });

  it('an unshipped pack received into a case does not reach whoever the case goes to', () => {
    const h = history()
      .commission(MAKER, [p1])
      .receive(STRANGER, [p1], MAKER) // forged
      .aggregate(STRANGER, CASE, [p1]) // its own case: built legitimately
      .ship(STRANGER, [CASE], OTHER_PHARMACY)
      .receive(OTHER_PHARMACY, [CASE], STRANGER);
    expect(holders(h.state(CASE))).toEqual([STRANGER, OTHER_PHARMACY]);
    expect(holders(h.state(p1))).toEqual([MAKER]);
  });

  it("smuggling someone else's pack into one's own case grants nothing, then or after unpacking", () => {
    const h = history()
      .commission(MAKER, [p1])
      .aggregate(STRANGER, CASE, [p1]) // NOT_CUSTODIAN on p1; the case is STRANGER's
      .ship(STRANGER, [CASE], STRANGER)
      .receive(STRANGER, [CASE], STRANGER)
      .disaggregate(STRANGER, CASE)
      .ship(STRANGER, [p1], OTHER_PHARMACY);
    expect(h.state(p1).anomalies.map((a) => a.code)).toEqual(['NOT_CUSTODIAN']);
    expect(holders(h.state(p1))).toEqual([MAKER]);
  });

  it('a legitimate case and pallet pass their custody steps to the packs inside, during the stay only', () => {
    const h = history()
      .commission(MAKER, [p1, p2, CASE])
      .aggregate(MAKER, CASE, [p1])
      .aggregate(WHOLESALER, PALLET, []) // the wholesaler's pallet: never holds p1 before the join
      .ship(MAKER, [CASE], WHOLESALER)
      .receive(WHOLESALER, [CASE], MAKER)
      .aggregate(WHOLESALER, PALLET, [CASE])
      .ship(WHOLESALER, [PALLET], PHARMACY)
      .receive(PHARMACY, [PALLET], WHOLESALER)
      .disaggregate(PHARMACY, PALLET)
      .disaggregate(PHARMACY, CASE)
      .ship(PHARMACY, [CASE], OTHER_PHARMACY); // the empty case: not p1's business any more
    const state = h.state(p1);
    expect(state.anomalies).toEqual([]);
    expect(state.custodySteps).toEqual([
      { seq: 1, party: MAKER },
      { seq: 4, party: WHOLESALER },
      { seq: 5, party: WHOLESALER },
      { seq: 7, party: PHARMACY },
      { seq: 8, party: PHARMACY },
    ]);
    expect(holders(h.state(p2))).toEqual([MAKER]);
  });

  it('a duplicate COMMISSION grants its signer nothing', () => {
    const h = history().commission(MAKER, [p1]).commission(STRANGER, [p1]);
    expect(holders(h.state(p1))).toEqual([MAKER]);
  });
});
