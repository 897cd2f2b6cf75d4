// EPCIS XML (2.0, and 1.2 as DSCSA trading partners send it: SBDH and the GS1 US healthcare header
// in EPCISHeader) → the neutral form, with saxes, a streaming non-validating parser. Safety first:
// a DOCTYPE (hence any DTD, entity declaration, external entity) stops the read at once; only XML's
// five predefined entities exist; nesting, size, events and EPCs are bounded, and each bound throws
// where it is met, so a hostile document costs no more than the bound's worth of parsing.
import { type SaxesAttributeNS, SaxesParser, type SaxesTagNS } from 'saxes';
import { type ReadLimits } from './epcis-bounds.ts';
import { EpcisDocumentError, refuseDocument } from './epcis-issue.ts';
import { type EpcisEvents, type EpcisNode, leaf } from './epcis-node.ts';
import { EPC_LISTS } from './read-json.ts';
import { runSteps, type Steps } from './steps.ts';

const EPCIS_NAMESPACES = new Set(['urn:epcglobal:epcis:xsd:1', 'urn:epcglobal:epcis:xsd:2']);
/** Wrappers EPCIS 1.x used for fields added later; their content belongs to the enclosing element. */
const WRAPPERS = new Set(['extension', 'baseExtension']);

// Where in the document an element sits decides what becomes of it.
type Role = 'root' | 'skip' | 'container' | 'events' | 'event' | 'field';

interface Frame {
  role: Role;
  node: EpcisNode;
  text: string;
}

/**
 * Reads an EPCIS XML document into the neutral form, within `limits`. Throws EpcisDocumentError for
 * a DOCTYPE, malformed XML, a document that is not an EPCISDocument, or a bound exceeded.
 * @example readXmlDocument('<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" ...', DEFAULT_READ_LIMITS)
 */
export function readXmlDocument(text: string, limits: ReadLimits): EpcisEvents {
  return runSteps(xmlDocumentSteps(text, limits));
}

/** How much of the document one step hands the parser: a few ms of parsing. */
const CHUNK_CHARS = 64 * 1024;

/** readXmlDocument, pausable between chunks of the document (see steps.ts). */
export function* xmlDocumentSteps(text: string, limits: ReadLimits): Steps<EpcisEvents> {
  if (text.length > limits.maxChars) {
    refuseDocument('(document)', `is ${text.length} characters; at most ${limits.maxChars}`);
  }
  const reader = new XmlEventReader(limits);
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('doctype', () =>
    refuseDocument(
      '(document)',
      'declares a DOCTYPE: DTDs and entity declarations are refused (no external entities, no entity expansion)',
    ),
  );
  parser.on('error', (err) => refuseDocument('(document)', `is not well-formed XML: ${err.message}`));
  parser.on('opentag', (tag) => reader.open(tag as SaxesTagNS));
  parser.on('closetag', () => reader.close());
  parser.on('text', (t) => reader.text(t));
  parser.on('cdata', (t) => reader.text(t));
  for (let at = 0; at < text.length; at += CHUNK_CHARS) {
    parser.write(text.slice(at, at + CHUNK_CHARS));
    yield;
  }
  parser.close();
  return reader.result();
}

class XmlEventReader {
  readonly #limits: ReadLimits;
  readonly #stack: Frame[] = [];
  readonly #events: EpcisNode[] = [];
  #schemaVersion: string | undefined;

  constructor(limits: ReadLimits) {
    this.#limits = limits;
  }

  open(tag: SaxesTagNS): void {
    // Thrown, not recorded: reading on would let a deep document cost what the bound is there to stop.
    if (this.#stack.length >= this.#limits.maxDepth) {
      refuseDocument('(document)', `nests elements deeper than ${this.#limits.maxDepth} levels`);
    }
    const parent = this.#stack.at(-1);
    const role = this.#roleOf(tag, parent);
    const node: EpcisNode = { name: nameOf(tag), text: '', children: [] };
    if (role === 'root') this.#schemaVersion = attribute(tag, 'schemaVersion');
    if (role === 'event') this.#startEvent(node);
    if (role === 'field' || role === 'event') node.children.push(...attributesOf(tag));
    this.#stack.push({ role, node, text: '' });
  }

  close(): void {
    const frame = this.#stack.pop()!;
    frame.node.text = expandCurie(frame.text.trim());
    const parent = this.#stack.at(-1);
    if (frame.role !== 'field' || parent === undefined) return;
    // A 1.x wrapper's fields join the element it wraps; an EPCIS 2.0 reader sees them there.
    const into = WRAPPERS.has(frame.node.name) ? frame.node.children : [frame.node];
    if (frame.node.name === 'epc' && EPC_LISTS.has(parent.node.name)) this.#countEpc(parent.node);
    parent.node.children.push(...into);
  }

  text(t: string): void {
    const frame = this.#stack.at(-1);
    if (frame !== undefined && frame.role === 'field') frame.text += t;
  }

  result(): EpcisEvents {
    return { syntax: 'xml', schemaVersion: this.#schemaVersion ?? '', events: this.#events };
  }

  #roleOf(tag: SaxesTagNS, parent: Frame | undefined): Role {
    if (parent === undefined) {
      if (tag.local !== 'EPCISDocument' || !EPCIS_NAMESPACES.has(tag.uri)) {
        refuseDocument(
          '(document)',
          `must be an EPCISDocument of urn:epcglobal:epcis:xsd:1 or :2, not <${tag.name}>`,
        );
      }
      return 'root';
    }
    const plain = tag.uri === '' || EPCIS_NAMESPACES.has(tag.uri);
    switch (parent.role) {
      case 'root':
        return plain && tag.local === 'EPCISBody' ? 'container' : 'skip'; // EPCISHeader: SBDH, GS1 US header
      case 'container':
        return plain && tag.local === 'EventList' ? 'events' : 'skip';
      case 'events':
        // EPCIS 1.2 wraps newer event types in <extension> inside the EventList.
        return plain && WRAPPERS.has(tag.local) ? 'events' : 'event';
      case 'skip':
        return 'skip';
      default:
        return 'field';
    }
  }

  #startEvent(node: EpcisNode): void {
    if (this.#events.length >= this.#limits.maxEvents) {
      refuseDocument(
        'EventList',
        `holds more than ${this.#limits.maxEvents} events; at most ${this.#limits.maxEvents} per capture`,
      );
    }
    this.#events.push(node);
  }

  #countEpc(list: EpcisNode): void {
    if (list.children.length < this.#limits.maxEpcs) return;
    throw new EpcisDocumentError([
      {
        index: this.#events.length - 1,
        field: list.name,
        reason: `names more than ${this.#limits.maxEpcs} EPCs; at most ${this.#limits.maxEpcs} per event`,
      },
    ]);
  }
}

// EPCIS's own elements by their local name, anything else as {namespace}local (a user extension).
function nameOf(tag: SaxesTagNS | SaxesAttributeNS): string {
  return tag.uri === '' || EPCIS_NAMESPACES.has(tag.uri) ? tag.local : `{${tag.uri}}${tag.local}`;
}

function attributesOf(tag: SaxesTagNS): EpcisNode[] {
  return Object.values(tag.attributes)
    .filter(
      (a) =>
        a.prefix !== 'xmlns' && a.name !== 'xmlns' && a.uri !== 'http://www.w3.org/2001/XMLSchema-instance',
    )
    .map((a) => leaf(nameOf(a), expandCurie(a.value.trim())));
}

/** EPCIS 2.0 XML may write GS1 vocabulary terms as CURIEs (`cbv:BizStep-shipping`); they mean the full URI. */
function expandCurie(value: string): string {
  if (value.startsWith('cbv:')) return `https://ref.gs1.org/cbv/${value.slice(4)}`;
  if (value.startsWith('gs1:')) return `https://gs1.org/voc/${value.slice(4)}`;
  return value;
}

function attribute(tag: SaxesTagNS, local: string): string | undefined {
  return Object.values(tag.attributes).find((a) => a.local === local && a.uri === '')?.value;
}
