import { Gs1Error, type ItemId, readCanonicalItem } from '@rxledger/gs1';

/** What kind of thing an item URI names, and its GS1 keys. */
export interface ParsedItemUri {
  kind: 'pack' | 'container';
  gtin?: string;
  serial?: string;
  sscc?: string;
}

/**
 * Splits a canonical item URI (DESIGN §2) with @rxledger/gs1's one strict reader. Events reaching the
 * fold were validated upstream, so anything else is kept as a pack without keys rather than thrown
 * on: the fold must not crash on evidence.
 * @example parseItemUri('https://id.gs1.org/00/106141412345678908') // { kind: 'container', sscc: '106141412345678908' }
 */
export function parseItemUri(uri: string): ParsedItemUri {
  let item: ItemId;
  try {
    item = readCanonicalItem(uri);
  } catch (err) {
    if (err instanceof Gs1Error) return { kind: 'pack' };
    throw err;
  }
  return item.kind === 'sscc'
    ? { kind: 'container', sscc: item.sscc }
    : { kind: 'pack', gtin: item.gtin, serial: item.serial };
}
