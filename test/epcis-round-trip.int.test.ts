// The EPCIS round trip of issue 15 on a whole running system and the real broker: one realistic flow
// (commission with lot and expiry, pack into cases and a pallet, ship, receive, unpack, dispense)
// written once as an EPCIS 2.0 JSON-LD document and once as an EPCIS 1.2 DSCSA XML document, each
// captured through the partner services' POST /v1/epcis/capture (every party captures its own events:
// the document's events are split by the party whose site they happened at), then exported from the
// ledger's GET /v1/epcis/events and compared event by event. Then the export is captured again by the
// same parties, and lands nothing new.
import { formatRfc3339 } from '@rxledger/events';
import { parseGln, parseItem } from '@rxledger/gs1';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportPages, pageEvents, type PlainEvent } from './support/epcis-document.ts';
import { GLN, postAccepted, startSystem, type TestSystem } from './support/system.ts';

type Kind = 'manufacturer' | 'distributor' | 'pharmacy';
type Party = 'maker' | 'distributor' | 'pharmacy1';
const SERVICE: Record<Party, Kind> = {
  maker: 'manufacturer',
  distributor: 'distributor',
  pharmacy1: 'pharmacy',
};
/** Each party's GLN and site as SGLN URNs (company prefixes of 7 digits) and as GLN-13. */
const PARTY: Record<Party, { gln: string; sgln: string; site: string; siteSgln: string }> = {
  maker: {
    gln: GLN.maker,
    sgln: 'urn:epc:id:sgln:0614141.00000.0',
    site: GLN.makerSite,
    siteSgln: 'urn:epc:id:sgln:0614141.00001.0',
  },
  distributor: {
    gln: GLN.distributor,
    sgln: 'urn:epc:id:sgln:4001234.00000.0',
    site: GLN.distributorSite,
    siteSgln: 'urn:epc:id:sgln:4001234.00001.0',
  },
  pharmacy1: {
    gln: GLN.pharmacy1,
    sgln: 'urn:epc:id:sgln:5009999.00000.0',
    site: GLN.pharmacy1Site,
    siteSgln: 'urn:epc:id:sgln:5009999.00001.0',
  },
};
/** A party that owns goods it does not hold: custody follows the possessing party. */
const OWNER_ELSEWHERE = 'urn:epc:id:pgln:5009999.00002';

/** One event of the flow, in terms both bindings can write. */
interface FlowEvent {
  by: Party;
  type: 'ObjectEvent' | 'AggregationEvent';
  action: 'ADD' | 'OBSERVE' | 'DELETE';
  bizStep: string;
  disposition: string;
  time: string;
  offset: string;
  /** Absent: captured without eventID, so capture computes its CBV 2.0 hash ID. */
  eventID?: string;
  epcs?: string[];
  parent?: string;
  children?: string[];
  ilmd?: { lot: string; expiry: string };
  /** [type, party URN] entries, as written in the document. */
  sources?: Array<[string, string]>;
  destinations?: Array<[string, string]>;
}

/** How a sender writes each business step (CBV 2.0): event type, action, disposition. */
const WRITTEN: Record<string, Pick<FlowEvent, 'type' | 'action' | 'disposition'>> = {
  commissioning: { type: 'ObjectEvent', action: 'ADD', disposition: 'active' },
  packing: { type: 'AggregationEvent', action: 'ADD', disposition: 'in_progress' },
  unpacking: { type: 'AggregationEvent', action: 'DELETE', disposition: 'in_progress' },
  shipping: { type: 'ObjectEvent', action: 'OBSERVE', disposition: 'in_transit' },
  receiving: { type: 'ObjectEvent', action: 'OBSERVE', disposition: 'in_progress' },
  dispensing: { type: 'ObjectEvent', action: 'OBSERVE', disposition: 'dispensed' },
};
const step = (
  by: Party,
  bizStep: string,
  what: Partial<FlowEvent>,
): Omit<FlowEvent, 'time' | 'offset' | 'eventID'> => ({ by, bizStep, ...WRITTEN[bizStep]!, ...what });

/** The flow for one set of packs, cases and pallet, `minutes` apart, written at `offsetMinutes`. */
function flow(tag: string, startMs: number, offsetMinutes: number, noIdAt: number): FlowEvent[] {
  const packs = [1, 2, 3, 4].map((n) => `urn:epc:id:sgtin:0614141.012345.${tag}${n}`);
  const sscc = (ref: string) => `urn:epc:id:sscc:0614141.${ref}`;
  const [case1, case2, pallet] = [
    `${tag === 'J' ? 1 : 2}000000101`,
    `${tag === 'J' ? 1 : 2}000000102`,
    `${tag === 'J' ? 1 : 2}000000199`,
  ].map(sscc);
  const owning = (p: Party) => ['owning_party', PARTY[p].sgln] as [string, string];
  const possessing = (p: Party) => ['possessing_party', PARTY[p].sgln] as [string, string];
  const steps: Array<Omit<FlowEvent, 'time' | 'offset' | 'eventID'>> = [
    step('maker', 'commissioning', {
      epcs: [...packs, case1!, case2!, pallet!],
      ilmd: { lot: `L-${tag}7`, expiry: '2029-03-31' },
    }),
    step('maker', 'packing', { parent: case1, children: packs.slice(0, 2) }),
    step('maker', 'packing', { parent: case2, children: packs.slice(2) }),
    step('maker', 'packing', { parent: pallet, children: [case1!, case2!] }),
    step('maker', 'shipping', {
      epcs: [pallet!],
      sources: [owning('maker')],
      destinations: [owning('distributor')],
    }),
    step('distributor', 'receiving', {
      epcs: [pallet!],
      sources: [owning('maker'), possessing('maker')],
      destinations: [owning('distributor'), possessing('distributor')],
    }),
    // No childEPCs: every child leaves the pallet.
    step('distributor', 'unpacking', { parent: pallet }),
    step('distributor', 'unpacking', { parent: case1, children: packs.slice(0, 2) }),
    step('distributor', 'shipping', {
      epcs: packs.slice(0, 2),
      sources: [owning('distributor')],
      // Owned by another pharmacy of the chain, delivered to (possessed by) this one.
      destinations: [['owning_party', OWNER_ELSEWHERE], possessing('pharmacy1')],
    }),
    step('pharmacy1', 'receiving', {
      epcs: packs.slice(0, 2),
      sources: [possessing('distributor')],
      destinations: [possessing('pharmacy1')],
    }),
    step('pharmacy1', 'dispensing', { epcs: [packs[0]!] }),
  ];
  return steps.map((s, i) => ({
    ...s,
    time: formatRfc3339(startMs + i * 60_000, offsetMinutes),
    offset: formatRfc3339(0, offsetMinutes).slice(-6).replace('Z', '+00:00'),
    ...(i === noIdAt ? {} : { eventID: `urn:uuid:${crypto.randomUUID()}` }),
  }));
}

/** The events as an EPCIS 2.0 JSON-LD document; EPCs of every other event as Digital Links. */
function jsonDocument(events: FlowEvent[]): string {
  const epc = (e: string, i: number) => (i % 2 ? parseItem(e).uri : e);
  const eventList = events.map((e, i) => ({
    type: e.type,
    eventTime: e.time,
    eventTimeZoneOffset: e.offset,
    ...(e.eventID ? { eventID: e.eventID } : {}),
    ...(e.epcs ? { epcList: e.epcs.map((x) => epc(x, i)) } : {}),
    ...(e.parent ? { parentID: epc(e.parent, i) } : {}),
    ...(e.children ? { childEPCs: e.children.map((x) => epc(x, i)) } : {}),
    action: e.action,
    bizStep: e.bizStep,
    disposition: e.disposition,
    readPoint: { id: PARTY[e.by].siteSgln },
    bizLocation: { id: PARTY[e.by].siteSgln },
    ...(e.sources ? { sourceList: e.sources.map(([type, source]) => ({ type, source })) } : {}),
    ...(e.destinations
      ? { destinationList: e.destinations.map(([type, destination]) => ({ type, destination })) }
      : {}),
    ...(e.ilmd
      ? { ilmd: { 'cbvmda:lotNumber': e.ilmd.lot, 'cbvmda:itemExpirationDate': e.ilmd.expiry } }
      : {}),
  }));
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { eventList },
  });
}

/** The events as an EPCIS 1.2 XML document as a DSCSA trading partner sends it (SBDH, GS1 US header). */
function dscsaXml(events: FlowEvent[]): string {
  const list = (name: string, epcs: string[] = []) =>
    `<${name}>${epcs.map((e) => `<epc>${e}</epc>`).join('')}</${name}>`;
  const typed = (list: string, entry: string, entries: Array<[string, string]> = []) =>
    entries.length === 0
      ? ''
      : `<${list}>${entries.map(([t, v]) => `<${entry} type="urn:epcglobal:cbv:sdt:${t}">${v}</${entry}>`).join('')}</${list}>`;
  const eventXml = (e: FlowEvent) => {
    const head = `<eventTime>${e.time}</eventTime><eventTimeZoneOffset>${e.offset}</eventTimeZoneOffset>${e.eventID ? `<baseExtension><eventID>${e.eventID}</eventID></baseExtension>` : ''}`;
    const what =
      e.type === 'AggregationEvent'
        ? `<parentID>${e.parent}</parentID>${e.children ? list('childEPCs', e.children) : ''}`
        : list('epcList', e.epcs);
    const where = `<readPoint><id>${PARTY[e.by].siteSgln}</id></readPoint><bizLocation><id>${PARTY[e.by].siteSgln}</id></bizLocation>`;
    const ilmd = e.ilmd
      ? `<ilmd><cbvmda:lotNumber>${e.ilmd.lot}</cbvmda:lotNumber><cbvmda:itemExpirationDate>${e.ilmd.expiry}</cbvmda:itemExpirationDate></ilmd>`
      : '';
    const extension = `${typed('sourceList', 'source', e.sources)}${typed('destinationList', 'destination', e.destinations)}${ilmd}`;
    return `<${e.type}>${head}${what}<action>${e.action}</action><bizStep>urn:epcglobal:cbv:bizstep:${e.bizStep}</bizStep><disposition>urn:epcglobal:cbv:disp:${e.disposition}</disposition>${where}${extension ? `<extension>${extension}</extension>` : ''}</${e.type}>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" xmlns:sbdh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader" xmlns:cbvmda="urn:epcglobal:cbv:mda" xmlns:gs1ushc="http://epcis.gs1us.org/hc/ns" schemaVersion="1.2" creationDate="${new Date().toISOString()}">
  <EPCISHeader>
    <sbdh:StandardBusinessDocumentHeader>
      <sbdh:HeaderVersion>1.0</sbdh:HeaderVersion>
      <sbdh:Sender><sbdh:Identifier Authority="SGLN">${PARTY.maker.sgln}</sbdh:Identifier></sbdh:Sender>
      <sbdh:Receiver><sbdh:Identifier Authority="SGLN">${PARTY.distributor.sgln}</sbdh:Identifier></sbdh:Receiver>
      <sbdh:DocumentIdentification><sbdh:Standard>EPCglobal</sbdh:Standard><sbdh:TypeVersion>1.0</sbdh:TypeVersion><sbdh:InstanceIdentifier>rt-1</sbdh:InstanceIdentifier><sbdh:Type>Events</sbdh:Type><sbdh:CreationDateAndTime>${new Date().toISOString()}</sbdh:CreationDateAndTime></sbdh:DocumentIdentification>
    </sbdh:StandardBusinessDocumentHeader>
    <gs1ushc:dscsaTransactionStatement><gs1ushc:affirmTransactionStatement>true</gs1ushc:affirmTransactionStatement></gs1ushc:dscsaTransactionStatement>
  </EPCISHeader>
  <EPCISBody><EventList>
${events.map(eventXml).join('\n')}
  </EventList></EPCISBody>
</epcis:EPCISDocument>
`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON the service answered
type Json = Record<string, any>;

describe('EPCIS round trip: capture a flow in EPCIS 2.0 JSON-LD and in 1.2 DSCSA XML, export it, capture the export again', () => {
  let sys: TestSystem;
  // Two hours ago, so the whole flow lies well inside the lateness window and before now.
  const start = Date.now() - 2 * 3_600_000;
  const jsonFlow = flow('J', start, 60, 2);
  const xmlFlow = flow('X', start + 30 * 60_000, -300, 10);
  const flows: Array<{ name: string; events: FlowEvent[]; write: (e: FlowEvent[]) => string; type: string }> =
    [
      { name: 'EPCIS 2.0 JSON-LD', events: jsonFlow, write: jsonDocument, type: 'application/ld+json' },
      { name: 'EPCIS 1.2 DSCSA XML', events: xmlFlow, write: dscsaXml, type: 'application/xml' },
    ];
  /** The eventID each flow event was captured under (its own, or the hash ID capture computed). */
  const capturedIds = new Map<FlowEvent, string>();

  beforeAll(async () => {
    sys = await startSystem(inject('kafkaBrokers'));
    for (const { events, write, type } of flows) {
      for (const by of ['maker', 'distributor', 'pharmacy1'] as const) {
        const own = events.filter((e) => e.by === by);
        const answer = await captureAccepted(by, write(own), type);
        own.forEach((e, i) => capturedIds.set(e, answer.eventIDs[i]));
      }
    }
    // Two events posted natively, under eventIds that are no URI (one the service assigns, a bare
    // UUID, and one of the scanner's own), so the export's eventIDs for them must capture back too.
    const at = formatRfc3339(start + 60 * 60_000, 0);
    await postAccepted(sys, GLN.distributor, [
      { type: 'DECOMMISSION', items: [jsonFlow[0]!.epcs![3]!], reason: 'sample', eventTime: at },
    ]);
    await postAccepted(sys, GLN.pharmacy1, [
      { type: 'DISPENSE', items: [jsonFlow[0]!.epcs![1]!], eventId: `counter-${start}`, eventTime: at },
    ]);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  async function capture(by: Party, body: string, type: string): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${sys.urls[SERVICE[by]]}/v1/epcis/capture`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sys.scanner[PARTY[by].gln]}`, 'content-type': type },
      body,
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  /** Captures `body` as `by` and waits until the ledger accepted every event; the capture's answer. */
  async function captureAccepted(by: Party, body: string, type: string): Promise<Json> {
    const answer = await capture(by, body, type);
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`${sys.urls[SERVICE[by]]}/v1/epcis/capture/${answer.body.captureID}`, {
        headers: { authorization: `Bearer ${sys.scanner[PARTY[by].gln]}` },
      });
      const job = (await res.json()) as Json;
      if (!job.running) {
        expect(job, JSON.stringify(job.errors)).toMatchObject({ state: 'success', success: true });
        return answer.body;
      }
      if (Date.now() > deadline) throw new Error(`capture ${answer.body.captureID} still running`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Every page of the regulator's export in `accept` (4 events a page): its plain events, and the JSON-LD pages. */
  async function exported(accept: string): Promise<{ events: PlainEvent[]; pages: Json[] }> {
    const pages = await exportPages(sys.ledgerUrl, sys.regulatorToken, accept, '?perPage=4');
    return { events: pageEvents(pages), pages: pages.flatMap((p) => ('json' in p ? [p.json as Json] : [])) };
  }

  // Both sides through the one item parser: URN in, Digital Link out is the same item.
  const item = (epc: string) => parseItem(epc).uri;
  // The party rxledger keeps of a source or destination list (custody follows possession: the
  // possessing party, else the owning party), which the export writes as the possessing party.
  const custodian = (entries: Array<[string, string]> = []) => {
    const entry =
      entries.find(([t]) => t === 'possessing_party') ?? entries.find(([t]) => t === 'owning_party');
    return entry ? [`possessing_party ${parseGln(entry[1])}`] : [];
  };
  const parties = (entries: string[]) =>
    entries.map((e) => `${e.split(' ')[0]} ${parseGln(e.split(' ')[1]!)}`);

  it('exports every captured event with its eventID, EPCs, time and offset, business step, parties and location, valid against GS1 EPCIS 2.0', async () => {
    const { events } = await exported('application/ld+json');
    const all = [...jsonFlow, ...xmlFlow];
    expect(events).toHaveLength(all.length + 2);
    for (const [i, e] of events.slice(0, all.length).entries()) {
      const sent = all[i]!;
      const at = `event ${i} (${sent.bizStep} by ${sent.by})`;
      // The document's own eventID, or for the event sent without one, the CBV 2.0 hash ID.
      expect(e.eventID, at).toBe(sent.eventID ?? capturedIds.get(sent));
      if (sent.eventID === undefined)
        expect(e.eventID, at).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
      expect([e.type, e.action, e.bizStep], at).toEqual([sent.type, sent.action, sent.bizStep]);
      expect(e.eventTime, at).toBe(sent.time);
      expect(e.eventTimeZoneOffset, at).toBe(sent.offset);
      expect(e.epcs.map(item), at).toEqual((sent.epcs ?? sent.children ?? []).map(item));
      expect(e.parentID && item(e.parentID), at).toBe(sent.parent && item(sent.parent));
      expect(parseGln(e.bizLocation), at).toBe(PARTY[sent.by].site);
      expect(parties(e.sources), at).toEqual(custodian(sent.sources));
      expect(parties(e.destinations), at).toEqual(custodian(sent.destinations));
      expect(parseGln(e.signer), at).toBe(PARTY[sent.by].gln);
      if (sent.ilmd) {
        expect(e.ilmd, at).toEqual({
          'cbvmda:lotNumber': sent.ilmd.lot,
          'cbvmda:itemExpirationDate': sent.ilmd.expiry,
        });
      }
    }
  });

  it('answers the same events as EPCIS 2.0 XML', async () => {
    expect((await exported('application/xml')).events).toEqual(
      (await exported('application/ld+json')).events,
    );
  });

  it('lands nothing new when the export is captured again by the same parties (same eventIDs recognised)', async () => {
    const before = await exported('application/ld+json');
    // The export is an EPCISQueryDocument; the capture interface takes an EPCISDocument: the same
    // events and @context, re-enveloped, and split by signer so that each party captures its own.
    const signerOf = (e: Json) => parseGln(e['rxl:signer'] as string);
    const exportedEvents: Json[] = before.pages.flatMap(
      (p) => p.epcisBody.queryResults.resultsBody.eventList,
    );
    for (const by of ['maker', 'distributor', 'pharmacy1'] as const) {
      const own = exportedEvents.filter((e) => signerOf(e) === PARTY[by].gln);
      const doc = {
        '@context': before.pages[0]!['@context'],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: new Date().toISOString(),
        epcisBody: { eventList: own },
      };
      const answer = await captureAccepted(by, JSON.stringify(doc), 'application/ld+json');
      expect(answer.eventIDs).toEqual(own.map((e) => e.eventID));
    }
    // A new event behind them on the one ordered topic: once it is accepted, the ledger has judged
    // every record the second captures published.
    await postAccepted(sys, GLN.pharmacy1, [
      { type: 'DISPENSE', items: [xmlFlow[0]!.epcs![1]!], eventTime: formatRfc3339(Date.now() - 60_000, 0) },
    ]);
    const after = await exported('application/ld+json');
    expect(after.events.slice(0, -1)).toEqual(
      before.events.map((e) => ({
        ...e,
        treeSize: after.events[0]!.treeSize,
        inclusionProof: expect.any(String),
      })),
    );
    expect(after.events.at(-1)!.bizStep).toBe('dispensing');
    const rejections = (await (
      await fetch(`${sys.ledgerUrl}/v1/rejections`, {
        headers: { authorization: `Bearer ${sys.regulatorToken}` },
      })
    ).json()) as Json;
    expect(JSON.stringify(rejections)).not.toMatch(/EVENT_ID_CONFLICT/);
  });
});
