// An export page as an EPCIS 2.0 query document: JSON-LD, or the EPCIS 2.0 XML binding.
import { CBV_BIZSTEP_URN_PREFIX, CBV_DISP_URN_PREFIX, CBV_SDT_URN_PREFIX } from '@rxledger/epcis';
import type { EpcisEvent } from '../answers/epcis-event.ts';
import { RXL_NAMESPACE, RXL_PREFIX } from '../answers/epcis-event.ts';
import type { EpcisPage } from '../answers/epcis-events.ts';

/** GS1's JSON-LD context of EPCIS 2.0. */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const QUERY_NAME = 'SimpleEventQuery';

/** The page as an EPCISQueryDocument in JSON-LD, with the `rxl:` extension namespace in its context. */
export function epcisJsonDocument(page: EpcisPage, creationDate: string): Record<string, unknown> {
  return {
    '@context': [EPCIS_CONTEXT, { [RXL_PREFIX]: RXL_NAMESPACE }],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate,
    epcisBody: { queryResults: { queryName: QUERY_NAME, resultsBody: { eventList: page.events } } },
    [`${RXL_PREFIX}:checkpoint`]: page.checkpoint,
  };
}

// XML writes CBV terms as URNs where JSON-LD writes the bare word.
const CBV_URN: Record<string, string> = {
  bizStep: CBV_BIZSTEP_URN_PREFIX,
  disposition: CBV_DISP_URN_PREFIX,
};

/** The page as an EPCIS 2.0 XML EPCISQueryDocument. */
export function epcisXmlDocument(page: EpcisPage, creationDate: string): string {
  const events = page.events.map((e) => `        ${eventXml(e)}`).join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<epcisq:EPCISQueryDocument xmlns:epcisq="urn:epcglobal:epcis-query:xsd:2" xmlns:epcis="urn:epcglobal:epcis:xsd:2"` +
      ` xmlns:cbvmda="urn:epcglobal:cbv:mda" xmlns:${RXL_PREFIX}="${RXL_NAMESPACE}"` +
      ` schemaVersion="2.0" creationDate="${esc(creationDate)}">`,
    '  <EPCISBody>',
    '    <epcisq:QueryResults>',
    `      <queryName>${QUERY_NAME}</queryName>`,
    '      <resultsBody>',
    page.events.length ? `        <EventList>\n${events}\n        </EventList>` : '        <EventList/>',
    '      </resultsBody>',
    '    </epcisq:QueryResults>',
    '  </EPCISBody>',
    `  <${RXL_PREFIX}:checkpoint>${esc(page.checkpoint)}</${RXL_PREFIX}:checkpoint>`,
    '</epcisq:EPCISQueryDocument>',
    '',
  ].join('\n');
}

// The event's fields in their order, which epcisEvent keeps as the XML schema orders them.
function eventXml(event: EpcisEvent): string {
  const { type, ...fields } = event;
  const body = Object.entries(fields)
    .map(([name, value]) => fieldXml(name, value))
    .join('');
  return `<${type}>${body}</${type}>`;
}

function fieldXml(name: string, value: unknown): string {
  switch (name) {
    case 'epcList':
    case 'childEPCs':
      return el(name, (value as string[]).map((epc) => el('epc', esc(epc))).join(''));
    case 'readPoint':
    case 'bizLocation':
      return el(name, el('id', esc((value as { id: string }).id)));
    case 'sourceList':
    case 'destinationList': {
      const kind = name === 'sourceList' ? 'source' : 'destination';
      const items = value as Array<Record<string, string>>;
      return el(
        name,
        items
          .map((x) => `<${kind} type="${esc(CBV_SDT_URN_PREFIX + x.type!)}">${esc(x[kind]!)}</${kind}>`)
          .join(''),
      );
    }
    case 'ilmd':
      return el(
        name,
        Object.entries(value as Record<string, string>)
          .map(([k, v]) => el(k, esc(v)))
          .join(''),
      );
    default:
      return el(name, esc((CBV_URN[name] ?? '') + String(value)));
  }
}

const el = (name: string, content: string) => `<${name}>${content}</${name}>`;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
