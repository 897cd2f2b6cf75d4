// The HTTP half of the hostile-input catalogue (issue 19): every row is one request and the answer the
// fixed system must give. A 400 names the field at fault in `errors[]` (shared/runtime/src/errors.ts,
// shared/gateway/src/batch-rejected-error.ts); `(body)` is the field of a body that is not a batch at
// all (not JSON, too deep). The gateways pre-check each event with the ledger's own admission rule,
// their clock standing in for the broker's: what the ledger would reject is refused at the door (400
// for a field that breaks a rule, 403 for a signer not entitled to it), never acknowledged with 202.
import { MAX_ITEMS } from '@rxledger/events';
import { MAX_BATCH_EVENTS } from '@rxledger/gateway';
import { epcisRows } from './hostile-epcis-rows.ts';
import type { HttpRequestSpec, HttpRow, Service } from './hostile-http.ts';
import {
  BAD_CHECK_GLN,
  BAD_CHECK_GTIN,
  chars,
  nestedArrays,
  pack,
  sscc,
  ssccBadCheck,
} from './hostile-items.ts';
import { FOREIGN_GTIN, OWN_GTIN, PARTY, type PartnerKind } from './hostile-system.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const MB33 = 33 * 1024 * 1024;

let serialNo = 0;
/** A serial no other row uses. */
const serial = (tag = 'H') => `${tag}${++serialNo}`;
let containerNo = 1000;
const container = () => `(00)${sscc(++containerNo)}`;

/** The pack every verify in this file (and the steady verify stream) asks about. */
export const KNOWN_SERIAL = 'KNOWN1';
export const KNOWN_PACK = pack.uri(KNOWN_SERIAL);

/** A valid event of the kind each partner service takes; fresh identifiers on every call. */
const valid: Record<PartnerKind, () => Record<string, unknown>> = {
  manufacturer: () => ({
    type: 'COMMISSION',
    items: [pack.bracketed(serial())],
    lot: 'L1',
    expiry: '281231',
  }),
  distributor: () => ({ type: 'SHIP', items: [container()], to: PARTY.pharmacy1 }),
  pharmacy: () => ({ type: 'DISPENSE', items: [pack.bracketed(serial())] }),
};
const commission = (fields: Record<string, unknown>) => () => ({ ...valid.manufacturer(), ...fields });

/** POST /v1/events with `events` (a function of nothing, so that times and serials are made at send time). */
const post = (
  service: PartnerKind,
  events: () => unknown[],
  extra: Partial<HttpRequestSpec> = {},
): HttpRequestSpec => ({ service, path: '/v1/events', json: () => ({ events: events() }), ...extra });
const postOne = (service: PartnerKind, event: () => unknown, extra: Partial<HttpRequestSpec> = {}) =>
  post(service, () => [event()], extra);

const SERVICES: PartnerKind[] = ['manufacturer', 'distributor', 'pharmacy'];
const partner = (name: string, request: HttpRequestSpec, expected: HttpRow['expected']): HttpRow => ({
  name,
  surface: 'partner API',
  request,
  expected,
});
const ledger = (
  name: string,
  request: Omit<HttpRequestSpec, 'service'>,
  expected: HttpRow['expected'],
): HttpRow => ({
  name,
  surface: 'ledger GET',
  request: { service: 'ledger', ...request },
  expected,
});
const bad = (field: string) => ({ status: 400, field });

function authRows(): HttpRow[] {
  return SERVICES.flatMap((s) => [
    partner(`${s}: POST without Authorization`, postOne(s, valid[s], { auth: 'none' }), { status: 401 }),
    partner(`${s}: POST with "Bearer" and no key`, postOne(s, valid[s], { auth: { header: 'Bearer ' } }), {
      status: 401,
    }),
    partner(
      `${s}: POST with Basic credentials`,
      postOne(s, valid[s], { auth: { header: 'Basic dXNlcjpwYXNz' } }),
      {
        status: 401,
      },
    ),
    partner(
      `${s}: POST with an unknown scanner key`,
      postOne(s, valid[s], { auth: { header: 'Bearer rxs_not-a-key' } }),
      {
        status: 401,
      },
    ),
    partner(`${s}: POST with the regulator's ledger token`, postOne(s, valid[s], { auth: 'regulator' }), {
      status: 401,
    }),
    partner(
      `${s}: POST with a scanner key of another service's party`,
      postOne(s, valid[s], {
        auth: s === 'distributor' ? `scanner:${PARTY.maker}` : `scanner:${PARTY.distributor}`,
      }),
      { status: 401 },
    ),
    partner(
      `${s}: POST with a 20 KB Authorization header`,
      postOne(s, valid[s], { auth: { header: `Bearer ${chars('A', 20_000)}` } }),
      { status: [401, 431] },
    ),
    partner(
      `${s}: 33 MB body without Authorization is refused before it is read`,
      { service: s, path: '/v1/events', auth: 'none', raw: () => Buffer.alloc(MB33, 0x20) },
      { status: 401 },
    ),
  ]);
}

function contentRows(): HttpRow[] {
  return SERVICES.flatMap((s) => {
    const body = () => JSON.stringify({ events: [valid[s]()] });
    return [
      partner(
        `${s}: JSON body sent as text/plain`,
        { service: s, path: '/v1/events', raw: body, contentType: 'text/plain' },
        {
          status: 415,
        },
      ),
      partner(
        `${s}: body with no Content-Type`,
        { service: s, path: '/v1/events', raw: body, contentType: null },
        {
          status: 415,
        },
      ),
      partner(
        `${s}: form-encoded body`,
        {
          service: s,
          path: '/v1/events',
          raw: () => 'events=1',
          contentType: 'application/x-www-form-urlencoded',
        },
        { status: 415 },
      ),
      partner(
        `${s}: JSON declared as UTF-16`,
        { service: s, path: '/v1/events', raw: body, contentType: 'application/json; charset=utf-16' },
        // UTF-8 bytes declared as UTF-16: refusing the charset (415) or the decoded text (400) both keep it out.
        { status: [400, 415] },
      ),
      partner(
        `${s}: unsupported Content-Encoding`,
        { service: s, path: '/v1/events', raw: body, headers: { 'content-encoding': 'compress' } },
        { status: 415 },
      ),
      partner(
        `${s}: an event whose type is an object nested 10,000 deep`,
        {
          service: s,
          path: '/v1/events',
          raw: () => `{"events":[{"type":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}]}`,
        },
        bad('(body)'),
      ),
      partner(
        `${s}: truncated JSON`,
        { service: s, path: '/v1/events', raw: () => '{"events":[' },
        bad('(body)'),
      ),
      partner(
        `${s}: JSON array as the body`,
        { service: s, path: '/v1/events', raw: () => '[]' },
        bad('(body)'),
      ),
      partner(
        `${s}: JSON null as the body`,
        { service: s, path: '/v1/events', raw: () => 'null' },
        bad('(body)'),
      ),
      partner(
        `${s}: 33 MB body from a known scanner`,
        { service: s, path: '/v1/events', raw: () => `{"events":[],"pad":"${chars('x', MB33)}"}` },
        { status: 413 },
      ),
    ];
  });
}

function depthRows(): HttpRow[] {
  const M: PartnerKind = 'manufacturer';
  return [
    partner(
      'JSON nested 10,000 arrays deep as the body',
      { service: M, path: '/v1/events', raw: () => nestedArrays(10_000) },
      bad('(body)'),
    ),
    partner(
      'events[0] nested 10,000 arrays deep',
      { service: M, path: '/v1/events', raw: () => `{"events":[${nestedArrays(10_000)}]}` },
      bad('(body)'),
    ),
    partner(
      'an item nested 10,000 arrays deep',
      {
        service: M,
        path: '/v1/events',
        raw: () =>
          `{"events":[{"type":"COMMISSION","lot":"L1","expiry":"281231","items":[${nestedArrays(10_000, '"x"')}]}]}`,
      },
      bad('(body)'),
    ),
    partner(
      'an unknown field holding objects nested 10,000 deep',
      {
        service: M,
        path: '/v1/events',
        raw: () => `{"events":[{"type":"COMMISSION","x":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}]}`,
      },
      bad('(body)'),
    ),
    partner(
      'JSON nested 100,000 arrays deep',
      { service: M, path: '/v1/events', raw: () => nestedArrays(100_000) },
      bad('(body)'),
    ),
  ];
}

function batchRows(): HttpRow[] {
  const M: PartnerKind = 'manufacturer';
  const many = (n: number) => () => Array.from({ length: n }, valid.manufacturer);
  return [
    partner('batch {} without events', { service: M, path: '/v1/events', json: {} }, bad('events')),
    partner(
      'batch whose events is an object',
      { service: M, path: '/v1/events', json: { events: {} } },
      bad('events'),
    ),
    partner(
      'batch of no events',
      post(M, () => []),
      bad('events'),
    ),
    partner(
      'batch with a field besides events',
      { service: M, path: '/v1/events', json: () => ({ events: [valid.manufacturer()], extra: 1 }) },
      bad('extra'),
    ),
    partner(`batch of ${MAX_BATCH_EVENTS} events (the bound)`, post(M, many(MAX_BATCH_EVENTS)), {
      status: 202,
    }),
    partner(`batch of ${MAX_BATCH_EVENTS + 1} events`, post(M, many(MAX_BATCH_EVENTS + 1)), bad('events')),
    partner(
      'an event that is a string',
      post(M, () => ['COMMISSION']),
      bad('(event)'),
    ),
    partner(
      'an event that is null',
      post(M, () => [null]),
      bad('(event)'),
    ),
    partner(
      'an event without type',
      postOne(M, () => ({ items: [pack.bracketed(serial())] })),
      bad('type'),
    ),
    partner('type in lower case', postOne(M, commission({ type: 'commission' })), bad('type')),
    partner(
      'type REGISTRY from a scanner',
      postOne(M, () => ({ type: 'REGISTRY', changes: [] })),
      { status: 403, field: 'type' },
    ),
    partner(
      'patient data in an unknown field',
      postOne(M, commission({ patient: 'Jane Doe' })),
      bad('patient'),
    ),
  ];
}

function roleRows(): HttpRow[] {
  const D: PartnerKind = 'distributor';
  const P: PartnerKind = 'pharmacy';
  const M: PartnerKind = 'manufacturer';
  const forbidden = { status: 403, field: 'type' };
  return [
    partner('distributor posts COMMISSION', postOne(D, valid.manufacturer), forbidden),
    partner(
      'distributor posts RECALL',
      postOne(D, () => ({ type: 'RECALL', gtin: OWN_GTIN, lot: 'L1', reason: 'x' })),
      forbidden,
    ),
    partner('distributor posts DISPENSE', postOne(D, valid.pharmacy), forbidden),
    partner('pharmacy posts COMMISSION', postOne(P, valid.manufacturer), forbidden),
    partner('pharmacy posts SHIP', postOne(P, valid.distributor), forbidden),
    partner(
      'pharmacy posts RECALL',
      postOne(P, () => ({ type: 'RECALL', gtin: OWN_GTIN, lot: 'L1', reason: 'x' })),
      forbidden,
    ),
    partner('manufacturer posts DISPENSE', postOne(M, valid.pharmacy), forbidden),
    partner(
      'manufacturer posts RECEIVE',
      postOne(M, () => ({ type: 'RECEIVE', items: [container()], from: PARTY.distributor })),
      forbidden,
    ),
    partner(
      'a SHIP and a COMMISSION in one distributor batch',
      post(D, () => [valid.distributor(), valid.manufacturer()]),
      forbidden,
    ),
    // Ownership is judged by the ledger's registry, which a partner service does not hold: the service
    // signs and publishes, and the ledger refuses the record as NOT_GTIN_OWNER (hostile-topic rows).
    partner(
      "manufacturer COMMISSION of another company's GTIN (judged by the ledger's registry)",
      postOne(M, commission({ items: [`(01)${FOREIGN_GTIN}(21)${serial()}`] })),
      { status: 202 },
    ),
    partner(
      "manufacturer RECALL of another company's GTIN (judged by the ledger's registry)",
      postOne(M, () => ({ type: 'RECALL', gtin: FOREIGN_GTIN, lot: 'L1', reason: 'x' })),
      { status: 202 },
    ),
  ];
}

function boundRows(): HttpRow[] {
  const M: PartnerKind = 'manufacturer';
  const P: PartnerKind = 'pharmacy';
  const D: PartnerKind = 'distributor';
  const at = (ms: () => number) => () => iso(ms());
  const timed = (t: () => string) => postOne(M, () => ({ ...valid.manufacturer(), eventTime: t() }));
  const items = (n: number) => () => Array.from({ length: n }, () => pack.uri(serial('I')));
  return [
    partner(
      'eventId of 128 characters (the bound)',
      postOne(M, commission({ eventId: chars('e', 127) + '1' })),
      { status: 202 },
    ),
    partner(
      'eventId of 129 characters',
      postOne(M, commission({ eventId: chars('e', 129) })),
      bad('eventId'),
    ),
    partner('eventId empty', postOne(M, commission({ eventId: '' })), bad('eventId')),
    partner('eventId with a slash', postOne(M, commission({ eventId: 'a/b' })), bad('eventId')),
    partner('eventId a number', postOne(M, commission({ eventId: 5 })), bad('eventId')),
    partner(
      'eventId with a non-ASCII letter',
      postOne(M, commission({ eventId: 'caf\u00e9' })),
      bad('eventId'),
    ),
    partner('lot of 20 characters (the bound)', postOne(M, commission({ lot: chars('L', 20) })), {
      status: 202,
    }),
    partner('lot of 21 characters', postOne(M, commission({ lot: chars('L', 21) })), bad('lot')),
    partner('lot empty', postOne(M, commission({ lot: '' })), bad('lot')),
    partner('lot with a character outside GS1 set 82', postOne(M, commission({ lot: 'L|1' })), bad('lot')),
    partner(
      'serial of 20 characters (the bound)',
      postOne(M, commission({ items: [pack.bracketed(`S${serial('').padStart(19, '0')}`)] })),
      { status: 202 },
    ),
    partner(
      'serial of 21 characters',
      postOne(M, commission({ items: [pack.bracketed(chars('S', 21))] })),
      bad('items[0]'),
    ),
    partner('expiry of four digits', postOne(M, commission({ expiry: '2812' })), bad('expiry')),
    partner('expiry in month 13', postOne(M, commission({ expiry: '281332' })), bad('expiry')),
    partner('expiry on 30 February', postOne(M, commission({ expiry: '280230' })), bad('expiry')),
    partner('expiry with day 00 (end of month)', postOne(M, commission({ expiry: '281200' })), {
      status: 202,
    }),
    partner(
      `items: ${MAX_ITEMS} (the bound)`,
      postOne(M, () => ({ ...valid.manufacturer(), items: items(MAX_ITEMS)() })),
      { status: 202 },
    ),
    partner(
      `items: ${MAX_ITEMS + 1}`,
      postOne(M, () => ({ ...valid.manufacturer(), items: items(MAX_ITEMS + 1)() })),
      bad('items'),
    ),
    partner('items: none', postOne(M, commission({ items: [] })), bad('items')),
    partner(
      'the same pack twice, in two input forms',
      postOne(M, () => {
        const s = serial();
        return { ...valid.manufacturer(), items: [pack.bracketed(s), pack.urn(s)] };
      }),
      bad('items[1]'),
    ),
    partner(
      'eventTime 7 days minus 1 hour ago (inside the lateness window)',
      timed(at(() => Date.now() - 7 * DAY + 3_600_000)),
      { status: 202 },
    ),
    partner(
      'eventTime 7 days plus 1 hour ago (beyond the lateness window)',
      timed(at(() => Date.now() - 7 * DAY - 3_600_000)),
      bad('eventTime'),
    ),
    partner(
      'eventTime 2000-01-01T00:00:00Z (the floor, but beyond the window)',
      timed(() => '2000-01-01T00:00:00Z'),
      bad('eventTime'),
    ),
    partner(
      'eventTime 1999-12-31T23:59:59.999Z (before the floor)',
      timed(() => '1999-12-31T23:59:59.999Z'),
      bad('eventTime'),
    ),
    partner(
      'eventTime in year 0001',
      timed(() => '0001-01-01T00:00:00Z'),
      bad('eventTime'),
    ),
    partner('eventTime 4 min 50 s ahead (inside the skew bound)', timed(at(() => Date.now() + 290_000)), {
      status: 202,
    }),
    partner(
      'eventTime 5 min 30 s ahead (past the skew bound)',
      timed(at(() => Date.now() + 330_000)),
      bad('eventTime'),
    ),
    partner(
      'eventTime in year 9999',
      timed(() => '9999-12-31T23:59:59Z'),
      bad('eventTime'),
    ),
    partner(
      'eventTime with a six-digit year',
      timed(() => '+275760-09-13T00:00:00Z'),
      bad('eventTime'),
    ),
    partner(
      'eventTime without a zone offset',
      timed(() => '2026-11-30T10:00:00'),
      bad('eventTime'),
    ),
    partner(
      'eventTime on 30 February',
      timed(() => '2026-02-30T10:00:00Z'),
      bad('eventTime'),
    ),
    partner(
      'eventTime with a leap second',
      timed(() => '2026-11-30T23:59:60Z'),
      bad('eventTime'),
    ),
    partner(
      'eventTime as epoch milliseconds',
      postOne(M, () => ({ ...valid.manufacturer(), eventTime: Date.now() })),
      bad('eventTime'),
    ),
    partner("site: the scanner's own site, explicitly", postOne(M, commission({ site: PARTY.makerSite })), {
      status: 202,
    }),
    partner(
      "site: another site of the same party (not the scanner's)",
      postOne(M, commission({ site: PARTY.makerSite2 })),
      bad('site'),
    ),
    partner(
      "site: another party's site",
      postOne(M, commission({ site: PARTY.distributorSite })),
      bad('site'),
    ),
    partner('site with a bad check digit', postOne(M, commission({ site: BAD_CHECK_GLN })), bad('site')),
    partner('site of 14 digits', postOne(M, commission({ site: '06141410000120' })), bad('site')),
    partner(
      'SHIP to a GLN with a bad check digit',
      postOne(D, () => ({ ...valid.distributor(), to: BAD_CHECK_GLN })),
      bad('to'),
    ),
    partner(
      'SHIP without to',
      postOne(D, () => ({ type: 'SHIP', items: [container()] })),
      bad('to'),
    ),
    partner(
      'RECEIVE without from',
      postOne(D, () => ({ type: 'RECEIVE', items: [container()] })),
      bad('from'),
    ),
    partner(
      'DECOMMISSION for reason "lost"',
      postOne(D, () => ({ type: 'DECOMMISSION', items: [container()], reason: 'lost' })),
      bad('reason'),
    ),
    partner(
      'RECALL reason of 500 characters (the bound)',
      postOne(M, () => ({ type: 'RECALL', gtin: OWN_GTIN, lot: 'HR500', reason: chars('r', 500) })),
      { status: 202 },
    ),
    partner(
      'RECALL reason of 501 characters',
      postOne(M, () => ({ type: 'RECALL', gtin: OWN_GTIN, lot: 'HR501', reason: chars('r', 501) })),
      bad('reason'),
    ),
    partner(
      'RECALL of a GTIN with a bad check digit',
      postOne(M, () => ({ type: 'RECALL', gtin: BAD_CHECK_GTIN, lot: 'L1', reason: 'x' })),
      bad('gtin'),
    ),
    partner(
      'AGGREGATE into a pack',
      postOne(M, () => ({ type: 'AGGREGATE', parent: pack.bracketed(serial()), children: [container()] })),
      bad('parent'),
    ),
    partner(
      'AGGREGATE a container into itself',
      postOne(M, () => {
        const c = container();
        return { type: 'AGGREGATE', parent: c, children: [c] };
      }),
      bad('children[0]'),
    ),
    partner(
      'AGGREGATE without children',
      postOne(M, () => ({ type: 'AGGREGATE', parent: container() })),
      bad('children'),
    ),
    partner(
      'DISPENSE of a container',
      postOne(P, () => ({ type: 'DISPENSE', items: [container()] })),
      bad('items[0]'),
    ),
    {
      name: 'pharmacy 2 reuses an eventId of pharmacy 1 (ids are per party)',
      surface: 'partner API',
      setup: [postOne(P, () => ({ ...valid.pharmacy(), eventId: 'shared-id-1' }))],
      request: postOne(P, () => ({ ...valid.pharmacy(), eventId: 'shared-id-1' }), {
        auth: `scanner:${PARTY.pharmacy2}`,
      }),
      expected: { status: 202 },
    },
  ];
}

/** Every input form of an item, each broken in its own way (sent as a pharmacy DISPENSE). */
function itemRows(): HttpRow[] {
  const P: PartnerKind = 'pharmacy';
  const item = (name: string, value: () => unknown, expected: HttpRow['expected'] = bad('items[0]')) =>
    partner(
      `item ${name}`,
      postOne(P, () => ({ type: 'DISPENSE', items: [value()] })),
      expected,
    );
  return [
    item('bracketed, GTIN check digit wrong', () => `(01)${BAD_CHECK_GTIN}(21)${serial()}`),
    item('bracketed, no (21)', () => `(01)${OWN_GTIN}`),
    item('bracketed, serial with "|"', () => pack.bracketed('A|1')),
    item('bracketed, unknown AI', () => `${pack.bracketed(serial())}(999)1`),
    item('bracketed, unclosed AI', () => `(01${OWN_GTIN}(21)${serial()}`),
    item('bracketed, (01) of 13 digits', () => `(01)${OWN_GTIN.slice(1)}(21)${serial()}`),
    item('bracketed SSCC, check digit wrong', () => `(00)${ssccBadCheck(7)}`),
    item('bracketed, both (00) and (01)+(21)', () => `(00)${sscc(8)}(01)${OWN_GTIN}(21)${serial()}`),
    item('element string, GTIN check digit wrong', () => `]d201${BAD_CHECK_GTIN}21${serial()}`),
    item('element string, GS inside the fixed-length GTIN', () => `]d201006141\u001d4112345221${serial()}`),
    item('element string, unknown symbology ]Z9', () => `]Z901${OWN_GTIN}21${serial()}`),
    item('element string, QR plain text', () => ']Q3hello'),
    item('element string without symbology, too short', () => `01${OWN_GTIN.slice(0, 10)}`),
    item(
      'Digital Link, GTIN check digit wrong',
      () => `https://id.gs1.org/01/${BAD_CHECK_GTIN}/21/${serial()}`,
    ),
    item('Digital Link, no serial', () => `https://id.gs1.org/01/${OWN_GTIN}`),
    // GS1's engine keeps a malformed escape such as %G1 literally ('%' is in set 82); %00 decodes to NUL.
    item(
      'Digital Link, percent-encoded NUL in the serial',
      () => `https://example.com/01/${OWN_GTIN}/21/A%00B`,
    ),
    item('Digital Link, ftp scheme', () => `ftp://id.gs1.org/01/${OWN_GTIN}/21/${serial()}`),
    item('Digital Link, impossible expiry in the query', () => `${pack.otherDomain(serial())}?17=281332`),
    item('Digital Link, serial of 21 characters', () => pack.uri(chars('S', 21))),
    item('EPC URN, item reference without indicator', () => `urn:epc:id:sgtin:0614141.12345.${serial()}`),
    item('EPC URN, empty serial', () => pack.urn('')),
    item('EPC URN of a location (SGLN)', () => 'urn:epc:id:sgln:0614141.00001.0'),
    item('EPC URN SSCC of the wrong length', () => 'urn:epc:id:sscc:0614141.12345'),
    item('EPC URN of an unknown scheme', () => `urn:epc:id:giai:0614141.${serial()}`),
    item('a number', () => 614141123452),
    item('null', () => null),
    item('an object', () => ({ gtin: OWN_GTIN })),
    item('empty', () => ''),
    item('of 40,000 "\\r"', () => chars('\r', 40_000)),
    item('of 40,000 "\\r" then "x"', () => `${chars('\r', 40_000)}x`),
    item('of 40,000 "\\n" then "x"', () => `${chars('\n', 40_000)}x`),
    item(
      'valid, then 40,000 "\\r" (past the length bound)',
      () => `${pack.bracketed(serial())}${chars('\r', 40_000)}`,
    ),
    item('of 1 MB of digits', () => chars('1', 1_000_000)),
    partner(
      '40,000 items of "\\r" each',
      postOne(P, () => ({ type: 'DISPENSE', items: Array.from({ length: 40_000 }, () => '\r') })),
      bad('items'),
    ),
  ];
}

/** GET /v1/events/{id} and the pharmacy's counter verify, on the partner services. */
function partnerGetRows(): HttpRow[] {
  const P: PartnerKind = 'pharmacy';
  const counter = (query: string, extra: Partial<HttpRequestSpec> = {}): HttpRequestSpec => ({
    service: P,
    path: `/v1/verify?${query}`,
    ...extra,
  });
  const known = `gtin=${OWN_GTIN}&serial=${KNOWN_SERIAL}`;
  const other: HttpRequestSpec = { service: P, path: '/v1/events/p2-own-1' };
  return [
    ...SERVICES.flatMap((s): HttpRow[] => [
      partner(
        `${s}: GET /v1/events/{id} without Authorization`,
        { service: s, path: '/v1/events/x1', auth: 'none' },
        { status: 401 },
      ),
      partner(
        `${s}: GET /v1/events/{id} of 128 characters, unknown`,
        { service: s, path: `/v1/events/${chars('u', 128)}` },
        { status: 404 },
      ),
      partner(
        `${s}: GET /v1/events/{id} of 129 characters`,
        { service: s, path: `/v1/events/${chars('u', 129)}` },
        bad('id'),
      ),
      partner(
        `${s}: GET /v1/events/{id} with an encoded slash`,
        { service: s, path: '/v1/events/a%2Fb' },
        bad('id'),
      ),
      partner(
        `${s}: GET /v1/events/{id} with broken percent-encoding`,
        { service: s, path: '/v1/events/%ZZ' },
        { status: 400 },
      ),
    ]),
    {
      name: 'pharmacy 1 asks for an event of pharmacy 2: the same 404 as for an unknown id',
      surface: 'partner API',
      setup: [
        postOne(P, () => ({ ...valid.pharmacy(), eventId: 'p2-own-1' }), {
          auth: `scanner:${PARTY.pharmacy2}`,
        }),
      ],
      request: other,
      expected: { status: 404, sameBodyAs: { service: P, path: '/v1/events/never-seen-1' } },
    },
    partner('counter verify without Authorization', counter(known, { auth: 'none' }), { status: 401 }),
    partner(
      'counter verify with the pharmacist token as scanner key',
      counter(known, { auth: `pharmacist:${PARTY.pharmacy1}` }),
      { status: 401 },
    ),
    partner('counter verify of the known pack', counter(known), { status: 200 }),
    partner(
      'counter verify, scan of 513 characters',
      counter(`scan=${encodeURIComponent(`${pack.bracketed(KNOWN_SERIAL)}${chars('9', 480)}`)}`),
      bad('scan'),
    ),
    partner(
      'counter verify, scan of 4,000 "\\r"',
      counter(`scan=${encodeURIComponent(chars('\r', 4_000))}`),
      bad('scan'),
    ),
    partner('counter verify, scan given twice', counter(`scan=a&scan=b`), bad('scan')),
    partner(
      'counter verify, GTIN check digit wrong',
      counter(`gtin=${BAD_CHECK_GTIN}&serial=S1`),
      bad('gtin'),
    ),
    partner(
      'counter verify, serial of 21 characters',
      counter(`gtin=${OWN_GTIN}&serial=${chars('S', 21)}`),
      bad('serial'),
    ),
    partner('counter verify, expiry of four digits', counter(`${known}&expiry=2812`), bad('expiry')),
    partner('counter verify, no parameters', counter(''), { status: 400 }),
    partner(
      'counter verify, pharmacy parameter naming another pharmacy is not honoured',
      counter(`${known}&pharmacy=${PARTY.pharmacy2}`),
      { status: 200 },
    ),
  ];
}

function ledgerRows(): HttpRow[] {
  const ph = `pharmacist:${PARTY.pharmacy1}` as const;
  const known = `gtin=${OWN_GTIN}&serial=${KNOWN_SERIAL}`;
  const numbers: Array<[string, string]> = [
    ['empty', ''],
    ['hex 0x10', '0x10'],
    ['exponent 1e1', '1e1'],
    ['negative -1', '-1'],
    ['fraction 1.5', '1.5'],
    ['padded " 1"', '%201'],
    ['beyond 2^53', '99999999999999999999'],
    ['Infinity', 'Infinity'],
  ];
  const beyondCheckpoint = (param: 'size' | 'to') => async (probe: { checkpointSize(): Promise<number> }) => {
    // Well past it: the node signs a larger checkpoint every second while it folds the rows before this
    // one, so "signed + 1" could be signed by the time the request arrives (the exact boundary is pinned
    // by services/ledger/test/log-routes.int.test.ts).
    const size = (await probe.checkpointSize()) + 1_000_000;
    return param === 'size'
      ? `/v1/proofs/inclusion?index=0&size=${size}`
      : `/v1/proofs/consistency?from=1&to=${size}`;
  };
  const notHeld = `item=${encodeURIComponent(KNOWN_PACK)}`;
  return [
    // verify
    ledger('verify without Authorization', { path: `/v1/verify?${known}`, auth: 'none' }, { status: 401 }),
    ledger(
      'verify with an unknown token',
      { path: `/v1/verify?${known}`, auth: { header: 'Bearer nope' } },
      { status: 401 },
    ),
    ledger(
      'verify with a scanner key as token',
      { path: `/v1/verify?${known}`, auth: `scanner:${PARTY.pharmacy1}` },
      { status: 401 },
    ),
    ledger(
      'verify of the known pack as its pharmacist',
      { path: `/v1/verify?${known}`, auth: ph },
      { status: 200 },
    ),
    ledger('verify with no parameters', { path: '/v1/verify', auth: ph }, { status: 400 }),
    ledger('verify, gtin empty', { path: '/v1/verify?gtin=&serial=S1', auth: ph }, bad('gtin')),
    ledger(
      'verify, GTIN check digit wrong',
      { path: `/v1/verify?gtin=${BAD_CHECK_GTIN}&serial=S1`, auth: ph },
      bad('gtin'),
    ),
    ledger(
      'verify, GTIN of 15 digits',
      { path: `/v1/verify?gtin=0${OWN_GTIN}&serial=S1`, auth: ph },
      bad('gtin'),
    ),
    ledger(
      'verify, serial of 20 characters (the bound)',
      { path: `/v1/verify?gtin=${OWN_GTIN}&serial=${chars('S', 20)}`, auth: ph },
      { status: 200 },
    ),
    ledger(
      'verify, serial of 21 characters',
      { path: `/v1/verify?gtin=${OWN_GTIN}&serial=${chars('S', 21)}`, auth: ph },
      bad('serial'),
    ),
    ledger(
      'verify, lot of 21 characters',
      { path: `/v1/verify?${known}&lot=${chars('L', 21)}`, auth: ph },
      bad('lot'),
    ),
    ledger(
      'verify, expiry of four digits',
      { path: `/v1/verify?${known}&expiry=2812`, auth: ph },
      bad('expiry'),
    ),
    ledger(
      'verify, expiry in month 13',
      { path: `/v1/verify?${known}&expiry=281332`, auth: ph },
      bad('expiry'),
    ),
    ledger(
      'verify as pharmacist at another pharmacy',
      { path: `/v1/verify?${known}&at=${PARTY.pharmacy2}`, auth: ph },
      { status: 403 },
    ),
    ledger(
      'verify, at with a bad check digit',
      { path: `/v1/verify?${known}&at=${BAD_CHECK_GLN}` },
      bad('at'),
    ),
    ledger(
      'verify, scan of 513 characters',
      { path: `/v1/verify?scan=${chars('1', 513)}`, auth: ph },
      bad('scan'),
    ),
    ledger(
      'verify, scan of 4,000 "\\r"',
      { path: `/v1/verify?scan=${encodeURIComponent(chars('\r', 4_000))}`, auth: ph },
      bad('scan'),
    ),
    ledger(
      'verify, scan with a GTIN check digit wrong',
      { path: `/v1/verify?scan=${encodeURIComponent(`(01)${BAD_CHECK_GTIN}(21)S1`)}`, auth: ph },
      bad('scan'),
    ),
    ledger('verify, unknown parameter', { path: `/v1/verify?${known}&foo=1`, auth: ph }, bad('foo')),
    ledger(
      'verify, a bracketed (nested) parameter name',
      { path: `/v1/verify?${known}&gtin[a][b]=1`, auth: ph },
      bad('gtin[a][b]'),
    ),
    ledger(
      'verify, gtin given twice',
      { path: `/v1/verify?${known}&gtin=${OWN_GTIN}`, auth: ph },
      bad('gtin'),
    ),
    ledger(
      'verify, 12 KB query string',
      { path: `/v1/verify?${known}&pad=${chars('p', 12_000)}`, auth: ph },
      bad('pad'),
    ),
    ledger(
      'verify, 20 KB query string',
      { path: `/v1/verify?${known}&pad=${chars('p', 20_000)}`, auth: ph },
      { status: [414, 431] },
    ),
    ledger(
      'verify as a partner at a pharmacy it does not host',
      { path: `/v1/verify?${known}&at=${PARTY.pharmacy1}`, auth: 'partner:distributor' },
      { status: 403 },
    ),
    ledger('verify as regulator without at', { path: `/v1/verify?${known}` }, { status: 200 }),
    // provenance
    ledger(
      'provenance without Authorization',
      { path: `/v1/provenance?${notHeld}`, auth: 'none' },
      { status: 401 },
    ),
    ledger('provenance as a pharmacist', { path: `/v1/provenance?${notHeld}`, auth: ph }, { status: 403 }),
    ledger('provenance without item', { path: '/v1/provenance' }, bad('item')),
    ledger('provenance, item empty', { path: '/v1/provenance?item=' }, bad('item')),
    ledger(
      'provenance, item of 513 characters',
      { path: `/v1/provenance?item=${chars('1', 513)}` },
      bad('item'),
    ),
    ledger(
      'provenance, item with a GTIN check digit wrong',
      { path: `/v1/provenance?item=${encodeURIComponent(`(01)${BAD_CHECK_GTIN}(21)S1`)}` },
      bad('item'),
    ),
    ledger(
      'provenance, item of 400 "\\r" then "x"',
      { path: `/v1/provenance?item=${encodeURIComponent(`${chars('\r', 400)}x`)}` },
      bad('item'),
    ),
    ledger('provenance, item given twice', { path: `/v1/provenance?${notHeld}&${notHeld}` }, bad('item')),
    ledger('provenance, unknown parameter', { path: `/v1/provenance?${notHeld}&foo=1` }, bad('foo')),
    ledger(
      'provenance of a pack never commissioned',
      { path: `/v1/provenance?item=${encodeURIComponent(pack.uri('NEVER1'))}` },
      { status: 404 },
    ),
    ledger(
      'provenance as a partner that never held the pack: the same 404 as for no such pack',
      { path: `/v1/provenance?${notHeld}`, auth: 'partner:distributor' },
      {
        status: 404,
        sameBodyAs: {
          service: 'ledger',
          path: `/v1/provenance?item=${encodeURIComponent(pack.uri('NEVER1'))}`,
          auth: 'partner:distributor',
        },
      },
    ),
    {
      name: 'provenance as a pharmacy that signed a RECEIVE of a pack it never held',
      surface: 'ledger GET',
      setup: [
        postOne('pharmacy', () => ({ type: 'RECEIVE', items: [KNOWN_PACK], from: PARTY.maker }), {
          auth: `scanner:${PARTY.pharmacy2}`,
        }),
      ],
      request: { service: 'ledger', path: `/v1/provenance?${notHeld}`, auth: `partner:${PARTY.pharmacy2}` },
      expected: { status: 404 },
    },
    // recall scope
    ledger(
      'recall scope without Authorization',
      { path: `/v1/recalls/scope?gtin=${OWN_GTIN}&lot=L1`, auth: 'none' },
      { status: 401 },
    ),
    ledger(
      'recall scope as a pharmacist',
      { path: `/v1/recalls/scope?gtin=${OWN_GTIN}&lot=L1`, auth: ph },
      { status: 403 },
    ),
    ledger(
      'recall scope as a partner that does not own the GTIN',
      { path: `/v1/recalls/scope?gtin=${OWN_GTIN}&lot=L1`, auth: 'partner:distributor' },
      { status: 403 },
    ),
    ledger(
      'recall scope as regulator',
      { path: `/v1/recalls/scope?gtin=${OWN_GTIN}&lot=KL1` },
      { status: 200 },
    ),
    ledger('recall scope without gtin', { path: '/v1/recalls/scope?lot=L1' }, bad('gtin')),
    ledger('recall scope without lot', { path: `/v1/recalls/scope?gtin=${OWN_GTIN}` }, bad('lot')),
    ledger(
      'recall scope, lot of 21 characters',
      { path: `/v1/recalls/scope?gtin=${OWN_GTIN}&lot=${chars('L', 21)}` },
      bad('lot'),
    ),
    ledger(
      'recall scope, GTIN check digit wrong',
      { path: `/v1/recalls/scope?gtin=${BAD_CHECK_GTIN}&lot=L1` },
      bad('gtin'),
    ),
    ledger(
      'recall scope, unknown parameter',
      { path: `/v1/recalls/scope?gtin=${OWN_GTIN}&lot=L1&foo=1` },
      bad('foo'),
    ),
    // rejections
    ledger('rejections without Authorization', { path: '/v1/rejections', auth: 'none' }, { status: 401 }),
    ledger('rejections as a pharmacist', { path: '/v1/rejections', auth: ph }, { status: 403 }),
    ledger(
      'rejections of another party as a partner',
      { path: `/v1/rejections?party=${PARTY.maker}`, auth: 'partner:distributor' },
      { status: 403 },
    ),
    ...numbers.map(([what, v]) =>
      ledger(`rejections, limit ${what}`, { path: `/v1/rejections?limit=${v}` }, bad('limit')),
    ),
    ledger('rejections, limit 0', { path: '/v1/rejections?limit=0' }, bad('limit')),
    ledger('rejections, limit 1 (the lower bound)', { path: '/v1/rejections?limit=1' }, { status: 200 }),
    ledger(
      'rejections, limit 1000 (the upper bound)',
      { path: '/v1/rejections?limit=1000' },
      { status: 200 },
    ),
    ledger('rejections, limit 1001', { path: '/v1/rejections?limit=1001' }, bad('limit')),
    ledger('rejections, since "yesterday"', { path: '/v1/rejections?since=yesterday' }, bad('since')),
    ledger(
      'rejections, since without an offset',
      { path: '/v1/rejections?since=2026-01-01T00:00:00' },
      bad('since'),
    ),
    ledger(
      'rejections, reason in lower case',
      { path: '/v1/rejections?reason=bad_signature' },
      bad('reason'),
    ),
    ledger(
      'rejections, party with a bad check digit',
      { path: `/v1/rejections?party=${BAD_CHECK_GLN}` },
      bad('party'),
    ),
    ledger('rejections, unknown parameter', { path: '/v1/rejections?foo=1' }, bad('foo')),
    // event state
    ledger('event state without Authorization', { path: '/v1/events/x1', auth: 'none' }, { status: 401 }),
    ledger('event state as a pharmacist', { path: '/v1/events/x1', auth: ph }, { status: 403 }),
    ledger('event state of an unknown id', { path: '/v1/events/x1' }, { status: 404 }),
    ledger('event state, id of 129 characters', { path: `/v1/events/${chars('u', 129)}` }, bad('id')),
    ledger('event state, broken percent-encoding', { path: '/v1/events/%ZZ' }, { status: 400 }),
    // checkpoint, proofs, schemas, probes
    ledger('checkpoint', { path: '/v1/checkpoint', auth: 'none' }, { status: 200 }),
    ledger(
      'checkpoint, with a junk parameter',
      { path: '/v1/checkpoint?x=1', auth: 'none' },
      { status: 200 },
    ),
    ledger(
      'checkpoint by POST',
      { path: '/v1/checkpoint', method: 'POST', auth: 'none' },
      { status: [404, 405] },
    ),
    ledger(
      'inclusion proof of leaf 0 in a tree of 1',
      { path: '/v1/proofs/inclusion?index=0&size=1', auth: 'none' },
      { status: 200 },
    ),
    ledger(
      'inclusion proof without parameters',
      { path: '/v1/proofs/inclusion', auth: 'none' },
      bad('index'),
    ),
    ...numbers.map(([what, v]) =>
      ledger(
        `inclusion proof, index ${what}`,
        { path: `/v1/proofs/inclusion?index=${v}&size=1`, auth: 'none' },
        bad('index'),
      ),
    ),
    ...numbers.map(([what, v]) =>
      ledger(
        `inclusion proof, size ${what}`,
        { path: `/v1/proofs/inclusion?index=0&size=${v}`, auth: 'none' },
        bad('size'),
      ),
    ),
    ledger(
      'inclusion proof, index equal to size',
      { path: '/v1/proofs/inclusion?index=1&size=1', auth: 'none' },
      bad('index'),
    ),
    ledger(
      'inclusion proof, size beyond the signed checkpoint',
      { path: beyondCheckpoint('size'), auth: 'none' },
      bad('size'),
    ),
    ledger(
      'inclusion proof, unknown parameter',
      { path: '/v1/proofs/inclusion?index=0&size=1&foo=1', auth: 'none' },
      bad('foo'),
    ),
    ...numbers.map(([what, v]) =>
      ledger(
        `consistency proof, from ${what}`,
        { path: `/v1/proofs/consistency?from=${v}&to=1`, auth: 'none' },
        bad('from'),
      ),
    ),
    ...numbers.map(([what, v]) =>
      ledger(
        `consistency proof, to ${what}`,
        { path: `/v1/proofs/consistency?from=1&to=${v}`, auth: 'none' },
        bad('to'),
      ),
    ),
    ledger(
      'consistency proof, from above to',
      { path: '/v1/proofs/consistency?from=2&to=1', auth: 'none' },
      bad('from'),
    ),
    ledger(
      'consistency proof, to beyond the signed checkpoint',
      { path: beyondCheckpoint('to'), auth: 'none' },
      bad('to'),
    ),
    ledger('schemas', { path: '/v1/schemas', auth: 'none' }, { status: 200 }),
    ledger('healthz', { path: '/healthz', auth: 'none' }, { status: 200 }),
    ledger('readyz', { path: '/readyz', auth: 'none' }, { status: [200, 503] }),
    ledger('metrics', { path: '/metrics', auth: 'none' }, { status: 200 }),
    ledger('an unknown route', { path: '/v1/nothing-here', auth: 'none' }, { status: 404 }),
    ledger(
      'a path climbing out of the root',
      { path: '/v1/../../etc/passwd', auth: 'none' },
      { status: 404 },
    ),
  ];
}

/** The whole HTTP catalogue, in the order it runs. */
export function httpRows(): HttpRow[] {
  return [
    ...authRows(),
    ...contentRows(),
    ...depthRows(),
    ...batchRows(),
    ...roleRows(),
    ...boundRows(),
    ...itemRows(),
    ...partnerGetRows(),
    ...ledgerRows(),
    ...epcisRows(),
  ];
}

/** What must exist before the rows run: the known pack, commissioned by the maker. */
export const SETUP: HttpRequestSpec = postOne('manufacturer', () => ({
  type: 'COMMISSION',
  items: [pack.bracketed(KNOWN_SERIAL)],
  lot: 'KL1',
  expiry: '281231',
}));

export type { Service };
