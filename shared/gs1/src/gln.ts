import { checkLength, MAX_SCAN_LENGTH } from './bounds.ts';
import { parseBracketed } from './bracketed.ts';
import { assertKey } from './checkdigit.ts';
import { parseDigitalLinkParts } from './digital-link.ts';
import { parseEpcUrn } from './epc-urn.ts';
import { Gs1Error } from './errors.ts';
import { isUrn } from './scan.ts';

// A party is a party GLN (417), a site a physical location GLN (414); both name a GLN.
const GLN_AIS = ['414', '417'];

/**
 * The 13-digit GLN in `s`: the digits themselves, `urn:epc:id:sgln:...`, a Digital Link URI keyed
 * by /414/ or /417/, or bracketed `(414)...`; check digit always checked. At most MAX_SCAN_LENGTH characters.
 * @example parseGln('urn:epc:id:sgln:0614141.12345.0') // '0614141123452'
 */
export function parseGln(s: string): string {
  checkLength('GLN', s, MAX_SCAN_LENGTH);
  if (/^[0-9]+$/.test(s)) {
    assertKey('GLN', s, [13], '414');
    return s;
  }
  if (isUrn(s)) {
    const id = parseEpcUrn(s);
    if (id.kind !== 'sgln' && id.kind !== 'pgln')
      throw new Gs1Error(
        'BAD_VALUE',
        `${s} is an ${id.kind.toUpperCase()}, not a GLN (urn:epc:id:sgln:... or urn:epc:id:pgln:...)`,
      );
    return id.gln;
  }
  if (/^https?:\/\//i.test(s)) {
    const [key] = parseDigitalLinkParts(s).path;
    if (!key || !GLN_AIS.includes(key[0])) {
      throw new Gs1Error(
        'BAD_VALUE',
        `Digital Link ${s} is keyed by (${key?.[0]}), not by a GLN (414) or (417)`,
      );
    }
    return key[1];
  }
  if (s.startsWith('(')) {
    const found = parseBracketed(s, { validateAssociations: false }).find(([ai]) => GLN_AIS.includes(ai));
    if (!found) throw new Gs1Error('BAD_VALUE', `${s} carries no GLN AI (414) or (417)`);
    return found[1];
  }
  throw new Gs1Error(
    'BAD_SYNTAX',
    `"${s}" is not a GLN: expected 13 digits, urn:epc:id:sgln:..., a Digital Link with /414/ or /417/, or (414)...`,
  );
}
