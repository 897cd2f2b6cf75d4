import type { CustodyEvent } from '@rxledger/events';
import { describe, expect, it } from 'vitest';
import { type CustodyEntry, type EntityState, entityState, foldCustody } from '../../src/custody/index.ts';
import {
  codes,
  type History,
  history,
  MAKER,
  MINUTE,
  OTHER_PHARMACY,
  PHARMACY,
  pack,
  prng,
  randomHistory,
  STRANGER,
  shuffle,
  sscc,
  T0,
  WHOLESALER,
} from './history.ts';

const p1 = pack('O1');
const CASE = sscc(1);
const PALLET = sscc(9);

/** Every entity of the folded world, by URI. */
const allStates = (entries: readonly CustodyEntry[]) => {
  const world = foldCustody(entries);
  return Object.fromEntries([...world.entities.keys()].sort().map((uri) => [uri, entityState(world, uri)]));
};

describe('fold order: eventTime, then ledger order', () => {
  it('a late upload of an earlier event gives the same answer as an on-time one', () => {
    const onTime = history()
      .commission(MAKER, [p1], { at: T0 + 1 * MINUTE, seq: 1 })
      .ship(MAKER, [p1], PHARMACY, { at: T0 + 2 * MINUTE, seq: 2 })
      .receive(PHARMACY, [p1], MAKER, { at: T0 + 3 * MINUTE, seq: 3 });
    // The shipper's scanner uploads its SHIP after the pharmacy's RECEIVE reached the ledger.
    const late = history()
      .commission(MAKER, [p1], { at: T0 + 1 * MINUTE, seq: 1 })
      .receive(PHARMACY, [p1], MAKER, { at: T0 + 3 * MINUTE, seq: 2 })
      .ship(MAKER, [p1], PHARMACY, { at: T0 + 2 * MINUTE, seq: 3 });
    expect(late.state(p1)).toMatchObject({
      status: 'ACTIVE',
      custodian: PHARMACY,
      anomalies: [],
      history: [1, 3, 2],
      custodySteps: [
        { seq: 1, party: MAKER },
        { seq: 3, party: PHARMACY },
        { seq: 2, party: PHARMACY },
      ],
    });
    const { history: _a, lastSeq: _b, custodySteps: _c, ...rest } = late.state(p1);
    expect(onTime.state(p1)).toMatchObject(rest);
  });

  it('breaks ties on eventTime by seq', () => {
    const at = T0 + 5 * MINUTE;
    const shipFirst = history()
      .commission(MAKER, [p1])
      .ship(MAKER, [p1], PHARMACY, { at, seq: 10 })
      .receive(PHARMACY, [p1], MAKER, { at, seq: 11 });
    expect(shipFirst.state(p1)).toMatchObject({ status: 'ACTIVE', custodian: PHARMACY, anomalies: [] });

    const receiveFirst = history()
      .commission(MAKER, [p1])
      .ship(MAKER, [p1], PHARMACY, { at, seq: 11 })
      .receive(PHARMACY, [p1], MAKER, { at, seq: 10 });
    expect(receiveFirst.state(p1)).toMatchObject({
      status: 'IN_TRANSIT',
      custodian: MAKER,
      history: [1, 10, 11],
    });
    expect(codes(receiveFirst.state(p1))).toEqual([
      ['RECEIVE_WITHOUT_SHIPMENT', 10],
      ['NOT_CUSTODIAN', 11], // the pharmacy held it by then
    ]);
  });

  it('gives the same world for any order the entries are handed in (200 seeded permutations)', () => {
    const h = journey();
    const expected = allStates(h.entries);
    const random = prng(20250301);
    for (let i = 0; i < 200; i++) {
      expect(allStates(shuffle(h.entries, random)), `permutation ${i}`).toEqual(expected);
    }
  });

  it('gives the same states whatever ledger order the events arrived in (random histories, seeded)', () => {
    const random = prng(42);
    for (let run = 0; run < 20; run++) {
      const events = randomHistory(random, 30);
      const reference = byEventId(
        events,
        events.map((_, i) => i + 1),
      );
      for (let k = 0; k < 20; k++) {
        const seqs = shuffle(
          events.map((_, i) => i + 1),
          random,
        );
        expect(byEventId(events, seqs), `run ${run}, arrival ${k}`).toEqual(reference);
      }
    }
  });

  it('does not crash on random histories full of anomalies and unknown items', () => {
    const random = prng(7);
    for (let run = 0; run < 100; run++) {
      const events = randomHistory(random, 60, { commissionFirst: false });
      const states = allStates(events.map((event, i) => ({ seq: i + 1, event })));
      for (const state of Object.values(states)) {
        expect(state?.history.length).toBeGreaterThan(0);
      }
    }
  });
});

// A realistic journey with a few detours, as ledger entries.
function journey(): History {
  const [a, b, c] = [pack('J1'), pack('J2'), pack('J3')];
  return history()
    .commission(MAKER, [a, b, c, CASE, PALLET], { lot: 'L1' })
    .aggregate(MAKER, CASE, [a, b])
    .aggregate(MAKER, PALLET, [CASE, c])
    .ship(MAKER, [PALLET], WHOLESALER)
    .receive(WHOLESALER, [PALLET], MAKER)
    .disaggregate(WHOLESALER, PALLET, [CASE])
    .recall(MAKER, 'L1')
    .ship(WHOLESALER, [CASE], PHARMACY)
    .receive(PHARMACY, [CASE], WHOLESALER)
    .dispense(PHARMACY, [a])
    .dispense(PHARMACY, [a])
    .decommission(WHOLESALER, [PALLET], 'damaged')
    .receive(OTHER_PHARMACY, [b], STRANGER);
}

// Folds `events` with the given seqs and returns every state with seqs replaced by eventIds, so runs
// with different ledger orders compare.
function byEventId(events: CustodyEvent[], seqs: number[]) {
  const entries = events.map((event, i) => ({ seq: seqs[i] ?? 0, event }));
  const idOf = new Map(entries.map((e) => [e.seq, e.event.eventId]));
  const id = (seq: number) => idOf.get(seq) ?? `?${seq}`;
  const normalize = (v: unknown, key = ''): unknown => {
    if (typeof v === 'number' && (key === 'seq' || key === 'lastSeq' || key === 'history')) return id(v);
    if (typeof v === 'string' && key === 'message')
      return v.replace(/seq (\d+)/g, (_, s) => `seq ${id(Number(s))}`);
    if (Array.isArray(v)) return v.map((x) => normalize(x, key));
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x, k)]));
    }
    return v;
  };
  return normalize(allStates(entries)) as Record<string, EntityState>;
}
