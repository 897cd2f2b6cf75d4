import { describe, expect, it } from 'vitest';
import { GTIN, history, MAKER, PHARMACY, pack, packs, SITE, sscc, WHOLESALER } from './history.ts';

const p1 = pack('A1');
const p2 = pack('A2');
const CASE = sscc(1);
const CASE2 = sscc(2);
const PALLET = sscc(9);

describe('a pack from the line to the counter', () => {
  it('follows status, custodian, location and container at every step', () => {
    const h = history();
    const at = (party: string) => ({ custodian: party, location: SITE[party] });

    h.commission(MAKER, [p1, p2], { lot: 'L42', expiry: '270630' });
    expect(h.state(p1)).toMatchObject({
      exists: true,
      kind: 'pack',
      status: 'ACTIVE',
      ...at(MAKER),
      gtin: GTIN,
      serial: 'A1',
      lot: 'L42',
      expiry: '270630',
      commissionedBy: MAKER,
      anomalies: [],
    });
    expect(h.state(p1).parent).toBeUndefined();

    h.commission(MAKER, [CASE, CASE2, PALLET]);
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', ...at(MAKER), history: [1] });
    expect(h.state(p1).parent).toBeUndefined();
    expect(h.state(CASE)).toMatchObject({ kind: 'container', exists: true, sscc: CASE.slice(-18) });
    expect(h.state(CASE).lot).toBeUndefined();

    h.aggregate(MAKER, CASE, [p1, p2]);
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', ...at(MAKER), parent: CASE });

    h.aggregate(MAKER, PALLET, [CASE, CASE2]);
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', ...at(MAKER), parent: CASE });
    expect(h.state(CASE)).toMatchObject({ parent: PALLET });

    h.ship(MAKER, [PALLET], WHOLESALER);
    const shippedSeq = h.lastSeq;
    expect(h.state(p1)).toMatchObject({
      status: 'IN_TRANSIT',
      ...at(MAKER),
      inTransit: { from: MAKER, to: WHOLESALER, seq: shippedSeq },
      parent: CASE,
    });

    h.receive(WHOLESALER, [PALLET], MAKER);
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', ...at(WHOLESALER), parent: CASE });
    expect(h.state(p1).inTransit).toBeUndefined();

    h.disaggregate(WHOLESALER, PALLET);
    expect(h.state(CASE).parent).toBeUndefined();
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', ...at(WHOLESALER), parent: CASE });

    h.ship(WHOLESALER, [CASE], PHARMACY);
    expect(h.state(p1)).toMatchObject({
      status: 'IN_TRANSIT',
      ...at(WHOLESALER),
      inTransit: { from: WHOLESALER, to: PHARMACY },
      parent: CASE,
    });
    expect(h.state(pack('A2')).status).toBe('IN_TRANSIT');
    expect(h.state(CASE2)).toMatchObject({ status: 'ACTIVE', ...at(WHOLESALER) });

    h.receive(PHARMACY, [CASE], WHOLESALER);
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', ...at(PHARMACY), parent: CASE });

    h.dispense(PHARMACY, [p1]);
    const dispensedSeq = h.lastSeq;
    const final = h.state(p1);
    expect(final).toMatchObject({
      status: 'DISPENSED',
      ...at(PHARMACY),
      dispensedAt: { seq: dispensedSeq, party: PHARMACY, site: SITE[PHARMACY] },
      anomalies: [],
      lastSeq: dispensedSeq,
    });
    expect(final.parent).toBeUndefined(); // dispensed packs leave their case
    expect(h.state(p2)).toMatchObject({ status: 'ACTIVE', ...at(PHARMACY), parent: CASE });
    // Provenance: its own events and its containers' while it was inside them (not their commissioning).
    expect(final.history).toEqual([1, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(h.state(CASE2).history).toEqual([2, 4, 5, 6, 7]);
  });

  it('gives a pack inside a pallet received by a pharmacy that pharmacy as custodian', () => {
    const [a, b] = packs('P', 2) as [string, string];
    const h = history()
      .commission(MAKER, [a, b, CASE, PALLET])
      .aggregate(MAKER, CASE, [a, b])
      .aggregate(MAKER, PALLET, [CASE])
      .ship(MAKER, [PALLET], PHARMACY)
      .receive(PHARMACY, [PALLET], MAKER);
    for (const item of [a, b, CASE, PALLET]) {
      expect(h.state(item)).toMatchObject({
        status: 'ACTIVE',
        custodian: PHARMACY,
        location: SITE[PHARMACY],
      });
    }
    expect(h.state(a).anomalies).toEqual([]);
    h.dispense(PHARMACY, [a]);
    expect(h.state(a)).toMatchObject({ status: 'DISPENSED', anomalies: [] });
  });

  it('keeps a container ACTIVE in place while its packs are shipped one by one, and moves those packs', () => {
    const h = history()
      .commission(MAKER, [p1, p2, CASE])
      .aggregate(MAKER, CASE, [p1, p2])
      .ship(MAKER, [p1], PHARMACY);
    expect(h.state(p1)).toMatchObject({ status: 'IN_TRANSIT' });
    expect(h.state(p1).parent).toBeUndefined(); // shipped without its case: it left the case
    expect(h.state(p2)).toMatchObject({ status: 'ACTIVE', parent: CASE });
    h.ship(MAKER, [CASE], WHOLESALER).receive(WHOLESALER, [CASE], MAKER).receive(PHARMACY, [p1], MAKER);
    expect(h.state(p1)).toMatchObject({ custodian: PHARMACY, anomalies: [] });
    expect(h.state(p2)).toMatchObject({ custodian: WHOLESALER, anomalies: [] });
  });

  it('ships a container named with its contents as one shipment', () => {
    const h = history()
      .commission(MAKER, [p1, CASE])
      .aggregate(MAKER, CASE, [p1])
      .ship(MAKER, [CASE, p1], PHARMACY)
      .receive(PHARMACY, [p1, CASE], MAKER);
    expect(h.state(p1)).toMatchObject({ status: 'ACTIVE', custodian: PHARMACY, parent: CASE, anomalies: [] });
  });
});
