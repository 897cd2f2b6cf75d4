import { describe, expect, it } from 'vitest';
import { codes, history, MAKER, OTHER_GTIN, PHARMACY, pack, sscc, T0, WHOLESALER } from './history.ts';

const inLot = pack('L1');
const inLotToo = pack('L2');
const otherLot = pack('M1');
const otherGtin = pack('L1', OTHER_GTIN);
const CASE = sscc(1);

const commissioned = () =>
  history()
    .commission(MAKER, [inLot, inLotToo, CASE], { lot: 'B7' })
    .commission(MAKER, [otherLot], { lot: 'B8' })
    .commission(MAKER, [otherGtin], { lot: 'B7' })
    .aggregate(MAKER, CASE, [inLotToo]);

describe('RECALL', () => {
  it("marks only the packs of that gtin's lot, leaving their status of custody alone", () => {
    const h = commissioned().ship(MAKER, [CASE], PHARMACY).recall(MAKER, 'B7', { reason: 'sterility' });
    const recall = { seq: 6, reason: 'sterility', eventTime: h.entries[5]?.event.eventTime };
    expect(h.state(inLot)).toMatchObject({ status: 'ACTIVE', recalled: recall });
    expect(h.state(inLotToo)).toMatchObject({ status: 'IN_TRANSIT', recalled: recall, parent: CASE });
    for (const item of [otherLot, otherGtin, CASE]) expect(h.state(item).recalled).toBeUndefined();
    expect(h.state(inLot).history).toEqual([1, 6]);
    expect(h.state(otherLot).history).toEqual([2]);
    expect(h.state(inLot).anomalies).toEqual([]);
  });

  it('marks packs of the lot commissioned after the recall (by eventTime) as well', () => {
    const h = history()
      .recall(MAKER, 'B7', { at: T0 + 60_000, seq: 2 })
      .commission(MAKER, [inLot], { lot: 'B7', at: T0 + 120_000, seq: 1 });
    expect(h.state(inLot)).toMatchObject({ recalled: { seq: 2 }, history: [2, 1] });
  });

  it('keeps the first recall when a lot is recalled twice', () => {
    const h = commissioned()
      .recall(MAKER, 'B7', { reason: 'first' })
      .recall(MAKER, 'B7', { reason: 'again' });
    expect(h.state(inLot)).toMatchObject({ recalled: { seq: 5, reason: 'first' }, history: [1, 5, 6] });
  });

  it('does not mark a pack whose lot is unknown (never commissioned)', () => {
    const h = history().ship(WHOLESALER, [inLot], PHARMACY).recall(MAKER, 'B7');
    expect(h.state(inLot).recalled).toBeUndefined();
  });

  it('flags a dispense after the recall but not one before it', () => {
    const h = commissioned()
      .ship(MAKER, [inLot, otherLot], PHARMACY)
      .receive(PHARMACY, [inLot, otherLot], MAKER)
      .dispense(PHARMACY, [otherLot])
      .recall(MAKER, 'B7')
      .recall(MAKER, 'B8')
      .dispense(PHARMACY, [inLot]);
    expect(codes(h.state(inLot))).toEqual([['DISPENSED_WHILE_RECALLED', 10]]);
    expect(h.state(otherLot)).toMatchObject({ status: 'DISPENSED', recalled: { seq: 9 }, anomalies: [] });
  });
});
