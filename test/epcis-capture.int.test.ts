// EPCIS capture through a whole running system on the real broker: a DSCSA trading partner's EPCIS 1.2
// XML (SBDH, GS1 US healthcare header, SGTIN EPC URNs) from commissioning to shipping, then the
// distributor's and the pharmacy's own EPCIS documents, and the packs verify at the pharmacy counter.
// Also: refused documents publish nothing, the same document captured twice lands once, and hostile
// XML is refused over HTTP with the service unharmed.
import { formatRfc3339 } from '@rxledger/events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dscsaDocument } from '../shared/epcis/test/fixtures/dscsa-document.ts';
import { GLN, GTIN, startSystem, type TestSystem } from './support/system.ts';

const SGLN = {
  maker: 'urn:epc:id:sgln:0614141.00000.0',
  makerSite: 'urn:epc:id:sgln:0614141.00001.0',
  distributor: 'urn:epc:id:sgln:4001234.00000.0',
  distributorSite: 'urn:epc:id:sgln:4001234.00001.0',
  pharmacy: 'urn:epc:id:sgln:5009999.00000.0',
  pharmacySite: 'urn:epc:id:sgln:5009999.00001.0',
};
const run = Date.now().toString(36).toUpperCase();
const serial = (i: number) => `D${run}${i}`;
const PACKS = [1, 2, 3, 4].map((i) => `urn:epc:id:sgtin:0614141.012345.${serial(i)}`);
const CASE = `urn:epc:id:sscc:0614141.0${String(Date.now() % 1e9).padStart(9, '0')}`;
/** A time `minutesAgo` before now, as a New York system writes it. */
const at = (minutesAgo: number) => formatRfc3339(Date.now() - minutesAgo * 60_000, -300);

type Kind = 'manufacturer' | 'distributor' | 'pharmacy';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON the service answered
type Answer = { status: number; headers: Headers; body: any };

describe('EPCIS capture on a running system', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem(inject('kafkaBrokers'));
  });
  afterAll(async () => {
    await sys?.stop();
  });

  async function capture(kind: Kind, gln: string, body: string, type: string): Promise<Answer> {
    const res = await fetch(`${sys.urls[kind]}/v1/epcis/capture`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sys.scanner[gln]}`, 'content-type': type },
      body,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  /** Follows the capture's Location until it stops running; its final state. */
  async function finished(kind: Kind, gln: string, location: string) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`${sys.urls[kind]}${location}`, {
        headers: { authorization: `Bearer ${sys.scanner[gln]}` },
      });
      expect(res.status).toBe(200);
      const job = (await res.json()) as {
        running: boolean;
        state: string;
        success: boolean;
        events: unknown[];
        errors: unknown[];
      };
      if (!job.running) return job;
      if (Date.now() > deadline) throw new Error(`capture ${location} still running`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function captured(kind: Kind, gln: string, body: string, type: string) {
    const answer = await capture(kind, gln, body, type);
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.headers.get('location')).toBe(`/v1/epcis/capture/${answer.body.captureID}`);
    const job = await finished(kind, gln, answer.headers.get('location')!);
    expect(job, JSON.stringify(job.errors)).toMatchObject({ state: 'success', success: true });
    return { answer, job };
  }

  it("captures a DSCSA trading partner's EPCIS 1.2 XML end to end, and its packs verify at the pharmacy", async () => {
    const fromMaker = dscsaDocument(SGLN.maker, SGLN.distributor, [
      {
        step: 'commissioning',
        time: at(60),
        epcs: PACKS,
        lot: 'LD1',
        expiry: '2028-12-31',
        site: SGLN.makerSite,
      },
      { step: 'packing', time: at(55), parent: CASE, children: PACKS, site: SGLN.makerSite },
      {
        step: 'shipping',
        time: at(50),
        epcs: [CASE],
        site: SGLN.makerSite,
        from: SGLN.maker,
        to: SGLN.distributor,
      },
    ]);
    const { job } = await captured('manufacturer', GLN.maker, fromMaker, 'application/xml');
    expect(job.events).toHaveLength(3);

    const atDistributor = dscsaDocument(SGLN.distributor, SGLN.pharmacy, [
      {
        step: 'receiving',
        time: at(40),
        epcs: [CASE],
        site: SGLN.distributorSite,
        from: SGLN.maker,
        to: SGLN.distributor,
      },
      {
        step: 'shipping',
        time: at(30),
        epcs: [CASE],
        site: SGLN.distributorSite,
        from: SGLN.distributor,
        to: SGLN.pharmacy,
      },
    ]);
    await captured('distributor', GLN.distributor, atDistributor, 'text/xml');

    const atPharmacy = JSON.stringify({
      '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: at(0),
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventTime: at(20),
            eventTimeZoneOffset: '-05:00',
            epcList: [CASE],
            action: 'OBSERVE',
            bizStep: 'receiving',
            bizLocation: { id: SGLN.pharmacySite },
            sourceList: [{ type: 'owning_party', source: SGLN.distributor }],
          },
        ],
      },
    });
    const { answer } = await captured('pharmacy', GLN.pharmacy1, atPharmacy, 'application/json');
    // Another pharmacy on the same service cannot see this capture, nor tell it exists.
    const other = await fetch(`${sys.urls.pharmacy}${answer.headers.get('location')}`, {
      headers: { authorization: `Bearer ${sys.scanner[GLN.pharmacy2]}` },
    });
    expect(other.status).toBe(404);

    for (const i of [1, 2, 3, 4]) {
      const scan = `]d201${GTIN}21${serial(i)}\u001d10LD1\u001d17281231`;
      const res = await fetch(`${sys.urls.pharmacy}/v1/verify?scan=${encodeURIComponent(scan)}`, {
        headers: { authorization: `Bearer ${sys.scanner[GLN.pharmacy1]}` },
      });
      const verdict = (await res.json()) as { verdict: string; dispensable: boolean; alerts: unknown[] };
      expect(verdict, JSON.stringify(verdict.alerts)).toMatchObject({
        verdict: 'VERIFIED',
        dispensable: true,
      });
    }
  });

  it('recognises the same document captured twice by its event hash IDs: the second capture lands nothing new', async () => {
    const packs = [5, 6].map((i) => `urn:epc:id:sgtin:0614141.012345.${serial(i)}`);
    const doc = dscsaDocument(SGLN.maker, SGLN.distributor, [
      {
        step: 'commissioning',
        time: at(10),
        epcs: packs,
        lot: 'LD2',
        expiry: '2028-12-31',
        site: SGLN.makerSite,
      },
    ]);
    const first = await captured('manufacturer', GLN.maker, doc, 'application/xml');
    const again = await captured('manufacturer', GLN.maker, doc, 'application/xml');
    expect(first.answer.body.eventIDs[0]).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    expect(again.answer.body.eventIds).toEqual(first.answer.body.eventIds);
    const entries = (await (
      await fetch(
        `${sys.ledgerUrl}/v1/provenance?item=${encodeURIComponent(`https://id.gs1.org/01/${GTIN}/21/${serial(5)}`)}`,
        {
          headers: { authorization: `Bearer ${sys.regulatorToken}` },
        },
      )
    ).json()) as { entries: unknown[] };
    expect(entries.entries).toHaveLength(1);
  });

  it('refuses a document with one event rxledger cannot represent, naming index, field and reason, and publishes none of it', async () => {
    const uuid = `urn:uuid:${crypto.randomUUID()}`;
    const doc = dscsaDocument(SGLN.maker, SGLN.distributor, [
      {
        step: 'commissioning',
        time: at(5),
        epcs: [`urn:epc:id:sgtin:0614141.012345.${serial(7)}`],
        lot: 'LD3',
        expiry: '2028-12-31',
        site: SGLN.makerSite,
        eventId: uuid,
      },
      {
        step: 'commissioning',
        time: at(5),
        epcs: ['urn:epc:id:grai:0614141.12345.1'],
        lot: 'LD3',
        expiry: '2028-12-31',
        site: SGLN.makerSite,
      },
    ]);
    const answer = await capture('manufacturer', GLN.maker, doc, 'application/xml');
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { index: 1, field: 'epcList[0]', reason: expect.stringMatching(/grai/i) },
    ]);
    // A scanner site the partner does not own is refused by the gateway's own rule, in EPCIS terms.
    const elsewhere = dscsaDocument(SGLN.maker, SGLN.distributor, [
      {
        step: 'commissioning',
        time: at(5),
        epcs: [`urn:epc:id:sgtin:0614141.012345.${serial(9)}`],
        lot: 'LD3',
        expiry: '2028-12-31',
        site: 'urn:epc:id:sgln:0614141.00002.0',
      },
    ]);
    const site = await capture('manufacturer', GLN.maker, elsewhere, 'application/xml');
    expect(site.status).toBe(400);
    expect(site.body.errors[0]).toMatchObject({
      index: 0,
      field: 'bizLocation',
      reason: expect.stringMatching(/bound to site/),
    });
    const state = await fetch(`${sys.urls.manufacturer}/v1/events/${uuid}`, {
      headers: { authorization: `Bearer ${sys.scanner[GLN.maker]}` },
    });
    expect(state.status).toBe(404);
  });

  it("reports an event the ledger rejects as the capture's failure, with the event's index and reason", async () => {
    const doc = dscsaDocument(SGLN.maker, SGLN.distributor, [
      {
        step: 'commissioning',
        time: at(3),
        epcs: [`urn:epc:id:sgtin:0614141.012345.${serial(10)}`],
        lot: 'LD5',
        expiry: '2028-12-31',
        site: SGLN.makerSite,
      },
      // Another company's GTIN: the gateway takes it, the ledger's admission rule refuses it.
      {
        step: 'commissioning',
        time: at(3),
        epcs: [`urn:epc:id:sgtin:4001234.012345.${serial(10)}`],
        lot: 'LD5',
        expiry: '2028-12-31',
        site: SGLN.makerSite,
      },
    ]);
    const answer = await capture('manufacturer', GLN.maker, doc, 'application/xml');
    expect(answer.status).toBe(202);
    const job = await finished('manufacturer', GLN.maker, answer.headers.get('location')!);
    expect(job).toMatchObject({ state: 'failure', success: false, running: false });
    expect(job.errors).toEqual([
      {
        index: 1,
        eventID: answer.body.eventIDs[1],
        eventId: answer.body.eventIds[1],
        reason: expect.objectContaining({ code: 'NOT_GTIN_OWNER' }),
      },
    ]);
    expect(job.events).toMatchObject([{ state: 'ACCEPTED' }, { state: 'REJECTED' }]);
  });

  describe('hostile XML over HTTP, with the service unharmed', () => {
    const open =
      '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"><EPCISBody><EventList>';
    const close = '</EventList></EPCISBody></epcis:EPCISDocument>';
    const hostile = async (body: string) => capture('manufacturer', GLN.maker, body, 'application/xml');

    it.each([
      [
        'billion laughs',
        `<!DOCTYPE l [<!ENTITY a "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i === 0 ? 'a' : 'b'.repeat(i)};`.repeat(10)}">`).join('')}]>${open}<ObjectEvent><eventTime>&bbbbbbbbb;</eventTime></ObjectEvent>${close}`,
        400,
        /DOCTYPE/,
      ],
      [
        'an external entity',
        `<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${open}<ObjectEvent><eventTime>&x;</eventTime></ObjectEvent>${close}`,
        400,
        /DOCTYPE/,
      ],
      [
        'deep nesting',
        `${open}<ObjectEvent>${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</ObjectEvent>${close}`,
        400,
        /deeper than 32 levels/,
      ],
      [
        'a 50 MB document',
        `${open}${'<ObjectEvent/>'.repeat(Math.ceil((50 * 1024 * 1024) / 14))}${close}`,
        413,
        /too large|limit/i,
      ],
    ])('refuses %s', async (_what, body, status, reason) => {
      const answer = await hostile(body);
      expect(answer.status).toBe(status);
      expect(JSON.stringify(answer.body)).toMatch(reason);
      expect((await fetch(`${sys.urls.manufacturer}/healthz`)).status).toBe(200);
    });

    it('still captures after them, and refuses what is no EPCIS media type or has no scanner key', async () => {
      const doc = dscsaDocument(SGLN.maker, SGLN.distributor, [
        {
          step: 'commissioning',
          time: at(1),
          epcs: [`urn:epc:id:sgtin:0614141.012345.${serial(8)}`],
          lot: 'LD4',
          expiry: '2028-12-31',
          site: SGLN.makerSite,
        },
      ]);
      await captured('manufacturer', GLN.maker, doc, 'application/xml; charset=utf-8');
      expect((await capture('manufacturer', GLN.maker, doc, 'text/plain')).status).toBe(415);
      const anonymous = await fetch(`${sys.urls.manufacturer}/v1/epcis/capture`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: doc,
      });
      expect(anonymous.status).toBe(401);
    });
  });
});
