// EPCIS capture rate: one large document (10,000 commissioning ObjectEvents, one pack each) through
// POST /v1/epcis/capture until its last event is ACCEPTED at the ledger, as EPCIS 2.0 JSON-LD and as
// XML, beside the same 10,000 events posted natively to /v1/events as one batch. The same path after
// the door (publishBatch, signing, Kafka, fold), so the difference is what reading EPCIS costs.
import { randomBytes } from 'node:crypto';
import type { DemoServices } from '../../infra/demo/demo-services.ts';

const GTIN = '00614141123452';

export interface CaptureRate {
  events: number;
  nativePerS: number;
  jsonPerS: number;
  xmlPerS: number;
}

/** Measures the three ways in, one after the other, each with packs of its own. */
export async function captureRate(system: DemoServices, events = 10_000): Promise<CaptureRate> {
  const run = randomBytes(3).toString('hex');
  const packs = (way: string) =>
    Array.from({ length: events }, (_, i) => `https://id.gs1.org/01/${GTIN}/21/E${way}${run}${i}`);
  const time = (i: number) => new Date(Date.now() - 60_000 + i).toISOString();
  const rate = async (contentType: string, path: string, body: string) =>
    events / ((await postUntilLanded(system, contentType, path, body)) / 1000);

  const nativePerS = await rate('application/json', '/v1/events', nativeBatch(packs('N'), time));
  const jsonPerS = await rate('application/ld+json', '/v1/epcis/capture', epcisJson(packs('J'), time));
  const xmlPerS = await rate('application/xml', '/v1/epcis/capture', epcisXml(packs('X'), time));
  return { events, nativePerS, jsonPerS, xmlPerS };
}

/** Posts one document as the manufacturer's scanner; ms until its last event is ACCEPTED at the ledger. */
async function postUntilLanded(system: DemoServices, contentType: string, path: string, body: string) {
  const maker = system.channel.identities.parties.find((p) => p.kind === 'manufacturer')!;
  const started = performance.now();
  const res = await fetch(`${system.services.manufacturer.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${maker.scanners[0]!.key}`, 'content-type': contentType },
    body,
  });
  const answer = (await res.json()) as { eventIds?: string[] };
  if (res.status !== 202 || !answer.eventIds)
    throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
  const state = await outcome(system, answer.eventIds.at(-1)!);
  if (state !== 'ACCEPTED') throw new Error(`${path}: the last event was ${state}`);
  return performance.now() - started;
}

/** The event's state at the ledger once it is no longer PENDING (asked every 25 ms, as the regulator). */
async function outcome(system: DemoServices, eventId: string): Promise<string> {
  const regulator = { authorization: `Bearer ${system.channel.identities.regulatorToken}` };
  for (;;) {
    const res = await fetch(`${system.services.ledger.url}/v1/events/${encodeURIComponent(eventId)}`, {
      headers: regulator,
    });
    if (res.status === 200) {
      const { state } = (await res.json()) as { state: string };
      if (state !== 'PENDING') return state;
    } else await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The events as a native POST /v1/events batch: one COMMISSION per pack. */
function nativeBatch(packs: string[], time: (i: number) => string): string {
  const events = packs.map((item, i) => ({
    type: 'COMMISSION',
    eventTime: time(i),
    items: [item],
    lot: 'E1',
    expiry: '281231',
  }));
  return JSON.stringify({ events });
}

/** The same as an EPCIS 2.0 JSON-LD document: one commissioning ObjectEvent per pack. */
function epcisJson(packs: string[], time: (i: number) => string): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: {
      eventList: packs.map((item, i) => ({
        type: 'ObjectEvent',
        eventTime: time(i),
        eventTimeZoneOffset: '+00:00',
        epcList: [item],
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        ilmd: { 'cbvmda:lotNumber': 'E1', 'cbvmda:itemExpirationDate': '2028-12-31' },
      })),
    },
  });
}

/** The same as an EPCIS 2.0 XML document. */
function epcisXml(packs: string[], time: (i: number) => string): string {
  const events = packs.map(
    (item, i) =>
      `<ObjectEvent><eventTime>${time(i)}</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>` +
      `<epcList><epc>${item}</epc></epcList><action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>` +
      `<disposition>urn:epcglobal:cbv:disp:active</disposition><ilmd><cbvmda:lotNumber>E1</cbvmda:lotNumber>` +
      `<cbvmda:itemExpirationDate>2028-12-31</cbvmda:itemExpirationDate></ilmd></ObjectEvent>`,
  );
  return (
    '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:cbvmda="urn:epcglobal:cbv:mda" ' +
    `schemaVersion="2.0" creationDate="${new Date().toISOString()}"><EPCISBody><EventList>${events.join('')}` +
    '</EventList></EPCISBody></epcis:EPCISDocument>'
  );
}
