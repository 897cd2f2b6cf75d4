// The undo of a dispense (EU 2016/161 Art. 13): given a pack's history, when the pharmacy undoes its
// dispense, then the pack is ACTIVE again in its custody, or the undo is refused with its reason and
// changes nothing. Broker times (`appended`) are what the 10-day rule is judged by.

import { describe, expect, it } from 'vitest';
import { history, MAKER, MINUTE, OTHER_PHARMACY, pack, PHARMACY, SITE, T0, WHOLESALER } from './history.ts';

const DAY = 86_400_000;
const p1 = pack('U1');
const p2 = pack('U2');

/** Commissioned (expiry 2027-12-31 unless told), shipped to PHARMACY and received; seqs 1-3. */
const stocked = (items = [p1], expiry = '271231') =>
  history().commission(MAKER, items, { expiry }).ship(MAKER, items, PHARMACY).receive(PHARMACY, items, MAKER);

/** stocked(), then PHARMACY dispenses at T0 + 1 h as seq 4 (eventId evt-4). */
const DISPENSED_AT = T0 + 60 * MINUTE;
const dispensed = (items = [p1], expiry?: string) =>
  stocked(items, expiry).dispense(PHARMACY, items, { at: DISPENSED_AT });

const refusal = (h: ReturnType<typeof history>, item = p1) => h.state(item).undos?.at(-1)?.refusal?.code;

describe('undo of a dispense: in the rule', () => {
  it('makes the pack ACTIVE again in the pharmacy, keeps both events, and lets it be dispensed again', () => {
    const h = dispensed().undo(PHARMACY, 'evt-4', [p1], { at: DISPENSED_AT + DAY });
    const state = h.state(p1);
    expect(state.status).toBe('ACTIVE');
    expect(state.custodian).toBe(PHARMACY);
    expect(state.dispensedAt).toBeUndefined();
    expect(state.history).toEqual([1, 2, 3, 4, 5]);
    expect(state.undos).toEqual([{ seq: 5, eventId: 'evt-5', dispense: 'evt-4', dispenseSeq: 4 }]);
    expect(state.anomalies).toEqual([]);

    const again = h.dispense(PHARMACY, [p1]).state(p1);
    expect(again.status).toBe('DISPENSED');
    expect(again.dispensedAt).toMatchObject({ seq: 6, eventId: 'evt-6' });
    expect(again.anomalies).toEqual([]);
  });

  it('is in time when it reaches the broker exactly 10 days after the dispense', () => {
    const h = dispensed().undo(PHARMACY, 'evt-4', [p1], { appended: DISPENSED_AT + 10 * DAY });
    expect(h.state(p1).status).toBe('ACTIVE');
  });

  it('undoes only the packs it names (partial undo)', () => {
    const h = dispensed([p1, p2]).undo(PHARMACY, 'evt-4', [p2]);
    expect(h.state(p1).status).toBe('DISPENSED');
    expect(h.state(p2).status).toBe('ACTIVE');
  });

  it('is judged on the expiry day itself as still in date (calendar day, as verify does)', () => {
    // T0 is 2025-03-01; the pack expires on 2025-03-05.
    const h = dispensed([p1], '250305').undo(PHARMACY, 'evt-4', [p1], { appended: Date.UTC(2025, 2, 5, 23) });
    expect(h.state(p1).status).toBe('ACTIVE');
  });
});

describe('undo of a dispense: outside the rule, refused with its reason and no effect', () => {
  it('late: the broker got it more than 10 days after the dispense', () => {
    const h = dispensed().undo(PHARMACY, 'evt-4', [p1], { appended: DISPENSED_AT + 10 * DAY + 1 });
    expect(h.state(p1).status).toBe('DISPENSED');
    expect(refusal(h)).toBe('UNDO_TOO_LATE');
  });

  it('late even when its eventTime is backdated into the window: the broker time judges', () => {
    const h = dispensed().undo(PHARMACY, 'evt-4', [p1], {
      at: DISPENSED_AT + DAY,
      appended: DISPENSED_AT + 12 * DAY,
    });
    expect(refusal(h)).toBe('UNDO_TOO_LATE');
  });

  it('without a broker time it cannot be judged in time', () => {
    const h = dispensed().undo(PHARMACY, 'evt-4', [p1]);
    delete h.entries.at(-1)!.appendedAt;
    expect(refusal(h)).toBe('UNDO_TOO_LATE');
  });

  it('other pharmacy: the dispense it names was signed by another party', () => {
    const h = dispensed().undo(OTHER_PHARMACY, 'evt-4', [p1]);
    expect(h.state(p1).status).toBe('DISPENSED');
    expect(refusal(h)).toBe('UNDO_OTHER_PARTY');
  });

  it('other site of the same pharmacy: not the premises it was dispensed at', () => {
    const h = dispensed().undo(PHARMACY, 'evt-4', [p1], { site: SITE[OTHER_PHARMACY] });
    expect(refusal(h)).toBe('UNDO_OTHER_SITE');
  });

  it('recalled: the lot was recalled after the dispense', () => {
    const h = dispensed().recall(MAKER, 'LOT1').undo(PHARMACY, 'evt-4', [p1]);
    expect(h.state(p1).status).toBe('DISPENSED');
    expect(refusal(h)).toBe('UNDO_RECALLED');
  });

  it('expired: the expiry day is before the day the undo reached the broker', () => {
    const h = dispensed([p1], '250305').undo(PHARMACY, 'evt-4', [p1], { appended: Date.UTC(2025, 2, 6) });
    expect(h.state(p1).status).toBe('DISPENSED');
    expect(refusal(h)).toBe('UNDO_EXPIRED');
  });

  it('decommissioned after the dispense (that decommission changed nothing but is not undone)', () => {
    const h = dispensed().decommission(PHARMACY, [p1]).undo(PHARMACY, 'evt-4', [p1]);
    expect(refusal(h)).toBe('UNDO_DECOMMISSIONED');
    expect(h.state(p1).status).toBe('DISPENSED');
  });

  it('no such dispense: an unknown eventId, or a dispense of other packs', () => {
    expect(refusal(dispensed().undo(PHARMACY, 'evt-99', [p1]))).toBe('UNDO_NO_SUCH_DISPENSE');
    const h = stocked([p1, p2]).dispense(PHARMACY, [p2]).undo(PHARMACY, 'evt-4', [p1]);
    expect(refusal(h)).toBe('UNDO_NO_SUCH_DISPENSE');
    expect(h.state(p1).status).toBe('ACTIVE');
  });

  it('no such dispense yet: the undo is dated before the dispense', () => {
    const h = dispensed().undo(PHARMACY, 'evt-4', [p1], {
      at: DISPENSED_AT - MINUTE,
      appended: DISPENSED_AT,
    });
    expect(refusal(h)).toBe('UNDO_NO_SUCH_DISPENSE');
    expect(h.state(p1).status).toBe('DISPENSED');
  });

  it('double undo: the second one is refused, also once the pack was dispensed again', () => {
    const twice = dispensed().undo(PHARMACY, 'evt-4', [p1]).undo(PHARMACY, 'evt-4', [p1]);
    expect(refusal(twice)).toBe('UNDO_ALREADY_UNDONE');
    const redispensed = dispensed()
      .undo(PHARMACY, 'evt-4', [p1])
      .dispense(PHARMACY, [p1])
      .undo(PHARMACY, 'evt-4', [p1]);
    expect(refusal(redispensed)).toBe('UNDO_ALREADY_UNDONE');
    expect(redispensed.state(p1).status).toBe('DISPENSED');
  });

  it('a second dispense is not the one that stands: its undo is refused', () => {
    const h = dispensed().dispense(PHARMACY, [p1]).undo(PHARMACY, 'evt-5', [p1]);
    expect(refusal(h)).toBe('UNDO_NOT_STANDING');
    expect(h.state(p1).dispensedAt?.eventId).toBe('evt-4');
  });

  it('not in custody: the dispensed pack was shipped on', () => {
    const h = dispensed().ship(PHARMACY, [p1], WHOLESALER).undo(PHARMACY, 'evt-4', [p1]);
    expect(refusal(h)).toBe('UNDO_NOT_IN_CUSTODY');
  });
});

describe('undo of a dispense: late and out-of-order uploads give the same answer', () => {
  it('a recall dated before the undo but folded after it refuses the undo, as if it had come on time', () => {
    const recalledAt = DISPENSED_AT + DAY;
    const undoneAt = DISPENSED_AT + 2 * DAY;
    const lateRecall = dispensed()
      .undo(PHARMACY, 'evt-4', [p1], { at: undoneAt, seq: 5 })
      .recall(MAKER, 'LOT1', { at: recalledAt, seq: 6 });
    // On time, the recall is on the ledger first and the undo is refused at admission, never appended.
    const onTime = dispensed().recall(MAKER, 'LOT1', { at: recalledAt, seq: 6 });
    const late = lateRecall.state(p1);
    expect(late.status).toBe('DISPENSED');
    expect(late.undos?.[0]?.refusal?.code).toBe('UNDO_RECALLED');
    const { history: _h, undos: _u, lastSeq: _l, ...rest } = late;
    const { history: _h2, lastSeq: _l2, ...expected } = onTime.state(p1);
    expect(rest).toEqual(expected);
  });

  it('a recall dated after the undo leaves the undo effective: the pack is back in stock, recalled', () => {
    const h = dispensed()
      .undo(PHARMACY, 'evt-4', [p1], { at: DISPENSED_AT + DAY, seq: 5 })
      .recall(MAKER, 'LOT1', { at: DISPENSED_AT + 2 * DAY, seq: 6 });
    expect(h.state(p1).status).toBe('ACTIVE');
    expect(h.state(p1).recalled?.seq).toBe(6);
  });
});
