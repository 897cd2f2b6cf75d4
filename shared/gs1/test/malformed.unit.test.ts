// Every public function rejects malformed input with a Gs1Error whose code and message say what is
// wrong and where (STYLE.md §3-4).

import { describe, expect, it } from 'vitest';
import {
  checkDigit,
  decodeScanData,
  GS,
  Gs1Error,
  normalizeGtin,
  parseBracketed,
  parseDigitalLink,
  parseElementString,
  parseEpcUrn,
  parseExpiry,
  parseGln,
  parseItem,
  parseScan,
  sgtinUri,
  ssccUri,
  toDigitalLink,
  validateAiValue,
  validateLot,
  validateSerial,
} from '../src/index.ts';

const TODAY = new Date('2025-06-01T00:00:00Z');

type Case = [label: string, call: () => unknown, code: string, message: string];

const cases: Case[] = [
  [
    'checkDigit of non-digits',
    () => checkDigit('12a4'),
    'BAD_CHARSET',
    "'12a4' is not a non-empty string of digits",
  ],
  ['checkDigit of nothing', () => checkDigit(''), 'BAD_CHARSET', 'not a non-empty string of digits'],
  [
    'GTIN with a wrong check digit',
    () => normalizeGtin('09520123456781'),
    'BAD_CHECK_DIGIT',
    'GTIN: check digit is 1, expected 8',
  ],
  [
    'GTIN of 9 digits',
    () => normalizeGtin('123456789'),
    'BAD_LENGTH',
    'GTIN: must be 8, 12, 13 or 14 digits, got 9',
  ],
  [
    'GTIN with a letter',
    () => normalizeGtin('0952012345678X'),
    'BAD_CHARSET',
    "character 'X' at position 14 is not a digit",
  ],
  [
    'GLN with a wrong check digit',
    () => parseGln('0614141123453'),
    'BAD_CHECK_DIGIT',
    'GLN: check digit is 3, expected 2',
  ],
  ['GLN of 12 digits', () => parseGln('061414112345'), 'BAD_LENGTH', 'GLN: must be 13 digits, got 12'],
  [
    'GLN given as an SSCC URN',
    () => parseGln('urn:epc:id:sscc:0614141.1234567890'),
    'BAD_VALUE',
    'is an SSCC, not a GLN',
  ],
  [
    'GLN given as a GTIN Digital Link',
    () => parseGln('https://id.gs1.org/01/09520123456788'),
    'BAD_VALUE',
    'keyed by (01)',
  ],
  ['GLN given as free text', () => parseGln('pharmacy-7'), 'BAD_SYNTAX', 'is not a GLN'],
  ['empty serial', () => validateSerial(''), 'BAD_LENGTH', 'serial: must be 1 to 20 characters, got 0'],
  ['serial of 21 characters', () => validateSerial('A'.repeat(21)), 'BAD_LENGTH', 'got 21'],
  [
    'serial with a pipe',
    () => validateSerial('ABC|'),
    'BAD_CHARSET',
    "serial: character '|' at position 4 is not in GS1 character set 82",
  ],
  ['lot with a space', () => validateLot('LOT 1'), 'BAD_CHARSET', "lot: character ' ' (space) at position 4"],
  [
    'expiry in month 13',
    () => parseExpiry('251301', TODAY),
    'BAD_DATE',
    'expiry 251301: month 13 is not 01 to 12',
  ],
  [
    'expiry on 30 February',
    () => parseExpiry('250230', TODAY),
    'BAD_DATE',
    'day 30 does not exist in 2025-02',
  ],
  [
    'expiry on 29 February of a common year',
    () => parseExpiry('270229', TODAY),
    'BAD_DATE',
    'day 29 does not exist in 2027-02',
  ],
  ['expiry of 5 digits', () => parseExpiry('25013', TODAY), 'BAD_LENGTH', 'must be 6 digits YYMMDD, got 5'],
  [
    'expiry with a letter',
    () => parseExpiry('2501a1', TODAY),
    'BAD_CHARSET',
    "character 'a' at position 5 is not a digit",
  ],
  [
    'item with no serial',
    () => parseItem('(01)09520123456788'),
    'NOT_AN_ITEM',
    'without a serial number (21) names a product',
  ],
  [
    'item whose GTIN check digit is wrong',
    () => parseItem('(01)09520123456781(21)X'),
    'BAD_CHECK_DIGIT',
    'AI (01): check digit is 1, expected 8',
  ],
  [
    'item that is a location',
    () => parseItem('urn:epc:id:sgln:0614141.12345.0'),
    'NOT_AN_ITEM',
    'is a location (SGLN)',
  ],
  [
    'item naming both SSCC and SGTIN',
    () => parseItem(`${GS}00106141412345678908010952012345678821X`),
    'NOT_AN_ITEM',
    'both an SSCC (00) and an SGTIN',
  ],
  [
    'SGTIN URN with a short item reference',
    () => parseItem('urn:epc:id:sgtin:0614141.81234.6789'),
    'BAD_URI',
    'must be 6 digits after a 7-digit company prefix',
  ],
  [
    'SGTIN URN with an unescaped slash',
    () => parseItem('urn:epc:id:sgtin:0614141.812345.67/89'),
    'BAD_URI',
    "serial character '/' at position 3 must be percent-encoded",
  ],
  [
    'SSCC URN one digit short',
    () => parseItem('urn:epc:id:sscc:0614141.123456789'),
    'BAD_URI',
    'must be 10 digits after a 7-digit company prefix',
  ],
  [
    'EPC URN of another scheme',
    () => parseEpcUrn('urn:epc:id:giai:0614141.12345400'),
    'BAD_URI',
    'scheme "giai" is not sgtin, sscc, sgln or pgln',
  ],
  [
    'EPC URN with a 5-digit company prefix',
    () => parseEpcUrn('urn:epc:id:sgtin:06141.81234567.1'),
    'BAD_URI',
    'company prefix "06141" must be 6 to 12 digits',
  ],
  [
    'Digital Link with an empty serial',
    () => parseItem('https://id.gs1.org/01/09520123456788/21/'),
    'BAD_URI',
    'AI (21): path value is empty',
  ],
  [
    'Digital Link with an ftp scheme',
    () => parseItem('ftp://id.gs1.org/01/09520123456788/21/1'),
    'BAD_URI',
    'scheme must be http:// or https://',
  ],
  [
    'Digital Link with (99) in the path',
    () => parseItem('https://id.gs1.org/01/09520123456788/99/X'),
    'BAD_URI',
    'not a valid key-qualifier sequence for (01)',
  ],
  [
    'Digital Link with the serial in the query',
    () => parseDigitalLink('https://id.gs1.org/01/09520123456788?21=1'),
    'BAD_URI',
    'AI (21): a key qualifier of (01) belongs in the path',
  ],
  [
    'Digital Link repeating its key',
    () => parseDigitalLink('https://a.example/00/106141412345678908?00=106141412345678908'),
    'DUPLICATE_AI',
    'AI (00) appears more than once',
  ],
  [
    'Digital Link with a space',
    () => parseDigitalLink('https://id.gs1.org/01/09520123456788/21/A B'),
    'BAD_URI',
    "character ' ' (space) at position 42 is not allowed in a URI",
  ],
  [
    'Digital Link without a key',
    () => parseDigitalLink('https://id.gs1.org/products/123'),
    'BAD_URI',
    'no GS1 primary key',
  ],
  [
    'scan of plain text',
    () => parseScan(']d1hello'),
    'BAD_SYNTAX',
    ']d1 scan carries plain data, not GS1 data: "hello"',
  ],
  ['scan with empty GS1 data', () => parseScan(']Q3'), 'BAD_SYNTAX', ']Q3: the GS1 AI data is empty'],
  [
    'scan with doubled separators',
    () => parseScan(`]d20109520123456788${GS}${GS}21X`),
    'BAD_SYNTAX',
    'unexpected GS (FNC1) at position 21',
  ],
  [
    'scan of an unknown symbology',
    () => parseScan(']XX0109520123456788'),
    'BAD_SYMBOLOGY',
    'symbology identifier ]XX is not one that carries GS1 data',
  ],
  [
    'EAN-13 scan with a wrong check digit',
    () => parseScan(']E09520123456781'),
    'BAD_CHECK_DIGIT',
    ']E0 primary data: check digit is 1, expected 8',
  ],
  [
    'scan data without identifier',
    () => decodeScanData('0109520123456788'),
    'BAD_SYMBOLOGY',
    'must start with a symbology identifier',
  ],
  [
    'element string with a plain-data identifier',
    () => parseElementString(']Q1https://id.gs1.org/00/106141412345678908'),
    'BAD_SYMBOLOGY',
    ']Q1 does not announce GS1 element strings',
  ],
  [
    'element string with a 21-character serial',
    () => parseElementString(`0109520123456788${'21'}${'S'.repeat(21)}`),
    'BAD_LENGTH',
    'AI (21): value too long: expected format X..20, got 21',
  ],
  [
    'element string with an unknown AI',
    () => parseElementString(`${GS}991${GS}8912`),
    'UNKNOWN_AI',
    'no known AI at position 6: data "8912"',
  ],
  [
    'element string with a short SSCC',
    () => parseElementString('0010614141234567890'),
    'BAD_LENGTH',
    'AI (00): value too short: expected 18 digits, got 17',
  ],
  [
    'bracketed with a repeated serial',
    () => parseBracketed('(01)09520123456788(21)ABC(21)ABD'),
    'DUPLICATE_AI',
    'AI (21) occurs more than once with different values ("ABC", "ABD")',
  ],
  [
    'bracketed GTIN with a count',
    () => parseBracketed('(01)09520123456788(37)5'),
    'AI_CONFLICT',
    'AI (01): must not be used together with AI (37)',
  ],
  [
    'bracketed serial alone',
    () => parseBracketed('(21)ABC'),
    'MISSING_AI',
    'AI (21): requires one of (01), (03), (8006)',
  ],
  [
    'bracketed with an unknown AI',
    () => parseBracketed('(01)09520123456788(89)X'),
    'UNKNOWN_AI',
    '(89) at position 19 is not a known Application Identifier',
  ],
  [
    'bracketed expiry on 29 February 2025',
    () => parseBracketed('(01)09520123456788(17)250229', { today: TODAY }),
    'BAD_DATE',
    'AI (17): date 250229: day 29 does not exist in 2025-02',
  ],
  [
    'bracketed without a closing bracket',
    () => parseBracketed('(01)09520123456788(21'),
    'BAD_SYNTAX',
    'AI at position 19 has no closing ")"',
  ],
  [
    'AI value with a bad check digit',
    () => validateAiValue('414', '0614141123453'),
    'BAD_CHECK_DIGIT',
    'AI (414): check digit is 3, expected 2',
  ],
  [
    'canonical URI of a 13-digit GTIN',
    () => sgtinUri('9520123456788', 'A'),
    'BAD_LENGTH',
    'AI (01): must be 14 digits, got 13',
  ],
  [
    'canonical URI of a serial with a space',
    () => sgtinUri('09520123456788', 'a b'),
    'BAD_CHARSET',
    "serial: character ' ' (space) at position 2",
  ],
  [
    'canonical URI of an SSCC with a wrong check digit',
    () => ssccUri('106141412345678900'),
    'BAD_CHECK_DIGIT',
    'AI (00): check digit is 0, expected 8',
  ],
  [
    'Digital Link from data without a key',
    () => toDigitalLink([['10', 'L1']]),
    'MISSING_AI',
    'without a primary key AI',
  ],
];

describe('malformed input is rejected with a precise reason', () => {
  it('covers at least 20 distinct malformed inputs', () => {
    expect(new Set(cases.map(([label]) => label)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s', (_label, call, code, message) => {
    let caught: unknown;
    try {
      call();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(Gs1Error);
    const err = caught as Gs1Error;
    expect({ code: err.code, message: err.message }).toEqual({
      code,
      message: expect.stringContaining(message),
    });
    expect(err.retriable).toBe(false);
    expect(err.status).toBe(400);
  });

  it('names the AI at fault', () => {
    const err = (() => {
      try {
        parseItem(']d2010952012345678117271231');
      } catch (e) {
        return e as Gs1Error;
      }
    })();
    expect(err?.ai).toBe('01');
  });
});
