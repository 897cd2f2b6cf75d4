import { assertKey } from './checkdigit.ts';
import { formatDigitalLink } from './digital-link.ts';
import { validateSerial } from './serial-lot.ts';

/** A serialised pack (SGTIN) or a logistic unit (SSCC), with its canonical rxledger URI. */
export type ItemId =
  { kind: 'sgtin'; gtin: string; serial: string; uri: string } | { kind: 'sscc'; sscc: string; uri: string };

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
