// Identifiers for hostile rows: valid packs and containers of the demo maker in every input form, and
// the same broken in one way each. Serials are unique per row, so that no two rows touch one pack.
import { checkDigit } from '@rxledger/gs1';
import { OWN_GTIN } from './hostile-system.ts';

/** The item reference of OWN_GTIN as an EPC URN writes it: indicator digit, then the item reference. */
const EPC_ITEM_REF = `${OWN_GTIN[0]}${OWN_GTIN.slice(8, 13)}`;

/** A pack of OWN_GTIN in one input form. */
export const pack = {
  uri: (serial: string) => `https://id.gs1.org/01/${OWN_GTIN}/21/${serial}`,
  bracketed: (serial: string) => `(01)${OWN_GTIN}(21)${serial}`,
  element: (serial: string) => `]d201${OWN_GTIN}21${serial}`,
  otherDomain: (serial: string) => `https://example.com/01/${OWN_GTIN}/21/${serial}`,
  urn: (serial: string) => `urn:epc:id:sgtin:0614141.${EPC_ITEM_REF}.${serial}`,
};

/** SSCC-18 of the maker's company prefix with serial reference `n` and its check digit. */
export function sscc(n: number): string {
  const body = `00614141${String(n).padStart(9, '0')}`;
  return `${body}${checkDigit(body)}`;
}

/** An SSCC-18 of another company (GS1's example prefix 9520123), valid check digit. */
export const FOREIGN_SSCC = `09520123000000001${checkDigit('09520123000000001')}`;

/** The same SSCC with its check digit off by one. */
export function ssccBadCheck(n: number): string {
  const good = sscc(n);
  return `${good.slice(0, 17)}${(Number(good[17]) + 1) % 10}`;
}

/** OWN_GTIN with a wrong check digit. */
export const BAD_CHECK_GTIN = `${OWN_GTIN.slice(0, 13)}${(Number(OWN_GTIN[13]) + 1) % 10}`;

/** A GLN-13 with a wrong check digit (the maker's, off by one). */
export const BAD_CHECK_GLN = '0614141000006';

/** `n` characters of `c`. */
export const chars = (c: string, n: number) => c.repeat(n);

/** JSON text of `inner` wrapped in `depth` arrays. */
export const nestedArrays = (depth: number, inner = '0') =>
  `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
