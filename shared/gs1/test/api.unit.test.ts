// Positive behaviour of every public function, and round trips between the input forms of DESIGN.md §2.

import { describe, expect, it } from 'vitest';
import {
  CANONICAL_STEM,
  checkDigit,
  decodeScanData,
  formatBracketed,
  formatDigitalLink,
  formatElementString,
  fullYear,
  GS,
  isValidGln,
  isValidGtin,
  isValidSscc,
  normalizeGtin,
  parseBracketed,
  parseDigitalLink,
  parseDigitalLinkParts,
  parseElementString,
  parseEpcUrn,
  parseExpiry,
  parseGln,
  parseItem,
  parseScan,
  percentDecode,
  percentEncode,
  scanAis,
  sgtinUri,
  ssccUri,
  toDigitalLink,
  validateAiValue,
  validateAssociations,
  validateLot,
  validateSerial,
} from '../src/index.ts';

const GTIN = '09520123456788';
const SSCC = '106141412345678908';
const TODAY = new Date('2025-06-01T00:00:00Z');

describe('check digits', () => {
  it('computes the GS1 mod-10 check digit for every key length', () => {
    expect(checkDigit('0952012345678')).toBe('8');
    expect(checkDigit('950110153000')).toBe('3');
    expect(checkDigit('0234567')).toBe('3');
    expect(checkDigit('10614141234567890')).toBe('8');
    expect(checkDigit('061414112345')).toBe('2');
  });

  it('validates GTIN-8/12/13/14, GLN and SSCC', () => {
    expect(['02345673', '416000336108', '9501101530003', GTIN].map(isValidGtin)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['02345674', '9501101530004', '095201234567', '0952012345678A'].map(isValidGtin)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect([isValidGln('0614141123452'), isValidGln('0614141123453'), isValidGln(GTIN)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([isValidSscc(SSCC), isValidSscc('106141412345678900'), isValidSscc(GTIN)]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('normalises every GTIN length to GTIN-14', () => {
    expect(normalizeGtin('02345673')).toBe('00000002345673');
    expect(normalizeGtin('416000336108')).toBe('00416000336108');
    expect(normalizeGtin('9520123456788')).toBe(GTIN);
    expect(normalizeGtin(GTIN)).toBe(GTIN);
  });
});

describe('serial, lot and expiry', () => {
  it('accepts every character of GS1 set 82 in serials and lots, up to 20', () => {
    expect(validateSerial(`!"%&'()*+,-./:;<=>?_`)).toBe(`!"%&'()*+,-./:;<=>?_`);
    expect(validateSerial('a'.repeat(20))).toHaveLength(20);
    expect(validateLot('L-2025/07')).toBe('L-2025/07');
  });

  it('resolves DD=00 to the last day of the month, leap years included', () => {
    expect(parseExpiry('250200', TODAY)).toEqual({ yymmdd: '250200', date: '2025-02-28' });
    expect(parseExpiry('240200', TODAY)).toEqual({ yymmdd: '240200', date: '2024-02-29' });
    expect(parseExpiry('261100', TODAY).date).toBe('2026-11-30');
    expect(parseExpiry('271231', TODAY).date).toBe('2027-12-31');
  });

  it('places the century by the GS1 sliding window relative to the given date', () => {
    expect(parseExpiry('740101', TODAY).date).toBe('2074-01-01');
    expect(parseExpiry('760101', TODAY).date).toBe('1976-01-01');
    expect(parseExpiry('050101', new Date('2098-01-01')).date).toBe('2105-01-01');
    expect(fullYear(0, new Date('2051-01-01'))).toBe(2100);
    expect(parseExpiry('000229', new Date('2030-01-01')).date).toBe('2000-02-29');
  });
});

describe('element strings and bracketed data', () => {
  const ais: Array<[string, string]> = [
    ['01', GTIN],
    ['17', '271231'],
    ['10', 'L(1)'],
    ['21', 'S/1'],
  ];

  it('reads scanner output with and without symbology identifier and leading FNC1', () => {
    const body = `01${GTIN}17271231${'10L(1)'}${GS}21S/1`;
    for (const s of [
      body,
      `${GS}${body}`,
      `]d2${body}`,
      `]Q3${body}`,
      `]C1${body}`,
      `]e0${body}`,
      `]J1${body}`,
    ]) {
      expect(parseElementString(s)).toEqual(ais);
    }
  });

  it('writes element strings with FNC1 only after variable-length AIs', () => {
    const s = formatElementString(ais);
    expect(s).toBe(`${GS}01${GTIN}1727123110L(1)${GS}21S/1`);
    expect(parseElementString(s)).toEqual(ais);
  });

  it('round-trips bracketed data, escaping "(" in values', () => {
    const s = formatBracketed(ais);
    expect(s).toBe(`(01)${GTIN}(17)271231(10)L\\(1)(21)S/1`);
    expect(parseBracketed(s)).toEqual(ais);
  });

  it('validates single AI values and cross-AI rules directly', () => {
    expect(() => validateAiValue('414', '0614141123452')).not.toThrow();
    expect(() => validateAiValue('8013', '1987654Ad4X4bL5ttr2310c2K')).not.toThrow();
    expect(() =>
      validateAssociations([
        ['00', SSCC],
        ['02', GTIN],
        ['37', '12'],
      ]),
    ).not.toThrow();
    expect(() => validateAssociations([['21', 'X']], { validateRequisites: false })).not.toThrow();
  });

  it('can be told to accept unknown AIs and skip the cross-AI rules', () => {
    expect(parseBracketed('(89)ABC', { permitUnknownAIs: true, validateAssociations: false })).toEqual([
      ['89', 'ABC'],
    ]);
    expect(parseBracketed('(10)ABC', { validateAssociations: false })).toEqual([['10', 'ABC']]);
  });
});

describe('Digital Link', () => {
  it('reads any domain, custom path stems, qualifiers and query attributes', () => {
    const uri = `HTTPS://brand.example.com/shop/01/${GTIN}/10/L%281%29/21/S%2F1?17=271231&linkType=gs1:pip`;
    const parts = parseDigitalLinkParts(uri);
    expect(parts).toEqual({
      stem: 'HTTPS://brand.example.com/shop',
      path: [
        ['01', GTIN],
        ['10', 'L(1)'],
        ['21', 'S/1'],
      ],
      query: [['17', '271231']],
      ignoredQueryParams: ['linkType=gs1:pip'],
    });
    expect(parseDigitalLink(uri)).toEqual([...parts.path, ...parts.query]);
  });

  it('accepts zero-suppressed GTINs and convenience alphas only when asked', () => {
    expect(
      parseDigitalLink('https://a.example/01/9520123456788', { permitZeroSuppressedGtin: true }),
    ).toEqual([['01', GTIN]]);
    expect(
      parseDigitalLink(`https://a.example/gtin/${GTIN}/ser/1`, { permitConvenienceAlphas: true }),
    ).toEqual([
      ['01', GTIN],
      ['21', '1'],
    ]);
  });

  it('writes canonical URIs, percent-encoding values', () => {
    expect(
      toDigitalLink([
        ['21', 'S/1'],
        ['17', '271231'],
        ['01', GTIN],
        ['10', 'L 1'],
      ]),
    ).toBe(`${CANONICAL_STEM}/01/${GTIN}/10/L%201/21/S%2F1?17=271231`);
    expect(formatDigitalLink({ path: [['00', SSCC]], query: [] }, 'https://example.com/')).toBe(
      `https://example.com/00/${SSCC}`,
    );
    expect(percentEncode('A+B /', 'query')).toBe('A%2BB+%2F');
    expect(percentDecode('A+B%2F', 'query')).toBe('A B/');
    expect(percentDecode('A+B%2F', 'path')).toBe('A+B/');
  });
});

describe('EPC URNs (TDS 2.x)', () => {
  it('converts SGTIN, SSCC and SGLN to GS1 keys', () => {
    expect(parseEpcUrn('urn:epc:id:sgtin:0614141.812345.6789')).toEqual({
      kind: 'sgtin',
      gtin: '80614141123458',
      serial: '6789',
      uri: `${CANONICAL_STEM}/01/80614141123458/21/6789`,
    });
    expect(parseEpcUrn('urn:epc:id:sscc:0614141.1234567890')).toEqual({
      kind: 'sscc',
      sscc: SSCC,
      uri: `${CANONICAL_STEM}/00/${SSCC}`,
    });
    expect(parseEpcUrn('urn:epc:id:sgln:0614141.12345.400')).toEqual({
      kind: 'sgln',
      gln: '0614141123452',
      extension: '400',
    });
    expect(parseEpcUrn('urn:epc:id:sgln:0614141.12345.0')).toEqual({
      kind: 'sgln',
      gln: '0614141123452',
      extension: '',
    });
  });

  it('converts a PGLN (a party) to its GLN, which parseGln takes and parseItem refuses as no item', () => {
    expect(parseEpcUrn('urn:epc:id:pgln:0614141.00000')).toEqual({ kind: 'pgln', gln: '0614141000005' });
    expect(parseGln('urn:epc:id:pgln:4012345.00000')).toBe('4012345000009');
    expect(() => parseItem('urn:epc:id:pgln:0614141.00000')).toThrow(/party \(PGLN\), not a pack/);
    expect(() => parseEpcUrn('urn:epc:id:pgln:0614141.0000')).toThrow(/party reference/);
  });

  it('unescapes serials and handles every company prefix length from 6 to 12', () => {
    expect(parseEpcUrn('urn:epc:id:sgtin:0614141.812345.A%2FB%25C%22').kind).toBe('sgtin');
    expect((parseEpcUrn('urn:epc:id:sgtin:0614141.812345.A%2FB%25C%22') as { serial: string }).serial).toBe(
      'A/B%C"',
    );
    expect(parseEpcUrn('urn:epc:id:sgtin:952012.0345678.1')).toMatchObject({ gtin: GTIN });
    expect(parseEpcUrn('urn:epc:id:sgtin:952012345678.0.1')).toMatchObject({ gtin: GTIN });
  });
});

describe('GLNs', () => {
  it('reads a GLN from digits, SGLN URN, Digital Link (414 or 417) and bracketed data', () => {
    const gln = '0614141123452';
    for (const s of [
      gln,
      'urn:epc:id:sgln:0614141.12345.0',
      'urn:epc:id:sgln:0614141.12345.7',
      `https://id.gs1.org/414/${gln}`,
      `https://id.gs1.org/414/${gln}/254/7`,
      `https://id.gs1.org/417/${gln}`,
      `(414)${gln}`,
    ]) {
      expect(parseGln(s), s).toBe(gln);
    }
  });
});

describe('scans', () => {
  it('picks out GTIN, serial, lot, expiry and SSCC from every input form', () => {
    const expected = { gtin: GTIN, serial: 'S1', lot: 'L1', expiry: '271231' };
    for (const s of [
      `]d201${GTIN}1727123110L1${GS}21S1`,
      `01${GTIN}1727123110L1${GS}21S1\r\n`,
      `(01)${GTIN}(17)271231(10)L1(21)S1`,
      `https://example.com/01/${GTIN}/10/L1/21/S1?17=271231`,
      `]Q1https://example.com/01/${GTIN}/10/L1/21/S1?17=271231`,
    ]) {
      expect(parseScan(s), s).toMatchObject(expected);
    }
    expect(parseScan(`(00)${SSCC}`)).toEqual({ ais: [['00', SSCC]], sscc: SSCC });
    expect(parseScan('urn:epc:id:sgtin:0614141.812345.6789')).toMatchObject({
      gtin: '80614141123458',
      serial: '6789',
    });
    expect(parseScan(']E09501101530003')).toMatchObject({ gtin: '09501101530003' });
  });

  it('reports the symbology and carried data of raw scanner output', () => {
    expect(decodeScanData(']d1just text')).toEqual({ symbology: 'DM', ais: [], plainData: 'just text' });
    expect(decodeScanData(`]e001${GTIN}10L1`)).toEqual({
      symbology: 'DataBarExpanded',
      ais: [
        ['01', GTIN],
        ['10', 'L1'],
      ],
    });
    expect(scanAis(`]E402345673|]e010L1`)).toEqual([
      ['01', '00000002345673'],
      ['10', 'L1'],
    ]);
  });
});

describe('items: every input form to the canonical URI and back', () => {
  const serial = 'A/B%C 1'.replace(' ', '-');
  const uri = `${CANONICAL_STEM}/01/${GTIN}/21/A%2FB%25C-1`;
  const forms = [
    `]d201${GTIN}21${serial}`,
    `${GS}01${GTIN}17271231${'21'}${serial}${GS}10L1`,
    `01${GTIN}21${serial}`,
    `(01)${GTIN}(21)${serial}`,
    `(21)${serial}(01)${GTIN}(17)271231`,
    `https://id.gs1.org/01/${GTIN}/21/A%2FB%25C-1`,
    `https://brand.example/p/01/${GTIN}/10/L1/21/A%2fB%25C-1?17=271231`,
    `HTTP://brand.example/01/${GTIN}/21/A%2FB%25C-1`,
    `]Q1https://brand.example/01/${GTIN}/21/A%2FB%25C-1`,
    `urn:epc:id:sgtin:952012.0345678.A%2FB%25C-1`,
  ];

  it.each(forms)('%s', (input) => {
    const item = parseItem(input);
    expect(item).toEqual({ kind: 'sgtin', gtin: GTIN, serial, uri });
    expect(parseItem(item.uri)).toEqual(item);
    expect(sgtinUri(GTIN, serial)).toBe(uri);
  });

  it('does the same for SSCCs', () => {
    for (const input of [
      `(00)${SSCC}`,
      `]C100${SSCC}`,
      `https://x.example/00/${SSCC}`,
      'urn:epc:id:sscc:0614141.1234567890',
    ]) {
      const item = parseItem(input);
      expect(item).toEqual({ kind: 'sscc', sscc: SSCC, uri: ssccUri(SSCC) });
      expect(parseItem(item.uri)).toEqual(item);
    }
    expect(ssccUri(SSCC)).toBe(`https://id.gs1.org/00/${SSCC}`);
  });

  it('reads canonical URIs (its quick path) exactly as the other forms', () => {
    for (const serial of ['AB-1.x_2', '0', 'Z'.repeat(20)]) {
      expect(parseItem(`${CANONICAL_STEM}/01/${GTIN}/21/${serial}`)).toEqual(
        parseItem(`(01)${GTIN}(21)${serial}`),
      );
    }
    expect(parseItem(`${CANONICAL_STEM}/00/${SSCC}`)).toEqual(parseItem(`(00)${SSCC}`));
    const bad = [
      [`${CANONICAL_STEM}/01/09520123456781/21/X`, 'BAD_CHECK_DIGIT'],
      [`${CANONICAL_STEM}/01/${GTIN}/21/${'Z'.repeat(21)}`, 'BAD_LENGTH'],
      [`${CANONICAL_STEM}/00/106141412345678901`, 'BAD_CHECK_DIGIT'],
    ] as const;
    for (const [input, code] of bad) {
      expect(() => parseItem(input), input).toThrow(expect.objectContaining({ code }));
    }
  });
});
