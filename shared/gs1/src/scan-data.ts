import { validateAssociations } from './associations.ts';
import { checkLength, MAX_SCAN_LENGTH } from './bounds.ts';
import { assertKey } from './checkdigit.ts';
import { type DigitalLinkOptions, parseDigitalLink } from './digital-link.ts';
import { parseElementString } from './element-string.ts';
import { Gs1Error } from './errors.ts';
import { SYMBOLOGIES } from './symbology.ts';

/** What a scanner transmitted, read according to its symbology identifier. */
export interface DecodedScan {
  /** Symbology name as GS1 tools report it: DM, QR, DotCode, DataBarExpanded, GS1_128_CCA, EAN13, EAN8. */
  symbology: string;
  /** All AI data carried, in order (for EAN/UPC: the GTIN as (01), then any composite component). */
  ais: Array<[string, string]>;
  /** Data of a non-GS1 mode (]d1, ]Q1, ]J0) that is not a Digital Link URI GS1 recognises. */
  plainData?: string;
  /** Plain data that is shaped like a Digital Link URI. */
  digitalLink?: string;
  /** The EAN-13/UPC-A or EAN-8 digits of an EAN/UPC symbol. */
  primaryData?: string;
}

// GS1 accepts only these exact spellings of the scheme; other casings are plain data, not a DL URI.
const DL_SCHEME = /^(?:http|HTTP|https|HTTPS):\/\//;

/**
 * Reads raw scanner output that starts with a symbology identifier (`]d2...`, `]Q1https://...`,
 * `]E0...|]e0...`), validating GS1 data it carries. At most MAX_SCAN_LENGTH characters.
 * @example decodeScanData(']d2010952012345678821ABC').ais // [['01','09520123456788'], ['21','ABC']]
 */
export function decodeScanData(scan: string, options: DigitalLinkOptions = {}): DecodedScan {
  checkLength('scan data', scan, MAX_SCAN_LENGTH);
  if (!/^\][A-Za-z][0-9A-Za-z]/.test(scan)) {
    throw new Gs1Error(
      'BAD_SYMBOLOGY',
      'scan data must start with a symbology identifier such as ]d2, ]Q3 or ]C1',
    );
  }
  const id = scan.slice(0, 3);
  const sym = SYMBOLOGIES[id];
  if (!sym)
    throw new Gs1Error('BAD_SYMBOLOGY', `symbology identifier ${id} is not one that carries GS1 data`);
  const data = scan.slice(3);

  if (sym.kind === 'gs1') {
    if (data === '') throw new Gs1Error('BAD_SYNTAX', `${id}: the GS1 AI data is empty`);
    return { symbology: sym.name, ais: parseElementString(scan, options) };
  }
  if (sym.kind === 'plain') {
    if (DL_SCHEME.test(data))
      return { symbology: sym.name, ais: parseDigitalLink(data, options), digitalLink: data };
    if (/^https?:\/\//i.test(data))
      return { symbology: sym.name, ais: [], plainData: data, digitalLink: data };
    return { symbology: sym.name, ais: [], plainData: data };
  }

  const bar = data.indexOf('|');
  const primary = bar < 0 ? data : data.slice(0, bar);
  const length = sym.name === 'EAN8' ? 8 : 13;
  if (primary.length !== length) {
    throw new Gs1Error(
      'BAD_LENGTH',
      `${id}: primary data must be ${length} digits, got ${primary.length} characters`,
    );
  }
  assertKey(`${id} primary data`, primary, [length]);
  const ais: Array<[string, string]> = [['01', primary.padStart(14, '0')]];
  if (bar >= 0) {
    const composite = data.slice(bar + 1);
    if (!composite.startsWith(']e0')) {
      throw new Gs1Error('BAD_SYMBOLOGY', `${id}: composite component after "|" must start with ]e0`);
    }
    ais.push(...parseElementString(composite, { ...options, validateAssociations: false }));
    if (options.validateAssociations !== false) validateAssociations(ais, options);
  }
  return { symbology: sym.name, ais, primaryData: primary };
}
