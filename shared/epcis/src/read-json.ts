// EPCIS 2.0 JSON / JSON-LD → the neutral form. EPCIS JSON leaves out some of the XML model's
// structure (`epcList: [..]` for `<epcList><epc>..</epc></epcList>`, `sourceList: [{type, source}]`
// for `<source type="..">`); it is put back here, as GS1's event hash reference implementation
// (github.com/RalphTro/epcis-event-hash-generator, json_xml_model_mismatch_correction.py) does.
import { exceedsJsonDepth } from '@rxledger/runtime';
import { type ReadLimits } from './epcis-bounds.ts';
import { EpcisDocumentError, refuseDocument } from './epcis-issue.ts';
import { type EpcisEvents, type EpcisNode, leaf } from './epcis-node.ts';
import { runSteps, type Steps } from './steps.ts';

/** Lists of EPCs, written `<list><epc>..</epc></list>` in XML. */
export const EPC_LISTS = new Set(['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']);
const QUANTITY_LISTS = new Set([
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
]);
/** Lists whose entries are a value with a `type` attribute in XML. */
const TYPED_LISTS: Record<string, string> = {
  sourceList: 'source',
  destinationList: 'destination',
  bizTransactionList: 'bizTransaction',
};
const IGNORED_KEYS = new Set(['type', '#text', 'rdfs:comment', 'comment']);

type Namespaces = ReadonlyMap<string, string>;

/**
 * Reads an EPCIS 2.0 JSON or JSON-LD document into the neutral form, within `limits`. Throws
 * EpcisDocumentError naming the field for anything that is not an EPCIS document's envelope.
 * @example readJsonDocument('{"@context":[...],"type":"EPCISDocument",...}', DEFAULT_READ_LIMITS).events[0].name // 'ObjectEvent'
 */
export function readJsonDocument(text: string, limits: ReadLimits): EpcisEvents {
  return runSteps(jsonDocumentSteps(text, limits));
}

/** readJsonDocument, pausable between events (see steps.ts). */
export function* jsonDocumentSteps(text: string, limits: ReadLimits): Steps<EpcisEvents> {
  if (text.length > limits.maxChars) {
    refuseDocument('(document)', `is ${text.length} characters; at most ${limits.maxChars}`);
  }
  if (exceedsJsonDepth(Buffer.from(text, 'utf8'), limits.maxDepth)) {
    refuseDocument('(document)', `nests arrays and objects deeper than ${limits.maxDepth} levels`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    refuseDocument('(document)', `is not JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc)) refuseDocument('(document)', 'must be a JSON object (an EPCISDocument)');
  if (doc['@context'] === undefined) {
    refuseDocument('@context', 'is required: an EPCIS 2.0 JSON-LD document names the EPCIS context');
  }
  if (doc.type !== 'EPCISDocument') {
    refuseDocument('type', `must be "EPCISDocument", got ${JSON.stringify(doc.type)}`);
  }
  if (typeof doc.schemaVersion !== 'string' || !doc.schemaVersion.startsWith('2.')) {
    refuseDocument('schemaVersion', `must be "2.0" for EPCIS JSON, got ${JSON.stringify(doc.schemaVersion)}`);
  }
  const body = doc.epcisBody;
  const list = isObject(body) ? body.eventList : undefined;
  if (!Array.isArray(list)) refuseDocument('epcisBody.eventList', 'is required: an array of events');
  if (list.length > limits.maxEvents) {
    refuseDocument(
      'epcisBody.eventList',
      `holds ${list.length} events; at most ${limits.maxEvents} per capture`,
    );
  }
  const ns = namespacesOf(doc['@context']);
  const events: EpcisNode[] = [];
  for (const [index, event] of list.entries()) {
    if (!isObject(event) || typeof event.type !== 'string') {
      throw new EpcisDocumentError([
        { index, field: 'type', reason: 'is required: each event is an object with a type' },
      ]);
    }
    events.push(eventNode(event, index, ns, limits));
    yield;
  }
  return { syntax: 'json', schemaVersion: doc.schemaVersion, events };
}

function eventNode(
  event: Record<string, unknown>,
  index: number,
  ns: Namespaces,
  limits: ReadLimits,
): EpcisNode {
  const children: EpcisNode[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (IGNORED_KEYS.has(key)) continue;
    if (EPC_LISTS.has(key) && Array.isArray(value) && value.length > limits.maxEpcs) {
      throw new EpcisDocumentError([
        { index, field: key, reason: `names ${value.length} EPCs; at most ${limits.maxEpcs} per event` },
      ]);
    }
    children.push(...fieldNodes(key, value, ns));
  }
  return { name: event.type as string, text: '', children };
}

function fieldNodes(key: string, value: unknown, ns: Namespaces): EpcisNode[] {
  const name = expandName(key, ns);
  if (Array.isArray(value)) {
    if (EPC_LISTS.has(key))
      return [{ name, text: '', children: value.map((v) => leaf('epc', scalar(v, ns))) }];
    if (QUANTITY_LISTS.has(key)) {
      return [{ name, text: '', children: value.map((v) => ({ ...node('quantityElement', v, ns) })) }];
    }
    const entry = TYPED_LISTS[key];
    if (entry !== undefined)
      return [{ name, text: '', children: value.map((v) => typedEntry(entry, v, ns)) }];
    if (key === 'sensorElementList') {
      return [{ name, text: '', children: value.map((v) => node('sensorElement', v, ns)) }];
    }
    // Any other array is the same element repeated, as XML writes it.
    return value.map((v) => node(name, v, ns));
  }
  return [node(name, value, ns)];
}

function node(name: string, value: unknown, ns: Namespaces): EpcisNode {
  if (!isObject(value)) return leaf(name, scalar(value, ns));
  const children: EpcisNode[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (key !== '#text' && key !== 'rdfs:comment' && key !== 'comment')
      children.push(...fieldNodes(key, v, ns));
  }
  return { name, text: typeof value['#text'] === 'string' ? value['#text'].trim() : '', children };
}

// `{ type: 'owning_party', source: 'urn:…' }` → `<source type="owning_party">urn:…</source>`.
function typedEntry(entry: string, value: unknown, ns: Namespaces): EpcisNode {
  if (!isObject(value)) return leaf(entry, scalar(value, ns));
  const type = value.type === undefined ? [] : [leaf('type', scalar(value.type, ns))];
  return { name: entry, text: scalar(value[entry], ns), children: type };
}

/** Text as the XML model would hold it; booleans as the reference implementation (Python) prints them. */
function scalar(value: unknown, ns: Namespaces): string {
  if (typeof value === 'string') return expandValue(value.trim(), ns);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return '';
}

// The document's own @context prefixes (`"example": "https://ns.example.com/epcis/"`) name the
// namespaces of its extensions; the GS1 context's terms are the EPCIS fields themselves.
function namespacesOf(context: unknown): Namespaces {
  const ns = new Map<string, string>();
  for (const entry of Array.isArray(context) ? context : [context]) {
    if (!isObject(entry)) continue;
    for (const [prefix, uri] of Object.entries(entry)) if (typeof uri === 'string') ns.set(prefix, uri);
  }
  return ns;
}

function expandName(key: string, ns: Namespaces): string {
  const colon = key.indexOf(':');
  const uri = colon > 0 ? ns.get(key.slice(0, colon)) : undefined;
  return uri === undefined ? key : `{${uri}}${key.slice(colon + 1)}`;
}

function expandValue(value: string, ns: Namespaces): string {
  const colon = value.indexOf(':');
  const uri = colon > 0 ? ns.get(value.slice(0, colon)) : undefined;
  return uri === undefined ? value : uri + value.slice(colon + 1);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
