// GS1's EPCIS event hash (CBV 2.0 §8.9, "Event hash ID"): a canonical "pre-hash" string of an event's
// content, SHA-256 over its UTF-8 bytes, written `ni:///sha-256;{hex}?ver=CBV2.0`. Two captures of
// the same event give the same ID, whichever syntax or EPC notation they use, so capture can treat
// the ID as the event's idempotency key. Ported from GS1 Germany's reference implementation,
// github.com/RalphTro/epcis-event-hash-generator (MIT), hash_generator.py at commit 5d2f1c3, and
// tested against its published example hashes.
import { createHash } from 'node:crypto';
import { parseEpcUrn, parseItem, percentEncode } from '@rxledger/gs1';
import type { EpcisNode } from './epcis-node.ts';

type Order = ReadonlyArray<readonly [string, Order | null]>;

const QUANTITY: Order = [
  [
    'quantityElement',
    [
      ['epcClass', null],
      ['quantity', null],
      ['uom', null],
    ],
  ],
];
const EPCS: Order = [['epc', null]];
const SENSOR_METADATA = ['time', 'startTime', 'endTime', 'deviceID', 'deviceMetadata', 'rawData'];
const SENSOR_REPORT = [
  'type',
  'exception',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'time',
  'microorganism',
  'chemicalSubstance',
  'value',
  'component',
  'stringValue',
  'booleanValue',
  'hexBinaryValue',
  'uriValue',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
  'uom',
  'coordinateReferenceSystem',
];
const flat = (names: readonly string[]): Order => names.map((n) => [n, null] as const);

/**
 * The order the algorithm writes an event's standard fields in (the reference's PROP_ORDER). Source,
 * destination and business transaction lists are not in it: the reference writes them with the
 * fields it does not order, sorted, after these.
 */
const PROP_ORDER: Order = [
  ['eventTime', null],
  ['eventTimeZoneOffset', null],
  ['certificationInfo', null],
  ['parentID', null],
  ['epcList', EPCS],
  ['inputEPCList', EPCS],
  ['childEPCs', EPCS],
  ['quantityList', QUANTITY],
  ['childQuantityList', QUANTITY],
  ['inputQuantityList', QUANTITY],
  ['outputEPCList', EPCS],
  ['outputQuantityList', QUANTITY],
  ['action', null],
  ['transformationID', null],
  ['bizStep', null],
  ['disposition', null],
  [
    'persistentDisposition',
    [
      ['set', null],
      ['unset', null],
    ],
  ],
  ['readPoint', [['id', null]]],
  ['bizLocation', [['id', null]]],
  [
    'sensorElementList',
    [
      [
        'sensorElement',
        [
          ['sensorMetadata', flat([...SENSOR_METADATA, 'dataProcessingMethod', 'bizRules'])],
          ['sensorReport', flat(SENSOR_REPORT)],
        ],
      ],
    ],
  ],
];
/** Fields left out of the hash. */
const IGNORED = new Set(['recordTime', 'eventID', 'type', 'errorDeclaration']);
const TYPED_ENTRIES = new Set(['source', 'destination', 'bizTransaction']);
/** Where EPCIS 2.0 JSON may write a CBV term as a bare word, the vocabulary it expands to. */
const BARE_WORD_VOCABULARY: Record<string, string> = {
  bizStep: 'https://ref.gs1.org/cbv/BizStep-',
  disposition: 'https://ref.gs1.org/cbv/Disp-',
  set: 'https://ref.gs1.org/cbv/Disp-',
  unset: 'https://ref.gs1.org/cbv/Disp-',
  source: 'https://ref.gs1.org/cbv/SDT-',
  destination: 'https://ref.gs1.org/cbv/SDT-',
  bizTransaction: 'https://ref.gs1.org/cbv/BTT-',
};

/**
 * The CBV 2.0 event hash ID of an event in the neutral form.
 * @example epcisEventHash(event) // 'ni:///sha-256;6ae963…?ver=CBV2.0'
 */
export function epcisEventHash(event: EpcisNode): string {
  const digest = createHash('sha256').update(preHashString(event), 'utf8').digest('hex');
  return `ni:///sha-256;${digest}?ver=CBV2.0`;
}

/** The canonical string the hash is taken of (exported for tests against the reference's `.prehashes`). */
export function preHashString(event: EpcisNode): string {
  const fields = copyOf(event.children);
  const ordered = orderedPart(fields, PROP_ORDER);
  const rest = fields.filter((f) => !IGNORED.has(f.name));
  return `eventType=${event.name}${ordered}${rest.length > 0 ? genericPart(rest) : ''}`;
}

// The algorithm consumes the fields it writes; it works on a copy (cheaper than structuredClone).
function copyOf(nodes: readonly EpcisNode[]): EpcisNode[] {
  return nodes.map((n) => ({ name: n.name, text: n.text, children: copyOf(n.children) }));
}

// Writes the fields named in `order`, in that order (repeated ones sorted), removing from `fields`
// each one written in full; user extensions of a nested element follow its ordered fields.
function orderedPart(fields: EpcisNode[], order: Order): string {
  const extensions = userExtensions(fields);
  let out = '';
  for (const [name, sub] of order) {
    const values: string[] = [];
    for (const field of fields.filter((f) => f.name === name)) {
      const text = fieldString(field, sub);
      if (text !== '') values.push(text);
      if (field.children.length === 0) fields.splice(fields.indexOf(field), 1);
    }
    out += values.sort().join('');
  }
  return extensions.length > 0 ? out + genericPart(extensions) : out;
}

function fieldString(field: EpcisNode, sub: Order | null): string {
  const nested = sub === null ? '' : orderedPart(field.children, sub);
  let text = field.text.trim();
  if (text !== '') {
    const lower = field.name.toLowerCase();
    text =
      lower.includes('time') && !lower.includes('offset')
        ? utcMillis(text)
        : canonicalValue(bareWord(field.name, text));
    text = text === '' ? '' : `=${text}`;
  }
  return text !== '' || nested !== '' ? field.name + text + nested : '';
}

// The reference leaves an event's own top-level extensions to the generic part, and collects those
// of nested elements (readPoint, sensorMetadata): elements of a namespace ending in '/'.
function userExtensions(fields: EpcisNode[]): EpcisNode[] {
  if (fields.length <= 1 || fields.some((f) => f.name.includes('eventTime') || f.name.includes('action'))) {
    return [];
  }
  const found = fields.filter((f) => f.name.includes('{') && f.name.includes('/}'));
  for (const f of found) fields.splice(fields.indexOf(f), 1);
  return found;
}

// Everything the order does not name: name=value and the children's string, sorted.
function genericPart(fields: readonly EpcisNode[]): string {
  return fields.map(genericString).sort().join('');
}

function genericString(field: EpcisNode): string {
  if (TYPED_ENTRIES.has(field.name)) {
    // `<source type="T">V</source>` is written type first: `type=Tsource=V`.
    const type = field.children.find((c) => c.name === 'type');
    const typeText = type ? `type=${canonicalValue(bareWord(field.name, type.text.trim()))}` : '';
    return `${typeText}${field.name}=${canonicalValue(field.text.trim())}`;
  }
  const text = field.text.trim();
  return field.name + (text === '' ? '' : `=${canonicalValue(text)}`) + genericPart(field.children);
}

function bareWord(field: string, text: string): string {
  const vocabulary = BARE_WORD_VOCABULARY[field];
  return vocabulary !== undefined && /^[A-Za-z_]+$/.test(text) ? vocabulary + text : text;
}

/** CBV URNs as web vocabulary, numbers without redundant digits, GS1 keys as canonical Digital Links. */
function canonicalValue(text: string): string {
  const web = text
    .replace('urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-')
    .replace('urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-')
    .replace('urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-')
    .replace('urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-')
    .replace('urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-');
  return digitalLinkOf(numeric(web)) ?? numeric(web);
}

// As Python's str(float(text)), with whole numbers as integers (the reference's _try_format_numeric).
function numeric(text: string): string {
  if (!/^\s*[+-]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(text)) return text;
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isFinite(n)) return text;
  if (Number.isInteger(n)) return BigInt(n).toString();
  const abs = Math.abs(n);
  if (abs >= 1e-4 && abs < 1e16) return String(n);
  const [mantissa, exponent = '0'] = n.toExponential().split('e');
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

// The GS1 keys rxledger reads (SGTIN, SSCC, SGLN, PGLN, as URNs or Digital Links on any domain) in
// the form the reference's DL normaliser writes; other keys are kept as written, which matches the
// reference only where it keeps them too (rxledger refuses events naming them anyway).
function digitalLinkOf(text: string): string | undefined {
  try {
    if (/^urn:epc:id:(sgln|pgln):/i.test(text)) {
      const id = parseEpcUrn(text);
      if (id.kind === 'pgln') return `https://id.gs1.org/417/${id.gln}`;
      if (id.kind !== 'sgln') return undefined;
      const ext = id.extension === '' ? '' : `/254/${percentEncode(id.extension, 'path')}`;
      return `https://id.gs1.org/414/${id.gln}${ext}`;
    }
    if (/^urn:epc:id:(sgtin|sscc):/i.test(text)) return parseItem(text).uri;
    if (/^https?:\/\/[^/]+\/(00\/\d{18}|01\/\d{14}\/21\/[^/?#]+)\/?(\?.*)?$/.test(text))
      return parseItem(text).uri;
    const party = /^https?:\/\/[^/]+(\/(414|417)\/\d{13}(\/254\/[^/?#]+)?)\/?(\?.*)?$/.exec(text);
    if (party) return `https://id.gs1.org${party[1]}`;
  } catch {
    // Not a valid key: the reference leaves such values as they are.
  }
  return undefined;
}

// The reference's _fix_time_stamp_format: UTC, milliseconds (microseconds rounded half to even).
function utcMillis(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:?\d{2})$/.exec(text);
  if (m === null) return text;
  const [, date, hh, mm, ss, frac = '', zone] = m as unknown as string[];
  const micros = Number(frac.slice(0, 6).padEnd(6, '0'));
  const millis = roundHalfEven(micros / 1000);
  const offset = zone === 'Z' || zone === 'z' ? 'Z' : `${zone!.slice(0, 3)}:${zone!.slice(-2)}`;
  const base = Date.parse(`${date}T${hh}:${mm}:${ss}${offset}`);
  if (Number.isNaN(base)) return text;
  return new Date(base + millis).toISOString();
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
