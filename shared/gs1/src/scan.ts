import { parseBracketed } from './bracketed.ts';
import { checkLength, MAX_SCAN_LENGTH, trimLineEnd } from './bounds.ts';
import { type DigitalLinkOptions, parseDigitalLink } from './digital-link.ts';
import { parseElementString } from './element-string.ts';
import { parseEpcUrn } from './epc-urn.ts';
import { Gs1Error } from './errors.ts';
import { decodeScanData } from './scan-data.ts';

/** The AI data of one scan, with the fields rxledger uses picked out (values as scanned). */
export interface ScanData {
  ais: Array<[ai: string, value: string]>;
  gtin?: string;
  serial?: string;
  lot?: string;
  expiry?: string;
  sscc?: string;
}

/**
 * The (AI, value) pairs of any GS1 input form: scanner output with a symbology identifier, an
 * element string (optionally starting with GS), bracketed `(01)...`, a Digital Link URI, or an EPC
 * URN (sgtin, sscc). A trailing CR/LF, as keyboard-wedge scanners send it, is ignored. At most
 * MAX_SCAN_LENGTH characters.
 */
export function scanAis(input: string, options: DigitalLinkOptions = {}): Array<[string, string]> {
  checkLength('scan', input, MAX_SCAN_LENGTH);
  const s = trimLineEnd(input);
  if (s === '') throw new Gs1Error('BAD_SYNTAX', 'input is empty');
  if (s.startsWith(']')) {
    const decoded = decodeScanData(s, options);
    if (decoded.ais.length === 0) {
      throw new Gs1Error(
        'BAD_SYNTAX',
        `${s.slice(0, 3)} scan carries plain data, not GS1 data: "${decoded.plainData ?? ''}"`,
      );
    }
    return decoded.ais;
  }
  if (s.startsWith('(')) return parseBracketed(s, options);
  if (isUrn(s)) {
    const id = parseEpcUrn(s);
    if (id.kind === 'sgtin')
      return [
        ['01', id.gtin],
        ['21', id.serial],
      ];
    if (id.kind === 'sscc') return [['00', id.sscc]];
    if (id.kind === 'pgln') return [['417', id.gln]];
    return id.extension
      ? [
          ['414', id.gln],
          ['254', id.extension],
        ]
      : [['414', id.gln]];
  }
  // Anything with a URI scheme goes to the Digital Link parser, which explains a wrong scheme.
  if (hasUriScheme(s)) return parseDigitalLink(s, options);
  return parseElementString(s, options);
}

/** Whether `s` starts with `urn:`, in any case. */
export function isUrn(s: string): boolean {
  return s.slice(0, 4).toLowerCase() === 'urn:';
}

// RFC 3986 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":". A loop: no regex over unbounded input.
function hasUriScheme(s: string): boolean {
  const isAlpha = (c: string) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  if (!isAlpha(s[0] ?? '')) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === ':') return true;
    if (!isAlpha(c) && !(c >= '0' && c <= '9') && c !== '+' && c !== '-' && c !== '.') return false;
  }
  return false;
}

/**
 * Parses what a scanner or partner system sends (element string with or without symbology
 * identifier, bracketed, Digital Link URI or EPC URN) and picks out GTIN, serial, lot, expiry, SSCC.
 * At most MAX_SCAN_LENGTH characters (TOO_LONG beyond).
 * @example parseScan('(01)09520123456788(17)261231(10)L1(21)S1').expiry // '261231'
 */
export function parseScan(input: string, options: DigitalLinkOptions = {}): ScanData {
  const ais = scanAis(input, options);
  const get = (ai: string) => ais.find(([a]) => a === ai)?.[1];
  const out: ScanData = { ais };
  const fields = { gtin: '01', serial: '21', lot: '10', expiry: '17', sscc: '00' } as const;
  for (const [field, ai] of Object.entries(fields) as Array<[keyof typeof fields, string]>) {
    const value = get(ai);
    if (value !== undefined) out[field] = value;
  }
  return out;
}
