import { assertKey } from './checkdigit.ts';
import { CANONICAL_STEM, formatDigitalLink } from './digital-link.ts';
import { percentDecode } from './percent.ts';
import { validateSerial } from './serial-lot.ts';

/** A serialised pack (SGTIN) or a logistic unit (SSCC), with its canonical rxledger URI. */
export type ItemId =
  | { readonly kind: 'sgtin'; readonly gtin: string; readonly serial: string; readonly uri: string }
  | { readonly kind: 'sscc'; readonly sscc: string; readonly uri: string };

/**
 * The canonical rxledger URI of a pack: `https://id.gs1.org/01/{gtin14}/21/{serial, percent-encoded}`.
 * @example sgtinUri('09520123456788', 'AB/1') // 'https://id.gs1.org/01/09520123456788/21/AB%2F1'
 */
export function sgtinUri(gtin14: string, serial: string): string {
  assertKey('AI (01)', gtin14, [14], '01');
  validateSerial(serial);
  return formatDigitalLink({
    path: [
      ['01', gtin14],
      ['21', serial],
    ],
    query: [],
  });
}

/** The canonical rxledger URI of a case or pallet: `https://id.gs1.org/00/{sscc18}`. */
export function ssccUri(sscc: string): string {
  assertKey('AI (00)', sscc, [18], '00');
  return formatDigitalLink({ path: [['00', sscc]], query: [] });
}

/** The SGTIN item of a GTIN-14 and serial, both validated. */
export function sgtinItem(gtin: string, serial: string): ItemId {
  return { kind: 'sgtin', gtin, serial, uri: sgtinUri(gtin, serial) };
}

/** The SSCC item of an 18-digit SSCC, validated. */
export function ssccItem(sscc: string): ItemId {
  return { kind: 'sscc', sscc, uri: ssccUri(sscc) };
}

const SGTIN_PREFIX = `${CANONICAL_STEM}/01/`;
const SSCC_PREFIX = `${CANONICAL_STEM}/00/`;
const SERIAL_AI = '/21/';

// A path segment ends at these; a value that holds one is not a single segment of the canonical form.
const hasDelimiter = (s: string) => s.includes('/') || s.includes('?') || s.includes('#');

/**
 * The item `uri` names when it is, character for character, the URI sgtinUri or ssccUri write for
 * it; undefined for any other spelling. Throws Gs1Error when its GTIN, SSCC or serial is invalid.
 * Plain string operations only: linear in the length of `uri`, whatever it holds.
 */
export function canonicalItem(uri: string): ItemId | undefined {
  let item: ItemId;
  if (uri.startsWith(SSCC_PREFIX)) {
    const sscc = uri.slice(SSCC_PREFIX.length);
    if (hasDelimiter(sscc)) return undefined;
    item = ssccItem(sscc);
  } else if (uri.startsWith(SGTIN_PREFIX)) {
    const rest = uri.slice(SGTIN_PREFIX.length);
    const end = rest.indexOf('/');
    if (end < 0 || !rest.startsWith(SERIAL_AI, end)) return undefined;
    const serial = rest.slice(end + SERIAL_AI.length);
    if (hasDelimiter(serial)) return undefined;
    item = sgtinItem(rest.slice(0, end), percentDecode(serial, 'path'));
  } else {
    return undefined;
  }
  // Re-writing the item is the test of canonical spelling: one rule, the writer's.
  return item.uri === uri ? item : undefined;
}
