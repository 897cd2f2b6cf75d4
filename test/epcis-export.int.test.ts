// A round trip at the system level: a realistic flow posted through the partner services' own
// /v1/events (commission with lot and expiry, pack into cases and a pallet, ship, receive, unpack,
// dispense), then exported from the ledger as EPCIS 2.0: the export validates against GS1's schema
// and holds the same events, EPCs, times, business steps and parties, in JSON-LD and in XML.
import { randomUUID } from 'node:crypto';
import { parseItem } from '@rxledger/gs1';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportPages, pageEvents, type PlainEvent } from './support/epcis-document.ts';
import { GLN, postAccepted, startSystem, type TestSystem } from './support/system.ts';

// EPC URNs, as a serialisation system writes them; the export answers canonical Digital Link URIs.
const PACKS = [1, 2, 3, 4].map((n) => `urn:epc:id:sgtin:0614141.012345.RT${n}`);
const [CASE1, CASE2, PALLET] = ['1000000101', '1000000102', '1000000199'].map(
  (r) => `urn:epc:id:sscc:0614141.${r}`,
);
const dl = (epc: string) => parseItem(epc).uri;
const party = (gln: string) => `possessing_party https://id.gs1.org/417/${gln}`;

interface Posted {
  gln: string;
  site: string;
  event: Record<string, unknown> & { eventId: string; eventTime: string; type: string };
}

describe('EPCIS export of a flow posted through the partner services', () => {
  let sys: TestSystem;
  const posted: Posted[] = [];
  // Times an hour in the past, at +01:00, a minute apart: the export keeps each event's own offset.
  const start = Date.now() - 3_600_000;
  const at = (i: number) => {
    const local = new Date(start + i * 60_000 + 3_600_000).toISOString().slice(0, 19);
    return `${local}+01:00`;
  };

  beforeAll(async () => {
    sys = await startSystem(inject('kafkaBrokers'));
    const post = async (gln: string, site: string, events: Array<Record<string, unknown>>) => {
      const full = events.map((e) => ({
        ...e,
        eventId: `urn:uuid:${randomUUID()}`,
        eventTime: at(posted.length),
      }));
      for (const event of full) posted.push({ gln, site, event: event as Posted['event'] });
      // One event per post, so that eventTimes follow the order the ledger appends them in.
      for (const event of full) await postAccepted(sys, gln, [event]);
    };
    await post(GLN.maker, GLN.makerSite, [
      { type: 'COMMISSION', items: [...PACKS, CASE1, CASE2, PALLET], lot: 'RT-7', expiry: '290331' },
      { type: 'AGGREGATE', parent: CASE1, children: PACKS.slice(0, 2) },
      { type: 'AGGREGATE', parent: CASE2, children: PACKS.slice(2) },
      { type: 'AGGREGATE', parent: PALLET, children: [CASE1, CASE2] },
      { type: 'SHIP', items: [PALLET], to: GLN.distributor },
    ]);
    await post(GLN.distributor, GLN.distributorSite, [
      { type: 'RECEIVE', items: [PALLET], from: GLN.maker },
      { type: 'DISAGGREGATE', parent: PALLET },
      { type: 'DISAGGREGATE', parent: CASE1, children: PACKS.slice(0, 2) },
      { type: 'SHIP', items: PACKS.slice(0, 2), to: GLN.pharmacy1 },
    ]);
    // The pharmacy service takes receipts and dispenses (unpacking is the distributor's).
    await post(GLN.pharmacy1, GLN.pharmacy1Site, [
      { type: 'RECEIVE', items: PACKS.slice(0, 2), from: GLN.distributor },
      { type: 'DISPENSE', items: [PACKS[0]] },
    ]);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  /** Every page of the export (3 events a page) in `accept`, as plain events, each JSON-LD page schema-checked. */
  const exported = async (accept: string): Promise<PlainEvent[]> =>
    pageEvents(await exportPages(sys.ledgerUrl, sys.regulatorToken, accept, '?perPage=3'));

  it('exports the same events, EPCs, times, business steps and parties, valid against GS1 EPCIS 2.0', async () => {
    const events = await exported('application/ld+json');
    expect(events).toHaveLength(posted.length);
    const STEPS = [
      'commissioning',
      'packing',
      'packing',
      'packing',
      'shipping',
      'receiving',
      'unpacking',
      'unpacking',
      'shipping',
      'receiving',
      'dispensing',
    ];
    expect(events.map((e) => e.bizStep)).toEqual(STEPS);
    for (const [i, e] of events.entries()) {
      const { gln, site, event } = posted[i]!;
      const at = `event ${i} (${event.type})`;
      expect(e.eventID, at).toBe(event.eventId);
      expect(e.eventTime, at).toBe(event.eventTime);
      expect(e.eventTimeZoneOffset, at).toBe('+01:00');
      expect(e.bizLocation, at).toBe(`https://id.gs1.org/414/${site}`);
      expect(e.signer, at).toBe(`https://id.gs1.org/417/${gln}`);
      const items = (event.items ?? event.children ?? []) as string[];
      expect(e.epcs, at).toEqual(items.map(dl));
      if (event.parent) expect(e.parentID, at).toBe(dl(event.parent as string));
      if (event.type === 'SHIP') {
        expect([e.sources, e.destinations], at).toEqual([[party(gln)], [party(event.to as string)]]);
      } else if (event.type === 'RECEIVE') {
        expect([e.sources, e.destinations], at).toEqual([[party(event.from as string)], [party(gln)]]);
      } else {
        expect([e.sources, e.destinations], at).toEqual([[], []]);
      }
    }
    expect(events[0]!.ilmd).toEqual({
      'cbvmda:lotNumber': 'RT-7',
      'cbvmda:itemExpirationDate': '2029-03-31',
    });
    // Leaf indexes follow the log (leaf 0 is the registry's genesis), each under the pinned tree size.
    expect(events.map((e) => e.leafIndex)).toEqual(posted.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.treeSize)).size).toBe(1);
  });

  it('answers the same events as EPCIS 2.0 XML', async () => {
    expect(await exported('application/xml')).toEqual(await exported('application/ld+json'));
  });
});
