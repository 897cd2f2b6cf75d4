// What keyboard-wedge scanners type, turned into what the GS1 parsers read (scanner-input.ts).

import { describe, expect, it } from 'vitest';
import { GS, normalizeScannerInput, parseScan } from '../src/index.ts';

const ELEMENTS = `010952012345678817281231${'10'}LOT-7${GS}21SER/42`;
const FIELDS = { gtin: '09520123456788', expiry: '281231', lot: 'LOT-7', serial: 'SER/42' };

describe('normalizeScannerInput', () => {
  it.each([
    ['ASCII 29', ELEMENTS],
    ['<GS>', ELEMENTS.replace(GS, '<GS>')],
    ['<gs> in lower case', ELEMENTS.replace(GS, '<gs>')],
    ['{GS}', ELEMENTS.replace(GS, '{GS}')],
    ['^] (caret notation of Ctrl+])', ELEMENTS.replace(GS, '^]')],
    [']d2 prefix', `]d2${ELEMENTS}`],
    [']Q3 prefix and <GS>', `]Q3${ELEMENTS.replace(GS, '<GS>')}`],
    ['a leading FNC1', `${GS}${ELEMENTS}`],
    [']d2 then a leading <GS>', `]d2<GS>${ELEMENTS.replace(GS, '<GS>')}`],
    ['the CR/LF and spaces a wedge adds', `  ${ELEMENTS}\r\n`],
  ])('reads %s as the element string with ASCII 29', (_name, typed) => {
    expect(normalizeScannerInput(typed)).toBe(ELEMENTS);
    expect(parseScan(normalizeScannerInput(typed))).toMatchObject(FIELDS);
  });

  it('turns every stand-in in a string into a separator, not only the first', () => {
    expect(normalizeScannerInput('0109520123456788<GS>10A{GS}17281231^]21B')).toBe(
      `0109520123456788${GS}10A${GS}17281231${GS}21B`,
    );
  });

  it('passes bracketed element strings, Digital Link URIs and EPC URNs through, trimmed', () => {
    for (const form of [
      '(01)09520123456788(21)SER1',
      'https://id.gs1.org/01/09520123456788/21/SER1',
      'urn:epc:id:sgtin:952012.0345678.SER1',
    ]) {
      expect(normalizeScannerInput(` ${form}\n`)).toBe(form);
    }
  });

  it('drops a plain-mode symbology identifier only before a Digital Link URI', () => {
    expect(normalizeScannerInput(']Q1https://id.gs1.org/01/09520123456788/21/S')).toBe(
      'https://id.gs1.org/01/09520123456788/21/S',
    );
    // Plain text in a plain mode, EAN data and a bare identifier stay for the parser to explain.
    expect(normalizeScannerInput(']d1HELLO')).toBe(']d1HELLO');
    expect(normalizeScannerInput(']E09501101530003')).toBe(']E09501101530003');
    expect(normalizeScannerInput(']d2')).toBe(']d2');
  });

  it('never rejects: empty and odd input come back for the parser to judge', () => {
    expect(normalizeScannerInput('')).toBe('');
    expect(normalizeScannerInput(' \r\n')).toBe('');
    expect(normalizeScannerInput('<GS>')).toBe('');
    expect(normalizeScannerInput('not a scan')).toBe('not a scan');
  });
});
