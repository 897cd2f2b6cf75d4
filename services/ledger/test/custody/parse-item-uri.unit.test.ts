// The fold splits item URIs with @rxledger/gs1's one strict reader: a canonical URI gives its keys,
// anything else a pack without keys (never a throw: the fold must not stop on evidence).

import { sgtinUri, ssccUri } from '@rxledger/gs1';
import { describe, expect, it } from 'vitest';
import { parseItemUri } from '../../src/custody/parse-item-uri.ts';

const GTIN = '09520123456788';
const SSCC = '106141412345678908';

describe('parseItemUri', () => {
  it('gives the keys of canonical URIs, the serial decoded', () => {
    expect(parseItemUri(sgtinUri(GTIN, 'A/B%'))).toEqual({ kind: 'pack', gtin: GTIN, serial: 'A/B%' });
    expect(parseItemUri(ssccUri(SSCC))).toEqual({ kind: 'container', sscc: SSCC });
  });

  it.each([
    ['a GTIN with a wrong check digit', 'https://id.gs1.org/01/09520123456781/21/X'],
    ['an SSCC with a wrong check digit', 'https://id.gs1.org/00/106141412345678901'],
    ['a serial outside GS1 set 82', `https://id.gs1.org/01/${GTIN}/21/A%7C`],
    ['a non-canonical escape', `https://id.gs1.org/01/${GTIN}/21/%41`],
    ['another domain', `https://brand.example/01/${GTIN}/21/A`],
    ['40,000 CRs', '\r'.repeat(40_000)],
  ])('keeps %s as a pack without keys', (_label, uri) => {
    expect(parseItemUri(uri)).toEqual({ kind: 'pack' });
  });
});
