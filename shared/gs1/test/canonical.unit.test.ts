// One canonical form of an item and one strict reader of it (issue 19): readCanonicalItem accepts
// exactly the URIs sgtinUri/ssccUri (and so parseItem(...).uri) write, and nothing else.

import { describe, expect, it } from 'vitest';
import {
  CANONICAL_STEM,
  CSET82,
  checkDigit,
  Gs1Error,
  type ItemId,
  MAX_CANONICAL_ITEM_LENGTH,
  parseItem,
  percentEncode,
  readCanonicalItem,
  sgtinUri,
  ssccUri,
} from '../src/index.ts';
import { readCorpus } from './corpus.ts';

const GTIN = '09520123456788';
const SSCC = '106141412345678908';
const TODAY = new Date('2025-06-01T00:00:00Z');

/** What `call` gives: its value, or the Gs1Error it throws (anything else is rethrown). */
function outcome<T>(call: () => T): { value: T } | { error: Gs1Error } {
  try {
    return { value: call() };
  } catch (err) {
    if (err instanceof Gs1Error) return { error: err };
    throw err;
  }
}

const same = (a: ItemId, b: ItemId) => JSON.stringify(a) === JSON.stringify(b);

/**
 * How the two readers disagree on one input, or undefined when they agree: readCanonicalItem(x)
 * succeeds exactly when parseItem(x).uri === x, with the same item, and refuses another spelling of
 * a valid item with NOT_CANONICAL naming its URI; parseItem's URI reads back to the same item.
 * A plain function (no expect per call) so that thousands of inputs stay cheap.
 */
function disagreement(input: string): { item?: ItemId; problem?: string } {
  const parsed = outcome(() => parseItem(input, { today: TODAY }));
  const read = outcome(() => readCanonicalItem(input));
  const shown = JSON.stringify(input);
  if ('value' in parsed && parsed.value.uri === input) {
    if (!('value' in read) || !same(read.value, parsed.value))
      return { problem: `${shown}: canonical, but readCanonicalItem gives ${JSON.stringify(read)}` };
  } else if ('value' in read) {
    return { problem: `${shown}: not canonical, but readCanonicalItem accepts it` };
  }
  if (!('value' in parsed)) return {};
  const item = parsed.value;
  const back = outcome(() => readCanonicalItem(item.uri));
  if (!('value' in back) || !same(back.value, item))
    return { problem: `${shown}: ${item.uri} does not read back: ${JSON.stringify(back)}` };
  if (!same(parseItem(item.uri), item)) return { problem: `${shown}: parseItem(${item.uri}) differs` };
  if ('error' in read && input.length <= MAX_CANONICAL_ITEM_LENGTH) {
    const expected = `item ${input} is not in canonical form: expected ${item.uri}`;
    if (read.error.code !== 'NOT_CANONICAL' || read.error.message !== expected)
      return { problem: `${shown}: refused with ${read.error.code} "${read.error.message}"` };
  }
  return { item };
}

/** Every input string of the corpus vectors (element strings, scans, Digital Link URIs). */
function corpusInputs(): string[] {
  const corpus = JSON.parse(readCorpus('gs1/vectors.json')) as Record<string, unknown>;
  const out = new Set<string>();
  for (const list of Object.values(corpus)) {
    if (!Array.isArray(list)) continue;
    for (const v of list as Array<Record<string, unknown>>) {
      for (const key of ['input', 'elementString', 'scan', 'uri', 'digitalLink', 'uncompressed']) {
        if (typeof v[key] === 'string') out.add(v[key]);
      }
    }
  }
  return [...out];
}

// A small seeded generator (mulberry32): the same serials on every run, so a failure can be replayed.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// EPC URN components keep TDS's literal characters and %-escape the rest of set 82.
const URN_LITERAL = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!'()*+,:;=");
const urnEscape = (s: string) =>
  [...s].map((c) => (URN_LITERAL.has(c) ? c : `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('');

describe('readCanonicalItem: the canonical form and nothing else', () => {
  it('reads what sgtinUri and ssccUri write', () => {
    expect(readCanonicalItem(sgtinUri(GTIN, 'AB/1'))).toEqual({
      kind: 'sgtin',
      gtin: GTIN,
      serial: 'AB/1',
      uri: `${CANONICAL_STEM}/01/${GTIN}/21/AB%2F1`,
    });
    expect(readCanonicalItem(ssccUri(SSCC))).toEqual({ kind: 'sscc', sscc: SSCC, uri: ssccUri(SSCC) });
    const longest = sgtinUri(GTIN, '"'.repeat(20));
    expect(longest).toHaveLength(MAX_CANONICAL_ITEM_LENGTH);
    expect(readCanonicalItem(longest)).toMatchObject({ serial: '"'.repeat(20) });
  });

  const uri = sgtinUri(GTIN, 'A/b!1');
  const spellings: Array<[label: string, input: string]> = [
    ['lower-case hex in an escape', uri.replace('%2F', '%2f')],
    ['an unreserved character escaped', uri.replace('/21/A', '/21/%41')],
    ['a sub-delimiter left unescaped', uri.replace('%21', '!')],
    ['http', uri.replace('https:', 'http:')],
    ['upper-case scheme', uri.replace('https:', 'HTTPS:')],
    ['another domain', uri.replace('id.gs1.org', 'brand.example')],
    ['a path before the key', uri.replace('id.gs1.org', 'id.gs1.org/p')],
    ['a query attribute', `${uri}?17=271231`],
    ['a lot qualifier', uri.replace('/21/', '/10/L1/21/')],
    ['a trailing CR/LF', `${uri}\r\n`],
    ['bracketed', `(01)${GTIN}(21)A/b!1`],
    ['an element string with symbology identifier', `]d201${GTIN}21A/b!1`],
    ['an EPC URN', 'urn:epc:id:sgtin:952012.0345678.A%2Fb!1'],
  ];

  it.each(spellings)('refuses %s as NOT_CANONICAL, naming the canonical URI', (_label, input) => {
    expect(parseItem(input, { today: TODAY }).uri).toBe(uri);
    const err = outcome(() => readCanonicalItem(input));
    expect('error' in err && { code: err.error.code, message: err.error.message }).toEqual({
      code: 'NOT_CANONICAL',
      message: `item ${input} is not in canonical form: expected ${uri}`,
    });
  });

  it('refuses other spellings of an SSCC', () => {
    for (const input of [
      `(00)${SSCC}`,
      `https://x.example/00/${SSCC}`,
      'urn:epc:id:sscc:0614141.1234567890',
    ]) {
      expect(() => readCanonicalItem(input), input).toThrow(
        expect.objectContaining({ code: 'NOT_CANONICAL' }),
      );
    }
  });

  const invalid: Array<[label: string, input: string, code: string, message: string]> = [
    [
      'a GTIN check digit',
      `${CANONICAL_STEM}/01/09520123456781/21/X`,
      'BAD_CHECK_DIGIT',
      'AI (01): check digit',
    ],
    [
      'an SSCC check digit',
      `${CANONICAL_STEM}/00/106141412345678901`,
      'BAD_CHECK_DIGIT',
      'AI (00): check digit',
    ],
    ['a 13-digit GTIN', `${CANONICAL_STEM}/01/9520123456788/21/X`, 'BAD_LENGTH', 'AI (01)'],
    ['a 21-character serial', `${CANONICAL_STEM}/01/${GTIN}/21/${'Z'.repeat(21)}`, 'BAD_LENGTH', 'AI (21)'],
    ['a serial outside set 82', `${CANONICAL_STEM}/01/${GTIN}/21/A%7C`, 'BAD_CHARSET', "'|'"],
    ['a tilde (unreserved, not set 82)', `${CANONICAL_STEM}/01/${GTIN}/21/A~`, 'BAD_CHARSET', "'~'"],
    ['an empty serial', `${CANONICAL_STEM}/01/${GTIN}/21/`, 'BAD_URI', 'path value is empty'],
    ['a product without serial', `${CANONICAL_STEM}/01/${GTIN}`, 'NOT_AN_ITEM', 'without a serial'],
    ['nothing', '', 'BAD_SYNTAX', 'input is empty'],
    ['one past the bound', `${CANONICAL_STEM}/01/${GTIN}/21/${'%22'.repeat(20)}x`, 'TOO_LONG', '101'],
  ];

  it.each(invalid)('refuses %s with its own reason', (_label, input, code, message) => {
    const err = outcome(() => readCanonicalItem(input));
    expect('error' in err && { code: err.error.code, message: err.error.message }).toEqual({
      code,
      message: expect.stringContaining(message),
    });
  });
});

describe('parseItem and readCanonicalItem agree', () => {
  /** The disagreements over `forms`, and a form whose item is not `expected`. */
  function problems(forms: string[], expected?: ItemId): string[] {
    return forms.flatMap((form) => {
      const { item, problem } = disagreement(form);
      if (problem) return [problem];
      if (expected && !(item && same(item, expected)))
        return [`${JSON.stringify(form)} gives ${JSON.stringify(item)}, not ${expected.uri}`];
      return [];
    });
  }

  it('on every input of the corpus vectors', () => {
    const inputs = corpusInputs();
    expect(problems(inputs)).toEqual([]);
    // The corpus holds several hundred inputs, dozens of which name a pack or container.
    expect(inputs.length).toBeGreaterThan(400);
    expect(inputs.filter((input) => disagreement(input).item).length).toBeGreaterThan(20);
  });

  it('on 500 random serials of GS1 set 82, in every input form', () => {
    const next = random(19);
    const pick = (s: string) => s[Math.floor(next() * s.length)] ?? '';
    const found: string[] = [];
    for (let n = 0; n < 500; n++) {
      const serial = Array.from({ length: 1 + Math.floor(next() * 20) }, () => pick(CSET82)).join('');
      const uri = sgtinUri(GTIN, serial);
      const forms = [
        uri,
        `(01)${GTIN}(21)${serial.replaceAll('(', '\\(')}`,
        `]d201${GTIN}21${serial}`,
        `https://brand.example/01/${GTIN}/21/${percentEncode(serial, 'path')}?17=271231`,
        `urn:epc:id:sgtin:952012.0345678.${urnEscape(serial)}`,
      ];
      found.push(...problems(forms, { kind: 'sgtin', gtin: GTIN, serial, uri }));
    }
    expect(found).toEqual([]);
  });

  it('on 300 random SSCCs, in every input form', () => {
    const next = random(18);
    const found: string[] = [];
    for (let n = 0; n < 300; n++) {
      const body = Array.from({ length: 17 }, () => String(Math.floor(next() * 10))).join('');
      const sscc = body + checkDigit(body);
      const uri = ssccUri(sscc);
      const forms = [
        uri,
        `(00)${sscc}`,
        `]C100${sscc}`,
        `urn:epc:id:sscc:${sscc.slice(1, 8)}.${sscc[0]}${sscc.slice(8, 17)}`,
      ];
      found.push(...problems(forms, { kind: 'sscc', sscc, uri }));
    }
    expect(found).toEqual([]);
  });
});
