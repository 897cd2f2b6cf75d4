import { checkLength, MAX_CANONICAL_ITEM_LENGTH, MAX_SCAN_LENGTH, trimLineEnd } from './bounds.ts';
import type { DigitalLinkOptions } from './digital-link.ts';
import { parseEpcUrn } from './epc-urn.ts';
import { Gs1Error } from './errors.ts';
import { canonicalItem, type ItemId, sgtinItem, ssccItem } from './item-uri.ts';
import { isUrn, scanAis } from './scan.ts';

// Whether an input is valid may depend on the day (a two-digit year's century), never its canonical
// form: a fixed day keeps readCanonicalItem's explanation the same on every node and every day.
const EXPLAIN_DAY = new Date('2000-01-01T00:00:00Z');

// The fold reads each item of an event several times (the admission rule, the event check, its links
// and index rows), and answers read the items of the events they fold again: valid canonical URIs
// read lately are kept, frozen, so each is parsed once. Bounded: emptied when full.
const RECENTLY_READ_MAX = 50_000;
const recentlyRead = new Map<string, ItemId>();

function remember(uri: string, item: ItemId): ItemId {
  if (recentlyRead.size >= RECENTLY_READ_MAX) recentlyRead.clear();
  const frozen = Object.freeze(item);
  recentlyRead.set(uri, frozen);
  return frozen;
}

/** The item of an input already in canonical form with valid values; undefined sends it the long way. */
function quickItem(input: string): ItemId | undefined {
  try {
    return canonicalItem(input);
  } catch {
    // An invalid value: the general parser reports it, in its own words.
    return undefined;
  }
}

/**
 * The SGTIN (pack) or SSCC (case, pallet) named by any input form of DESIGN.md §2, in canonical
 * form; other AIs in the input (lot, expiry, ...) are validated and then left aside. At most
 * MAX_SCAN_LENGTH characters; a trailing CR/LF is ignored.
 * @example parseItem('urn:epc:id:sscc:0614141.1234567890').uri // 'https://id.gs1.org/00/106141412345678908'
 */
export function parseItem(input: string, options: DigitalLinkOptions = {}): ItemId {
  checkLength('item', input, MAX_SCAN_LENGTH);
  const quick = quickItem(input);
  if (quick) return quick;
  const s = trimLineEnd(input);
  if (isUrn(s)) {
    const id = parseEpcUrn(s);
    if (id.kind === 'sgln' || id.kind === 'pgln') {
      const what = id.kind === 'sgln' ? 'a location (SGLN)' : 'a party (PGLN)';
      throw new Gs1Error('NOT_AN_ITEM', `${s} is ${what}, not a pack or container`);
    }
    return id;
  }
  const ais = scanAis(s, options);
  const get = (ai: string) => ais.find(([a]) => a === ai)?.[1];
  const gtin = get('01');
  const serial = get('21');
  const sscc = get('00');
  if (gtin !== undefined && serial !== undefined) {
    if (sscc !== undefined) {
      throw new Gs1Error(
        'NOT_AN_ITEM',
        'input names both an SSCC (00) and an SGTIN (01)+(21); give one item',
      );
    }
    return sgtinItem(gtin, serial);
  }
  if (sscc !== undefined) return ssccItem(sscc);
  if (gtin !== undefined) {
    throw new Gs1Error(
      'NOT_AN_ITEM',
      `GTIN (01) ${gtin} without a serial number (21) names a product, not a pack`,
      '21',
    );
  }
  throw new Gs1Error(
    'NOT_AN_ITEM',
    `no item identifier: expected (01) with (21), or (00); got ${ais.map(([a]) => `(${a})`).join('')}`,
  );
}

/**
 * The item named by `uri`, which must be exactly its canonical URI (DESIGN.md §2), as sgtinUri,
 * ssccUri and parseItem(...).uri write it: `https://id.gs1.org/01/{gtin14}/21/{serial}` with the
 * serial percent-encoded the canonical way, or `https://id.gs1.org/00/{sscc18}`; check digits and
 * the serial's character set and length checked. Throws Gs1Error: TOO_LONG beyond
 * MAX_CANONICAL_ITEM_LENGTH, NOT_CANONICAL (naming the canonical URI) for another spelling of a
 * valid item, and parseItem's own code (BAD_CHECK_DIGIT, BAD_LENGTH, ...) for anything else.
 * Accepts exactly the strings x with parseItem(x).uri === x.
 * @example readCanonicalItem('https://id.gs1.org/01/09520123456788/21/AB%2F1') // { kind: 'sgtin', gtin: '09520123456788', serial: 'AB/1', uri: ... }
 */
export function readCanonicalItem(uri: string): ItemId {
  checkLength('canonical item URI', uri, MAX_CANONICAL_ITEM_LENGTH);
  const known = recentlyRead.get(uri);
  if (known) return known;
  const quick = quickItem(uri);
  if (quick) return remember(uri, quick);
  // Not canonical, or invalid: the general parser tells which, and for which AI.
  const item = parseItem(uri, { today: EXPLAIN_DAY });
  if (item.uri === uri) return item;
  throw new Gs1Error('NOT_CANONICAL', `item ${uri} is not in canonical form: expected ${item.uri}`);
}
