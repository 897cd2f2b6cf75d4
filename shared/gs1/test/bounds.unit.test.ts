// Hostile input (issue 19, finding 1): every public parser of @rxledger/gs1 refuses an input longer
// than its documented bound before looking inside it, and answers pathological input within the bound
// with the specific reason. No timing is asserted: the regex audit at the end keeps the work linear.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  CANONICAL_STEM,
  decodeScanData,
  formatDigitalLink,
  Gs1Error,
  MAX_CANONICAL_ITEM_LENGTH,
  MAX_DIGITAL_LINK_LENGTH,
  MAX_EPC_URN_LENGTH,
  MAX_SCAN_LENGTH,
  parseBracketed,
  parseDigitalLink,
  parseDigitalLinkParts,
  parseElementString,
  parseEpcUrn,
  parseGln,
  parseItem,
  parseScan,
  percentDecode,
  percentEncode,
  readCanonicalItem,
  scanAis,
  sgtinUri,
  validateAiValue,
} from '../src/index.ts';

const GTIN = '09520123456788';
const N = 40_000;

/** The Gs1Error `call` throws (fails the test when it throws nothing, or something else). */
function rejection(call: () => unknown): Gs1Error {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(Gs1Error);
    return err as Gs1Error;
  }
  throw new Error('expected a Gs1Error, nothing was thrown');
}

const parsers: Array<[name: string, parse: (s: string) => unknown, bound: number]> = [
  ['parseScan', (s) => parseScan(s), MAX_SCAN_LENGTH],
  ['scanAis', (s) => scanAis(s), MAX_SCAN_LENGTH],
  ['parseItem', (s) => parseItem(s), MAX_SCAN_LENGTH],
  ['decodeScanData', (s) => decodeScanData(s), MAX_SCAN_LENGTH],
  ['parseElementString', (s) => parseElementString(s), MAX_SCAN_LENGTH],
  ['parseBracketed', (s) => parseBracketed(s), MAX_SCAN_LENGTH],
  ['parseGln', (s) => parseGln(s), MAX_SCAN_LENGTH],
  ['parseDigitalLink', (s) => parseDigitalLink(s), MAX_DIGITAL_LINK_LENGTH],
  ['parseDigitalLinkParts', (s) => parseDigitalLinkParts(s), MAX_DIGITAL_LINK_LENGTH],
  ['percentDecode', (s) => percentDecode(s, 'query'), MAX_DIGITAL_LINK_LENGTH],
  ['percentEncode', (s) => percentEncode(s, 'path'), MAX_DIGITAL_LINK_LENGTH],
  ['parseEpcUrn', (s) => parseEpcUrn(s), MAX_EPC_URN_LENGTH],
  ['readCanonicalItem', (s) => readCanonicalItem(s), MAX_CANONICAL_ITEM_LENGTH],
];

const hostile: Array<[label: string, input: string]> = [
  ['40,000 CR', '\r'.repeat(N)],
  ['40,000 LF', '\n'.repeat(N)],
  ['40,000 CR then x', `${'\r'.repeat(N)}x`],
  ['x, 40,000 CR, x', `x${'\r'.repeat(N)}x`],
  ['40,000 (', '('.repeat(N)],
  ['40,000 %', '%'.repeat(N)],
  ['40,000 / after a host', `https://id.gs1.org${'/'.repeat(N)}`],
  ['40,000 % as a serial', `${CANONICAL_STEM}/01/${GTIN}/21/${'%'.repeat(N)}`],
  [']d2 and 40,000 digits', `]d2${'0'.repeat(N)}`],
  ['40,000 zeros', '0'.repeat(N)],
  ['an EPC URN of 40,000 dots', `urn:epc:id:sgtin:${'.'.repeat(N)}`],
];

describe('bounds: an input longer than its bound is refused before it is read', () => {
  it('documents its bounds', () => {
    // The longest canonical item URI: a 20-character serial whose every character is escaped.
    expect(sgtinUri(GTIN, '"'.repeat(20))).toHaveLength(MAX_CANONICAL_ITEM_LENGTH);
    expect(MAX_CANONICAL_ITEM_LENGTH).toBe(100);
    expect(MAX_EPC_URN_LENGTH).toBeGreaterThanOrEqual('urn:epc:id:sgtin:0614141.812345.'.length + 60);
    expect(MAX_DIGITAL_LINK_LENGTH).toBeLessThan(MAX_SCAN_LENGTH);
  });

  for (const [name, parse, bound] of parsers) {
    it.each(hostile)(`${name}: %s is TOO_LONG, naming its length and the bound`, (_label, input) => {
      const err = rejection(() => parse(input));
      expect(err.code).toBe('TOO_LONG');
      expect(err.message).toContain(`is ${input.length} characters long, more than the ${bound} allowed`);
    });

    it(`${name}: one character past the bound is TOO_LONG, the bound itself is read`, () => {
      expect(rejection(() => parse('0'.repeat(bound + 1))).code).toBe('TOO_LONG');
      let atBound: unknown;
      try {
        parse('0'.repeat(bound));
      } catch (err) {
        atBound = err;
      }
      expect((atBound as Gs1Error | undefined)?.code).not.toBe('TOO_LONG');
    });

    it(`${name}: a non-string is refused with BAD_SYNTAX, not a TypeError`, () => {
      const err = rejection(() => parse(undefined as unknown as string));
      expect({ code: err.code, message: err.message }).toEqual({
        code: 'BAD_SYNTAX',
        message: expect.stringContaining('must be a string, got undefined'),
      });
    });
  }
});

describe('bounds: pathological input within the bound gets its specific reason', () => {
  const cases: Array<[label: string, call: () => unknown, code: string, message: string]> = [
    ['scan of CRs only', () => parseScan('\r'.repeat(MAX_SCAN_LENGTH)), 'BAD_SYNTAX', 'input is empty'],
    ['scan of LFs only', () => parseScan('\n'.repeat(MAX_SCAN_LENGTH)), 'BAD_SYNTAX', 'input is empty'],
    [
      'scan of CRs then x',
      () => parseScan(`${'\r'.repeat(MAX_SCAN_LENGTH - 1)}x`),
      'UNKNOWN_AI',
      'no known AI at position 1',
    ],
    [
      'item of x, CRs, x',
      () => parseItem(`x${'\r'.repeat(MAX_SCAN_LENGTH - 2)}x`),
      'UNKNOWN_AI',
      'no known AI at position 1',
    ],
    [
      'GTIN followed by CRs and a digit',
      () => parseItem(`(01)${GTIN}${'\r'.repeat(MAX_SCAN_LENGTH - 20)}0`),
      'BAD_LENGTH',
      'AI (01): value too long',
    ],
    [
      'bracketed of open brackets',
      () => parseScan('('.repeat(MAX_SCAN_LENGTH)),
      'BAD_SYNTAX',
      'has no closing ")"',
    ],
    [
      ']d2 and zeros',
      () => parseScan(`]d2${'0'.repeat(MAX_SCAN_LENGTH - 3)}`),
      'TOO_MANY_AIS',
      'more than 64',
    ],
    ['zeros', () => parseItem('0'.repeat(MAX_SCAN_LENGTH)), 'TOO_MANY_AIS', 'more than 64'],
    [
      'Digital Link of slashes',
      () => parseScan(`https://id.gs1.org${'/'.repeat(MAX_DIGITAL_LINK_LENGTH - 18)}`),
      'BAD_URI',
      'no GS1 primary key',
    ],
    [
      'Digital Link with a GTIN of %',
      () => parseDigitalLink(`https://a.example/01/${'%'.repeat(MAX_DIGITAL_LINK_LENGTH - 21)}`),
      'BAD_LENGTH',
      'AI (01): value too long',
    ],
    [
      'canonical-looking URI with a serial of %',
      () => readCanonicalItem(`${CANONICAL_STEM}/01/${GTIN}/21/${'%'.repeat(60)}`),
      'BAD_LENGTH',
      'AI (21): value too long',
    ],
    [
      'canonical item of CRs',
      () => readCanonicalItem('\r'.repeat(MAX_CANONICAL_ITEM_LENGTH)),
      'BAD_SYNTAX',
      'input is empty',
    ],
    [
      'EPC URN of dots',
      () => parseEpcUrn(`urn:epc:id:sgtin:${'.'.repeat(MAX_EPC_URN_LENGTH - 17)}`),
      'BAD_URI',
      'company prefix "" must be 6 to 12 digits',
    ],
    [
      'EPC URN with no scheme',
      () => parseEpcUrn('urn:epc:id:'),
      'BAD_URI',
      'must start with urn:epc:id:sgtin:',
    ],
    [
      'GLN of digits',
      () => parseGln('0'.repeat(MAX_SCAN_LENGTH)),
      'BAD_LENGTH',
      'must be 13 digits, got 4096',
    ],
    [
      'base64 value of padding',
      () => validateAiValue('8030', '='.repeat(90)),
      'BAD_CHARSET',
      '90 base64 padding character(s)',
    ],
  ];

  it.each(cases)('%s', (_label, call, code, message) => {
    const err = rejection(call);
    expect({ code: err.code, message: err.message }).toEqual({
      code,
      message: expect.stringContaining(message),
    });
  });

  it('still ignores the CR/LF a keyboard-wedge scanner sends at the end, and only there', () => {
    expect(parseScan(`(01)${GTIN}(21)A1\r\n`).serial).toBe('A1');
    expect(parseItem(`${sgtinUri(GTIN, 'A1')}\r\n`).uri).toBe(sgtinUri(GTIN, 'A1'));
    expect(rejection(() => parseScan(`(01)${GTIN}\r(21)A1`)).code).toBe('BAD_LENGTH');
  });

  it('drops the trailing slashes of a stem however many there are', () => {
    const stem = `https://brand.example${'/'.repeat(N)}`;
    expect(formatDigitalLink({ path: [['01', GTIN]], query: [] }, stem)).toBe(
      `https://brand.example/01/${GTIN}`,
    );
  });
});

// A backtracking regex engine (V8's) retries an unanchored pattern from every start position, which
// makes `/[\r\n]+$/` quadratic in a run of CRs (finding 1), and lets two unbounded quantifiers trade
// characters between them. So a regex in src/ has at most one unbounded quantifier (+, *, {n,}), and
// a regex with one is anchored at the start. Anything else is written as a loop.
describe('regex audit of src/', () => {
  const SRC = join(dirname(fileURLToPath(import.meta.url)), '../src');

  /** The source of every regex literal in `file`. */
  function regexLiterals(file: string): string[] {
    const text = readFileSync(join(SRC, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const found: string[] = [];
    const visit = (node: ts.Node) => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) found.push(node.getText(source));
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (/new RegExp\(|RegExp\(/.test(text)) found.push(`RegExp(...) in ${file}`);
    return found;
  }

  /** The number of unbounded quantifiers outside character classes and escapes. */
  function unboundedQuantifiers(literal: string): number {
    const body = literal.slice(1, literal.lastIndexOf('/'));
    let n = 0;
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (c === '\\') i++;
      else if (c === '[') {
        for (i++; i < body.length && body[i] !== ']'; i++) if (body[i] === '\\') i++;
      } else if (c === '+' || c === '*') n++;
      else if (c === '{' && /^\{\d+,\}/.test(body.slice(i))) n++;
    }
    return n;
  }

  const literals = readdirSync(SRC)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => regexLiterals(f).map((r) => [f, r] as const));

  it('finds the regexes it audits', () => {
    expect(literals.length).toBeGreaterThan(10);
    expect(unboundedQuantifiers('/[\\r\\n]+$/')).toBe(1);
    expect(unboundedQuantifiers('/^[a+*]{2}(x)*\\+$/')).toBe(1);
  });

  it.each(literals)('%s: %s is linear (anchored, at most one unbounded quantifier)', (file, literal) => {
    const n = unboundedQuantifiers(literal);
    expect(n, `${file}: ${literal}`).toBeLessThanOrEqual(1);
    if (n === 1) expect(literal.startsWith('/^'), `${file}: ${literal} is not anchored`).toBe(true);
  });
});
