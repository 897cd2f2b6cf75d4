import type { DigitalLinkOptions } from './digital-link.ts';
import { parseEpcUrn } from './epc-urn.ts';
import { validateAiValue } from './ai-value.ts';
import { Gs1Error } from './errors.ts';
import { type ItemId, sgtinItem, ssccItem } from './item-uri.ts';
import { scanAis } from './scan.ts';

// The canonical URIs every event on the ledger names its items by, with values that need no
// percent-decoding: for these the whole Digital Link grammar reduces to checking the two values.
const CANONICAL_SGTIN = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\/([A-Za-z0-9\-._]{1,20})$/;
const CANONICAL_SSCC = /^https:\/\/id\.gs1\.org\/00\/(\d{18})$/;

/** The item of an input already in canonical form with valid values; undefined sends it the long way. */
function canonicalItem(input: string, options: DigitalLinkOptions): ItemId | undefined {
  try {
    const sgtin = CANONICAL_SGTIN.exec(input);
    if (sgtin) {
      const [, gtin, serial] = sgtin as unknown as [string, string, string];
      validateAiValue('01', gtin, options);
      validateAiValue('21', serial, options);
      return { kind: 'sgtin', gtin, serial, uri: input };
    }
    const sscc = CANONICAL_SSCC.exec(input);
    if (sscc) {
      validateAiValue('00', sscc[1]!, options);
      return { kind: 'sscc', sscc: sscc[1]!, uri: input };
    }
  } catch {
    // An invalid value: the general parser below reports it, in its own words.
  }
  return undefined;
}

/**
 * The SGTIN (pack) or SSCC (case, pallet) named by any input form of DESIGN.md §2, in canonical
 * form; other AIs in the input (lot, expiry, ...) are validated and then left aside.
 * @example parseItem('urn:epc:id:sscc:0614141.1234567890').uri // 'https://id.gs1.org/00/106141412345678908'
 */
export function parseItem(input: string, options: DigitalLinkOptions = {}): ItemId {
  const canonical = canonicalItem(input, options);
  if (canonical) return canonical;
  const s = input.replace(/[\r\n]+$/, '');
  if (/^urn:/i.test(s)) {
    const id = parseEpcUrn(s);
    if (id.kind === 'sgln')
      throw new Gs1Error('NOT_AN_ITEM', `${s} is a location (SGLN), not a pack or container`);
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
