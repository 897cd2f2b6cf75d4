// The EPCIS rows of the hostile-HTTP catalogue (issue 15 on issue 19's harness): hostile XML and
// JSON-LD at the partner services' POST /v1/epcis/capture and its GET /v1/epcis/capture/{id}, and
// hostile query parameters at the ledger's GET /v1/epcis/events. A refused document names its field
// as capture does (`(document)` for what is no EPCIS document at all, else the EPCIS field), a refused
// query the parameter; nothing here may answer >= 500 or stall the verify stream beside it.
import type { HttpRequestSpec, HttpRow } from './hostile-http.ts';
import { chars, pack } from './hostile-items.ts';
import { PARTY } from './hostile-system.ts';

const MB33 = 33 * 1024 * 1024;
const MAKER_SITE = 'urn:epc:id:sgln:0614141.00001.0'; // PARTY.makerSite

let serialNo = 0;
const serial = () => `E${++serialNo}`;

const XML_OPEN =
  '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-01-05T12:00:00Z"><EPCISBody><EventList>';
const XML_CLOSE = '</EventList></EPCISBody></epcis:EPCISDocument>';

/** A commissioning the maker may capture, as an EPCIS 2.0 JSON-LD event; `extra` overrides fields. */
const commissioning = (extra: Record<string, unknown> = {}) => ({
  type: 'ObjectEvent',
  eventTime: new Date(Date.now() - 60_000).toISOString(),
  eventTimeZoneOffset: '+00:00',
  epcList: [pack.urn(serial())],
  action: 'ADD',
  bizStep: 'commissioning',
  bizLocation: { id: MAKER_SITE },
  ilmd: { 'cbvmda:lotNumber': 'EL1', 'cbvmda:itemExpirationDate': '2028-12-31' },
  ...extra,
});
const jsonDoc = (events: unknown) => ({
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-01-05T12:00:00Z',
  epcisBody: { eventList: events },
});

/** POST /v1/epcis/capture on the manufacturer as its scanner, with a JSON-LD body or raw text. */
const captureJson = (doc: () => unknown, extra: Partial<HttpRequestSpec> = {}): HttpRequestSpec => ({
  service: 'manufacturer',
  path: '/v1/epcis/capture',
  json: doc,
  contentType: 'application/ld+json',
  ...extra,
});
const captureXml = (xml: () => string | Buffer, extra: Partial<HttpRequestSpec> = {}): HttpRequestSpec => ({
  service: 'manufacturer',
  path: '/v1/epcis/capture',
  raw: xml,
  contentType: 'application/xml',
  ...extra,
});

const capture = (name: string, request: HttpRequestSpec, expected: HttpRow['expected']): HttpRow => ({
  name: `EPCIS capture: ${name}`,
  surface: 'partner API',
  request,
  expected,
});
const exportRow = (name: string, path: string, expected: HttpRow['expected'], extra = {}): HttpRow => ({
  name: `EPCIS export: ${name}`,
  surface: 'ledger GET',
  request: { service: 'ledger', path, ...extra },
  expected,
});
const bad = (field: string) => ({ status: 400, field });

function captureRows(): HttpRow[] {
  const entities = Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i === 0 ? 'a' : 'b'.repeat(i)};`.repeat(10)}">`,
  ).join('');
  return [
    capture(
      'a valid JSON-LD commissioning is captured',
      captureJson(() => jsonDoc([commissioning()])),
      {
        status: 202,
      },
    ),
    capture(
      'billion laughs',
      captureXml(
        () =>
          `<!DOCTYPE l [<!ENTITY a "lol">${entities}]>${XML_OPEN}<ObjectEvent><eventTime>&bbbbbbbbb;</eventTime></ObjectEvent>${XML_CLOSE}`,
      ),
      bad('(document)'),
    ),
    capture(
      'an external entity',
      captureXml(
        () =>
          `<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${XML_OPEN}<ObjectEvent><eventTime>&x;</eventTime></ObjectEvent>${XML_CLOSE}`,
      ),
      bad('(document)'),
    ),
    capture(
      'an external DTD by URL',
      captureXml(() => `<!DOCTYPE d SYSTEM "http://127.0.0.1:1/evil.dtd">${XML_OPEN}${XML_CLOSE}`),
      bad('(document)'),
    ),
    capture(
      'XML nested 200,000 deep',
      captureXml(
        () =>
          `${XML_OPEN}<ObjectEvent>${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</ObjectEvent>${XML_CLOSE}`,
      ),
      bad('(document)'),
    ),
    capture(
      'XML that is not well-formed',
      captureXml(() => `${XML_OPEN}<ObjectEvent>`),
      bad('(document)'),
    ),
    capture(
      'XML that is no EPCIS document',
      captureXml(() => '<html><body/></html>'),
      { status: 400 },
    ),
    capture(
      'a 33 MB XML document',
      captureXml(() => `${XML_OPEN}${'<ObjectEvent/>'.repeat(Math.ceil(MB33 / 14))}${XML_CLOSE}`),
      { status: 413 },
    ),
    capture(
      'a 33 MB document without Authorization is refused before it is read',
      captureXml(() => Buffer.alloc(MB33, 0x20), { auth: 'none' }),
      { status: 401 },
    ),
    capture(
      "with the regulator's ledger token",
      captureJson(() => jsonDoc([commissioning()]), { auth: 'regulator' }),
      { status: 401 },
    ),
    capture(
      'as text/plain',
      captureJson(() => jsonDoc([commissioning()]), { contentType: 'text/plain' }),
      {
        status: 415,
      },
    ),
    capture(
      'JSON that is not JSON',
      captureXml(() => '{"@context": [', { contentType: 'application/json' }),
      bad('(document)'),
    ),
    capture(
      'JSON nested 100,000 arrays deep',
      captureXml(() => `${'['.repeat(100_000)}${']'.repeat(100_000)}`, { contentType: 'application/json' }),
      bad('(document)'),
    ),
    capture(
      'JSON-LD without @context',
      captureJson(() => ({ ...jsonDoc([commissioning()]), '@context': undefined })),
      bad('@context'),
    ),
    capture(
      'JSON-LD whose eventList is an object',
      captureJson(() => jsonDoc({ 0: commissioning() })),
      bad('epcisBody.eventList'),
    ),
    capture(
      'JSON-LD with 10,001 events',
      captureJson(() => jsonDoc(Array.from({ length: 10_001 }, () => ({ type: 'ObjectEvent' })))),
      bad('epcisBody.eventList'),
    ),
    capture(
      'an event naming 10,001 EPCs',
      captureJson(() =>
        jsonDoc([commissioning({ epcList: Array.from({ length: 10_001 }, (_, i) => pack.urn(`M${i}`)) })]),
      ),
      bad('epcList'),
    ),
    capture(
      'an event that is null',
      captureJson(() => jsonDoc([null])),
      bad('type'),
    ),
    capture(
      'an eventID of 10,000 characters',
      captureJson(() => jsonDoc([commissioning({ eventID: `urn:uuid:${chars('a', 10_000)}` })])),
      bad('eventID'),
    ),
    capture(
      'an EPC of 10,000 characters',
      captureJson(() => jsonDoc([commissioning({ epcList: [chars('9', 10_000)] })])),
      bad('epcList[0]'),
    ),
    capture(
      'a bizStep with markup and quotes',
      captureJson(() => jsonDoc([commissioning({ bizStep: '<script>"\'</script>' })])),
      bad('bizStep'),
    ),
    capture(
      'an eventTime of the year 10000',
      captureJson(() => jsonDoc([commissioning({ eventTime: '10000-01-01T00:00:00Z' })])),
      bad('eventTime'),
    ),
    capture(
      'a commissioning by the distributor service',
      captureJson(() => jsonDoc([commissioning()]), { service: 'distributor' }),
      { status: 403 },
    ),
    capture(
      'the state of a capture that does not exist',
      { service: 'manufacturer', path: `/v1/epcis/capture/${crypto.randomUUID()}` },
      { status: 404 },
    ),
    capture(
      'the state of a capture by an id of 10,000 characters',
      { service: 'manufacturer', path: `/v1/epcis/capture/${chars('x', 10_000)}` },
      { status: [404, 431] },
    ),
    capture(
      'the state of a capture with a path climbing out',
      { service: 'manufacturer', path: '/v1/epcis/capture/..%2F..%2Fetc%2Fpasswd' },
      { status: 404 },
    ),
    capture(
      'the state of a capture without Authorization',
      { service: 'manufacturer', path: `/v1/epcis/capture/${crypto.randomUUID()}`, auth: 'none' },
      { status: 401 },
    ),
  ];
}

function exportRows(): HttpRow[] {
  const q = (params: string) => `/v1/epcis/events?${params}`;
  return [
    exportRow('all events as the regulator', q('perPage=5'), { status: 200 }),
    exportRow('without Authorization', q(''), { status: 401 }, { auth: 'none' }),
    exportRow('as a pharmacist', q(''), { status: 403 }, { auth: `pharmacist:${PARTY.pharmacy1}` }),
    exportRow('as text/html', q(''), { status: 406 }, { headers: { accept: 'text/html' } }),
    exportRow('an unknown parameter', q('MATCH_epc=x'), bad('MATCH_epc')),
    exportRow('a bracketed parameter name', q('MATCH_anyEPC[]=x'), { status: 400 }),
    ...['0', '-1', '1001', '1e3', '0x10', 'NaN', '99999999999999999999'].map((v) =>
      exportRow(`perPage ${v}`, q(`perPage=${v}`), bad('perPage')),
    ),
    exportRow('perPage twice', q('perPage=1&perPage=2'), bad('perPage')),
    exportRow('an EPC that is no EPC', q('MATCH_anyEPC=%27%20OR%201%3D1--'), bad('MATCH_anyEPC')),
    exportRow('an EPC pattern', q('MATCH_anyEPC=urn:epc:idpat:sgtin:0614141.012345.*'), bad('MATCH_anyEPC')),
    exportRow(
      '101 EPCs',
      q(
        `MATCH_anyEPC=${Array.from({ length: 101 }, (_, i) => encodeURIComponent(pack.urn(`Q${i}`))).join('|')}`,
      ),
      bad('MATCH_anyEPC'),
    ),
    exportRow('an EPC of 6,000 characters', q(`MATCH_anyEPC=${chars('9', 6_000)}`), bad('MATCH_anyEPC')),
    exportRow('a parentID with a NUL', q('MATCH_parentID=%00'), bad('MATCH_parentID')),
    exportRow('a business step it does not speak', q('EQ_bizStep=sensor_reporting'), bad('EQ_bizStep')),
    exportRow('a business step of markup', q('EQ_bizStep=%3Cscript%3E'), bad('EQ_bizStep')),
    exportRow('a time without offset', q('GE_eventTime=2026-01-01T00:00:00'), bad('GE_eventTime')),
    exportRow('a time of February 30th', q('LT_eventTime=2026-02-30T00:00:00Z'), bad('LT_eventTime')),
    exportRow('a location that is no GLN', q('EQ_bizLocation=0614141000013'), bad('EQ_bizLocation')),
    exportRow('a page token it never issued', q('nextPageToken=AAAA'), bad('nextPageToken')),
    exportRow(
      'a page token of 10,000 characters',
      q(`nextPageToken=${chars('A', 10_000)}`),
      bad('nextPageToken'),
    ),
  ];
}

/** Every EPCIS row, capture first. */
export function epcisRows(): HttpRow[] {
  return [...captureRows(), ...exportRows()];
}
