import { describe, expect, it } from 'vitest';
import { statusSummary } from '../../src/answers/status-summary.ts';
import { history, MAKER, PHARMACY, pack, WHOLESALER } from '../custody/history.ts';

const P = pack('S1');

describe('statusSummary: an item state as answers show it', () => {
  it('overlays RECALLED on a recalled pack that is still active or in transit', () => {
    const active = history().commission(MAKER, [P], { lot: 'B1' }).recall(MAKER, 'B1');
    expect(statusSummary(active.state(P))).toMatchObject({ status: 'RECALLED', recalled: true });
    const moving = history()
      .commission(MAKER, [P], { lot: 'B1' })
      .ship(MAKER, [P], WHOLESALER)
      .recall(MAKER, 'B1');
    expect(statusSummary(moving.state(P))).toMatchObject({
      status: 'RECALLED',
      inTransitTo: WHOLESALER,
      recalled: true,
    });
  });

  it('keeps DISPENSED for a recalled pack already handed out: the recall does not move it', () => {
    const h = history()
      .commission(MAKER, [P], { lot: 'B1' })
      .ship(MAKER, [P], PHARMACY)
      .receive(PHARMACY, [P], MAKER)
      .dispense(PHARMACY, [P])
      .recall(MAKER, 'B1');
    expect(statusSummary(h.state(P))).toMatchObject({
      status: 'DISPENSED',
      recalled: true,
      custodian: PHARMACY,
    });
  });

  it('names where the pack goes only while it is in transit, and lists anomalies with their leaf index', () => {
    const h = history().commission(MAKER, [P]).receive(PHARMACY, [P], WHOLESALER);
    const s = statusSummary(h.state(P));
    expect(s).toMatchObject({ status: 'ACTIVE', inTransitTo: undefined, recalled: false, lot: 'LOT1' });
    expect(s.anomalies).toEqual([
      { code: 'RECEIVE_WITHOUT_SHIPMENT', index: 2, message: expect.any(String) },
    ]);
  });
});
