// GET /v1/epcis/events: the ledger's custody events as EPCIS 2.0 query documents, checked against
// GS1's schema, in both bindings, page by page while the log grows, by filter and by role.
import { fromBase64, rootFromInclusionProof, toHex } from '@rxledger/tlog';
import { parseCheckpoint } from '@rxledger/tlog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  epcisSchemaErrors,
  jsonEvents,
  type PlainEvent,
  xmlEvents,
} from '../../../test/support/epcis-document.ts';
import { type ExportFilter, exportStatements } from '../src/store/export-seqs.ts';
import { startRoutesServer } from './support/routes-server.ts';
import { tempLedger } from './support/temp-ledger.ts';
import { GLN, pack, sscc, T0, TestChain } from './support/test-chain.ts';
import { bearer, type TOKENS } from './support/test-tokens.ts';

const [CASE1, CASE2, PALLET] = [sscc(1), sscc(2), sscc(3)];
const PACKS = [0, 1, 2, 3, 4, 5].map(pack);
const S0_URN = 'urn:epc:id:sgtin:0614141.012345.S0';
const MAKER_SITE_SGLN = 'urn:epc:id:sgln:0614141.00001.0';

describe('EPCIS export', () => {
  const chain = new TestChain();
  const ledger = tempLedger(chain.authority.verifyingKey);
  let server: Awaited<ReturnType<typeof startRoutesServer>>;
  /** rxledger eventIds of the flow, in leaf order (leaf 0 is the genesis). */
  const ids: string[] = [];

  const fold = (...records: ReturnType<TestChain['event']>[]) => ledger.folder.fold(records);
  const as = (
    key: keyof TestChain & ('maker' | 'distributor' | 'pharmacy' | 'pharmacy2'),
    fields: object,
    site?: string,
  ) => {
    const record = chain.event(chain[key], { ...(site ? { site } : {}), ...fields } as never);
    return record;
  };

  beforeAll(async () => {
    server = await startRoutesServer(ledger);
    ledger.folder.fold([chain.record(chain.sign(chain.genesis(), chain.authority))]);
    fold(
      as(
        'maker',
        { type: 'COMMISSION', items: [...PACKS, CASE1, CASE2, PALLET], lot: 'L7', expiry: '281200' },
        GLN.makerSite,
      ),
      as('maker', { type: 'AGGREGATE', parent: CASE1, children: PACKS.slice(0, 3) }, GLN.makerSite),
      as('maker', { type: 'AGGREGATE', parent: CASE2, children: PACKS.slice(3) }, GLN.makerSite),
      as('maker', { type: 'AGGREGATE', parent: PALLET, children: [CASE1, CASE2] }, GLN.makerSite),
      as('maker', { type: 'SHIP', items: [PALLET], to: GLN.distributor }, GLN.makerSite),
      as('distributor', { type: 'RECEIVE', items: [PALLET], from: GLN.maker }, GLN.distributorSite),
      as('distributor', { type: 'DISAGGREGATE', parent: PALLET, children: [] }, GLN.distributorSite),
      as('distributor', { type: 'SHIP', items: [CASE1], to: GLN.pharmacy }, GLN.distributorSite),
      as('pharmacy', { type: 'RECEIVE', items: [CASE1], from: GLN.distributor }, GLN.pharmacySite),
      as('pharmacy', { type: 'DISAGGREGATE', parent: CASE1, children: [PACKS[0]] }, GLN.pharmacySite),
      as('pharmacy', { type: 'DISPENSE', items: [PACKS[0]] }, GLN.pharmacySite),
      // Evidence, not custody: pharmacy 2 never held pack 3.
      as('pharmacy2', { type: 'DISPENSE', items: [PACKS[3]] }),
      as('distributor', { type: 'DECOMMISSION', items: [PACKS[5]], reason: 'sample' }, GLN.distributorSite),
    );
    for (let seq = 1; seq < ledger.folder.size; seq++) ids.push(ledger.store.leaf(seq)!.eventId);
    server.checkpointNow();
  });
  afterAll(async () => {
    await server?.stop();
    ledger.close();
  });

  const get = async (
    query: string,
    who: keyof typeof TOKENS = 'regulator',
    accept = 'application/ld+json',
  ) => {
    const res = await fetch(`${server.url}/v1/epcis/events${query}`, { headers: { ...bearer(who), accept } });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the node answered
    const body: any = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    return { status: res.status, body, headers: res.headers };
  };
  /** Every page of an export, following Link rel="next"; `between` runs after each page. */
  const allPages = async (first: string, who: keyof typeof TOKENS = 'regulator', between = () => {}) => {
    const pages: PlainEvent[][] = [];
    for (let query: string | undefined = first; query !== undefined;) {
      const { status, body, headers } = await get(query, who);
      expect(status, JSON.stringify(body)).toBe(200);
      expect(epcisSchemaErrors(body)).toEqual([]);
      pages.push(jsonEvents(body));
      const next = /^<\/v1\/epcis\/events(\?[^>]*)>; rel="next"$/.exec(headers.get('link') ?? '');
      query = next?.[1];
      between();
      expect(pages.length).toBeLessThan(50);
    }
    return pages;
  };
  const eventIdsOf = (events: PlainEvent[]) => events.map((e) => e.eventID.split(':').at(-1));

  it('exports every custody event in leaf order, valid against GS1 EPCIS 2.0 JSON schema, each with its leaf and proof', async () => {
    const { status, body, headers } = await get('');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/ld\+json/);
    expect(headers.get('gs1-epcis-version')).toBe('2.0');
    expect(epcisSchemaErrors(body)).toEqual([]);
    expect(body['@context']).toEqual([
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { rxl: 'urn:rxledger:epcis:' },
    ]);
    const events = jsonEvents(body);
    expect(eventIdsOf(events)).toEqual(ids);
    expect(events.map((e) => e.leafIndex)).toEqual(ids.map((_, i) => i + 1));
    expect(events.map((e) => `${e.type} ${e.action} ${e.bizStep} ${e.disposition}`)).toEqual([
      'ObjectEvent ADD commissioning active',
      'AggregationEvent ADD packing in_progress',
      'AggregationEvent ADD packing in_progress',
      'AggregationEvent ADD packing in_progress',
      'ObjectEvent OBSERVE shipping in_transit',
      'ObjectEvent OBSERVE receiving in_progress',
      'AggregationEvent DELETE unpacking in_progress',
      'ObjectEvent OBSERVE shipping in_transit',
      'ObjectEvent OBSERVE receiving in_progress',
      'AggregationEvent DELETE unpacking in_progress',
      'ObjectEvent OBSERVE dispensing dispensed',
      'ObjectEvent OBSERVE dispensing dispensed',
      'ObjectEvent DELETE decommissioning non_sellable_other',
    ]);
    const [commission, , , pallet, ship, receive] = events;
    expect(commission!.epcs).toEqual([...PACKS, CASE1, CASE2, PALLET]);
    // DD 00 is the end of the month (GS1 General Specifications, AI 17).
    expect(commission!.ilmd).toEqual({ 'cbvmda:lotNumber': 'L7', 'cbvmda:itemExpirationDate': '2028-12-31' });
    expect(commission!.bizLocation).toBe(`https://id.gs1.org/414/${GLN.makerSite}`);
    expect(commission!.eventTime).toBe('2026-06-01T10:00:01+02:00');
    expect(commission!.eventTimeZoneOffset).toBe('+02:00');
    expect(commission!.recordTime).toBe(new Date(T0 + 3_600_000).toISOString());
    expect(pallet).toMatchObject({ parentID: PALLET, epcs: [CASE1, CASE2] });
    expect(ship!.destinations).toEqual([`possessing_party https://id.gs1.org/417/${GLN.distributor}`]);
    expect(ship!.sources).toEqual([`possessing_party https://id.gs1.org/417/${GLN.maker}`]);
    expect(receive!.sources).toEqual([`possessing_party https://id.gs1.org/417/${GLN.maker}`]);
    expect(events[6]).not.toHaveProperty('epcs.0'); // an unpack of everything names no children
    // Native eventIds (no URI) are exported as URNs scoped to their signer.
    expect(commission!.eventID).toBe(`urn:rxledger:epcis:event:${GLN.maker}:${ids[0]}`);

    // Anyone can fetch each event's proof and check it against the checkpoint the export names.
    const checkpoint = body['rxl:checkpoint'] as string;
    const { size, root } = parseCheckpoint(checkpoint.slice(0, checkpoint.indexOf('\n\n') + 1));
    for (const e of [commission!, events.at(-1)!]) {
      expect(e.treeSize).toBe(size);
      const proof = (await (await fetch(`${server.url}${e.inclusionProof}`)).json()) as {
        leafHash: string;
        proof: string[];
      };
      const computed = rootFromInclusionProof(
        fromBase64(proof.leafHash),
        e.leafIndex,
        size,
        proof.proof.map((p) => fromBase64(p)),
      );
      expect(toHex(computed)).toBe(toHex(root));
      expect(proof.leafHash).toBe(Buffer.from(ledger.store.leaf(e.leafIndex)!.hash).toString('base64'));
    }
  });

  it('answers the same events as EPCIS 2.0 XML when asked, well-formed and parsed back with saxes', async () => {
    const json = await get('?perPage=5&EQ_bizStep=shipping|receiving|commissioning|unpacking');
    const xml = await get(
      '?perPage=5&EQ_bizStep=shipping|receiving|commissioning|unpacking',
      'regulator',
      'application/xml',
    );
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(xml.body).toContain('<bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>');
    expect(xmlEvents(xml.body)).toEqual(jsonEvents(json.body));
    expect(xmlEvents(xml.body)).toHaveLength(5);
    expect(xml.headers.get('link')).toBe(json.headers.get('link'));
    const empty = await get('?MATCH_anyEPC=' + encodeURIComponent(pack(99)), 'regulator', 'application/xml');
    expect(xmlEvents(empty.body)).toEqual([]);
  });

  it('refuses media types it does not serve with 406', async () => {
    for (const accept of ['text/html', 'application/pdf', 'text/xml']) {
      const { status, body } = await get('', 'regulator', accept);
      expect(status, accept).toBe(406);
      expect(body.error.code).toBe('NOT_ACCEPTABLE');
    }
    expect((await get('', 'regulator', 'application/json')).headers.get('content-type')).toMatch(
      /^application\/json/,
    );
    expect((await get('', 'regulator', '*/*')).headers.get('content-type')).toMatch(/^application\/ld\+json/);
  });

  it('filters by EPC (any form), parentID, business step, event time and location', async () => {
    const q = async (query: string) => eventIdsOf((await allPages(query)).flat());
    const idsAt = (...leaves: number[]) => leaves.map((n) => ids[n - 1]);
    expect(await q(`?MATCH_anyEPC=${S0_URN}`)).toEqual(idsAt(1, 2, 10, 11));
    expect(await q(`?MATCH_anyEPC=${encodeURIComponent(`${PACKS[0]}|${PALLET}`)}`)).toEqual(
      idsAt(1, 2, 4, 5, 6, 7, 10, 11),
    );
    // CASE1 is the parent of two events and a child of the pallet's packing.
    expect(await q(`?MATCH_parentID=${encodeURIComponent(CASE1)}`)).toEqual(idsAt(2, 10));
    expect(await q(`?MATCH_anyEPC=${encodeURIComponent(CASE1)}`)).toEqual(idsAt(1, 2, 4, 8, 9, 10));
    expect(await q('?EQ_bizStep=urn:epcglobal:cbv:bizstep:shipping|receiving')).toEqual(idsAt(5, 6, 8, 9));
    expect(await q('?EQ_bizStep=destroying')).toEqual([]);
    const at = (leaf: number) => encodeURIComponent(new Date(T0 + leaf * 1000).toISOString());
    expect(await q(`?GE_eventTime=${at(3)}&LT_eventTime=${at(6)}`)).toEqual(idsAt(3, 4, 5));
    expect(await q(`?EQ_bizLocation=${MAKER_SITE_SGLN}`)).toEqual(idsAt(1, 2, 3, 4, 5));
    expect(
      await q(
        `?EQ_bizLocation=${encodeURIComponent(`https://id.gs1.org/414/${GLN.pharmacySite}`)}&EQ_bizStep=dispensing`,
      ),
    ).toEqual(idsAt(11));
    expect(
      await q(`?EQ_bizLocation=${GLN.distributorSite}&MATCH_anyEPC=${encodeURIComponent(PALLET)}&perPage=1`),
    ).toEqual(idsAt(6, 7));
  });

  it('shows a partner its own events, and the events naming items it held that it asks for', async () => {
    const q = async (query: string, who: keyof typeof TOKENS) =>
      eventIdsOf((await allPages(query, who)).flat());
    const idsAt = (...leaves: number[]) => leaves.map((n) => ids[n - 1]);
    expect(await q('?perPage=1000', 'distributor')).toEqual(idsAt(6, 7, 8, 13));
    // It held pack 0 (inside the pallet): pack 0's whole history, as provenance would show it.
    expect(await q(`?MATCH_anyEPC=${S0_URN}`, 'distributor')).toEqual(idsAt(1, 2, 10, 11));
    // Pharmacy 2 never held pack 3: its own rule-breaking dispense, and nothing of the pack's history.
    expect(await q(`?MATCH_anyEPC=${encodeURIComponent(PACKS[3]!)}`, 'pharmacy2Service')).toEqual(idsAt(12));
    expect(await q(`?MATCH_parentID=${encodeURIComponent(CASE2)}`, 'pharmacyService')).toEqual([]);
    expect(await q(`?MATCH_parentID=${encodeURIComponent(CASE1)}`, 'pharmacyService')).toEqual(idsAt(2, 10));
    expect((await get('', 'pharmacist')).status).toBe(403);
    const anonymous = await fetch(`${server.url}/v1/epcis/events`);
    expect(anonymous.status).toBe(401);
  });

  it('refuses bad parameters with a 400 naming each', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['?foo=1', 'foo', /not a parameter/],
      ['?MATCH_epc=x', 'MATCH_epc', /not a parameter/],
      ['?MATCH_anyEPC=nonsense', 'MATCH_anyEPC', /nonsense/],
      ['?MATCH_anyEPC=urn:epc:idpat:sgtin:0614141.012345.*', 'MATCH_anyEPC', /patterns/],
      [`?MATCH_anyEPC=${pack(1)}|urn:epc:id:sgtin:0614141.012345`, 'MATCH_anyEPC', /value 2/],
      [
        `?MATCH_anyEPC=${Array.from({ length: 101 }, (_, i) => pack(i)).join('|')}`,
        'MATCH_anyEPC',
        /at most 100/,
      ],
      ['?MATCH_anyEPC=a&MATCH_anyEPC=b', 'MATCH_anyEPC', /once/],
      [`?MATCH_parentID=urn:epc:id:sgln:0614141.00001.0`, 'MATCH_parentID', /location/],
      ['?EQ_bizStep=flying', 'EQ_bizStep', /business step/],
      ['?GE_eventTime=2026-06-01T10:00:00', 'GE_eventTime', /zone offset/],
      ['?LT_eventTime=yesterday', 'LT_eventTime', /RFC 3339/],
      ['?EQ_bizLocation=0614141000013', 'EQ_bizLocation', /check digit/],
      ['?perPage=0', 'perPage', /at least 1/],
      ['?perPage=1001', 'perPage', /at most 1000/],
      ['?perPage=07', 'perPage', /whole number/],
      ['?nextPageToken=abc', 'nextPageToken', /not a token/],
      ['?MATCH_anyEPC=', 'MATCH_anyEPC', /""/],
      ['?EQ_bizLocation=', 'EQ_bizLocation', /""/],
      ['?EQ_bizStep=shipping|', 'EQ_bizStep', /value 2 ""/],
      ['?MATCH_anyEPC[]=x', 'MATCH_anyEPC[]', /not a parameter/],
      [`?MATCH_anyEPC=${'9'.repeat(5000)}`, 'MATCH_anyEPC', /.+/],
      ['?GE_eventTime=2026-02-30T00:00:00Z', 'GE_eventTime', /does not exist/],
      ['?nextPageToken=' + 'A'.repeat(201), 'nextPageToken', /not a token/],
    ];
    for (const [query, field, reason] of cases) {
      const { status, body } = await get(query);
      expect(status, query).toBe(400);
      expect(body.errors, query).toEqual([{ field, reason: expect.stringMatching(reason) }]);
    }
  });

  it('refuses a page token with other filters, or one it did not issue', async () => {
    const { headers } = await get('?perPage=2&EQ_bizStep=packing');
    const token = new URLSearchParams(/\?([^>]*)>/.exec(headers.get('link')!)![1]).get('nextPageToken')!;
    expect((await get(`?perPage=1&EQ_bizStep=packing&nextPageToken=${token}`)).status).toBe(200);
    const other = await get(`?perPage=2&EQ_bizStep=shipping&nextPageToken=${token}`);
    expect(other.status).toBe(400);
    expect(other.body.errors[0]).toEqual({
      field: 'nextPageToken',
      reason: expect.stringMatching(/other parameters/),
    });
    // A token naming a tree size no checkpoint was signed at.
    const [, , after, digest] = Buffer.from(token, 'base64url').toString().split('.');
    const forged = Buffer.from(`1.3.${after}.${digest}`).toString('base64url');
    const refused = await get(`?perPage=2&EQ_bizStep=packing&nextPageToken=${forged}`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('nextPageToken');
  });
  // Last: it adds events to the ledger the other tests read.
  it('pages with a token pinned to one tree size: every event exactly once while new events arrive', async () => {
    const before = ledger.folder.size;
    let added = 0;
    const pages = await allPages('?perPage=4', 'regulator', () => {
      // A new event lands and is checkpointed between every two pages.
      fold(as('pharmacy', { type: 'DISPENSE', items: [PACKS[1]] }, GLN.pharmacySite));
      server.checkpointNow();
      added++;
    });
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 1]);
    const events = pages.flat();
    expect(eventIdsOf(events)).toEqual(ids);
    expect(new Set(events.map((e) => e.treeSize))).toEqual(new Set([before]));
    // The next export starts from the newest checkpoint and holds what arrived meanwhile.
    const later = await allPages('?perPage=1000');
    expect(later.flat()).toHaveLength(ids.length + added);
  });
});

describe('the site index of the EPCIS export', () => {
  it('is filled for leaves folded before it existed when the database opens', () => {
    const chain = new TestChain();
    const older = tempLedger(chain.authority.verifyingKey);
    try {
      older.folder.fold([
        chain.record(chain.sign(chain.genesis(), chain.authority)),
        chain.event(chain.maker, {
          type: 'COMMISSION',
          items: [pack(1)],
          lot: 'L',
          expiry: '281231',
          site: GLN.makerSite,
        } as never),
      ]);
      // As a database written before leaf_sites existed.
      older.db.exec("DELETE FROM leaf_sites; DELETE FROM meta WHERE key = 'leaf_sites'");
      older.reopen();
      const rows = older.db.prepare('SELECT site, seq FROM leaf_sites ORDER BY seq').all();
      expect(rows).toEqual([
        { site: GLN.authority, seq: 0 },
        { site: GLN.makerSite, seq: 1 },
      ]);
    } finally {
      older.close();
    }
  });
});

describe('the cost of an EPCIS export page', () => {
  it('walks one index stream per driving value in seq order: no full scan, no sort of everything matched', () => {
    const chain = new TestChain();
    const db = tempLedger(chain.authority.verifyingKey);
    const all = ['COMMISSION', 'AGGREGATE', 'DISAGGREGATE', 'SHIP', 'RECEIVE', 'DISPENSE', 'DECOMMISSION'];
    const base = { types: all, after: -1, below: 1_000_000, limit: 101 };
    const shapes: Array<[string, Partial<ExportFilter>, RegExp]> = [
      ['everything', {}, /^SEARCH l USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)$/],
      [
        'one step',
        { types: ['SHIP'] },
        /USING COVERING INDEX leaves_event_type \(event_type=\? AND rowid>\?/,
      ],
      ['EPCs', { naming: [[pack(1), pack(2)]] }, /SEARCH item_leaves USING PRIMARY KEY \(item=\?\)/],
      [
        'site',
        { sites: [GLN.makerSite], types: ['SHIP'] },
        /SEARCH s USING PRIMARY KEY \(site=\? AND seq>\?/,
      ],
      [
        "a partner's own",
        { visibleTo: { parties: [GLN.distributor], items: [] } },
        /USING INDEX leaves_party \(party=\? AND rowid>\?/,
      ],
      ['time window', { since: T0, until: T0 + 60_000 }, /^SEARCH l USING INTEGER PRIMARY KEY \(rowid>\?/],
    ];
    try {
      for (const [name, shape, expected] of shapes) {
        for (const { sql, args } of exportStatements({ ...base, ...shape })) {
          const plan = (db.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>)
            .map((r) => r.detail)
            .join('\n');
          expect(plan, name).toMatch(new RegExp(expected.source, 'm'));
          expect(plan, name).not.toMatch(/TEMP B-TREE|^SCAN /m);
        }
      }
    } finally {
      db.close();
    }
  });
});
