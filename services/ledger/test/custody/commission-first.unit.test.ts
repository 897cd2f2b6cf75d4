// Ties on eventTime: a COMMISSION is folded before anything else of that time, whatever the ledger
// order (found by the network simulator: a case aggregated in the same second as its packs were
// commissioned, its AGGREGATE uploaded first, raised NOT_COMMISSIONED on genuine packs).
import { describe, expect, it } from 'vitest';
import { history, MAKER, MINUTE, PHARMACY, pack, sscc, T0 } from './history.ts';

const p1 = pack('CF1');
const CASE = sscc(3);

describe('fold order on an eventTime tie', () => {
  it('folds a COMMISSION before an AGGREGATE of the same eventTime that reached the ledger first', () => {
    const at = T0 + MINUTE;
    const h = history()
      .aggregate(MAKER, CASE, [p1], { at, seq: 1 })
      .commission(MAKER, [p1], { at, seq: 2 })
      .ship(MAKER, [CASE], PHARMACY, { at: at + MINUTE, seq: 3 })
      .receive(PHARMACY, [CASE], MAKER, { at: at + 2 * MINUTE, seq: 4 });
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', custodian: PHARMACY, anomalies: [] });
    expect(h.state(CASE).anomalies).toEqual([]);
  });

  it('still breaks ties between other events by ledger order', () => {
    const at = T0 + 5 * MINUTE;
    const receiveFirst = history()
      .commission(MAKER, [p1])
      .ship(MAKER, [p1], PHARMACY, { at, seq: 11 })
      .receive(PHARMACY, [p1], MAKER, { at, seq: 10 });
    expect(receiveFirst.state(p1).anomalies.map((a) => a.code)).toContain('RECEIVE_WITHOUT_SHIPMENT');
  });
});
