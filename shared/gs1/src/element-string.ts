import { type Gs1Options, MAX_AIS, validateAiValue } from './ai-value.ts';
import { validateAssociations } from './associations.ts';
import { checkLength, MAX_SCAN_LENGTH } from './bounds.ts';
import { aiAtStart, needsFnc1, predefinedLength } from './dictionary.ts';
import { Gs1Error } from './errors.ts';
import { SYMBOLOGIES } from './symbology.ts';

/** FNC1 as scanners transmit it between variable-length fields: ASCII 29, group separator. */
export const GS = '\u001d';

/** Options of parseElementString. */
export interface ElementStringOptions extends Gs1Options {
  /** Require a leading GS standing for FNC1 in first position (raw encoder data). Default false. */
  requireLeadingFnc1?: boolean;
}

/**
 * Splits a scanned GS1 element string into (AI, value) pairs and validates each against the GS1
 * syntax dictionary. Accepts an optional GS1 symbology identifier (`]d2`, `]Q3`, `]C1`, `]e0`, `]J1`)
 * and an optional leading GS; predefined-length AIs need no GS after them, the others end at GS.
 * At most MAX_SCAN_LENGTH characters.
 * @example parseElementString(']d201095201234567881725063010ABC\u001d2112345')
 * // [['01','09520123456788'], ['17','250630'], ['10','ABC'], ['21','12345']]
 */
export function parseElementString(s: string, options: ElementStringOptions = {}): Array<[string, string]> {
  checkLength('element string', s, MAX_SCAN_LENGTH);
  let p = 0;
  const symbology = s.startsWith(']') ? SYMBOLOGIES[s.slice(0, 3)] : undefined;
  if (s.startsWith(']')) {
    if (symbology?.kind !== 'gs1') {
      throw new Gs1Error(
        'BAD_SYMBOLOGY',
        `symbology identifier ${s.slice(0, 3)} does not announce GS1 element strings (expected ]C1, ]e0, ]d2, ]Q3 or ]J1)`,
      );
    }
    p = 3;
  } else if (s[0] === GS) {
    p = 1;
  } else if (options.requireLeadingFnc1) {
    throw new Gs1Error('BAD_SYNTAX', 'element string must start with FNC1 (GS, ASCII 29) in first position');
  }
  if (p >= s.length) throw new Gs1Error('BAD_SYNTAX', 'element string contains no AI data');

  const ais: Array<[string, string]> = [];
  while (p < s.length) {
    if (s[p] === GS)
      throw new Gs1Error('BAD_SYNTAX', `unexpected GS (FNC1) at position ${p + 1}: no AI between separators`);
    const ai = aiAtStart(s.slice(p, p + 4), options.permitUnknownAIs ?? false);
    if (ai === undefined) {
      const rest = s.slice(p, p + 4).replaceAll(GS, '<GS>');
      throw new Gs1Error(
        'UNKNOWN_AI',
        `no known AI at position ${p + 1}: data "${rest}${s.length > p + 4 ? '...' : ''}"`,
      );
    }
    p += ai.length;
    const fixed = predefinedLength(ai);
    let end = s.indexOf(GS, p);
    if (end < 0) end = s.length;
    if (fixed !== null) end = Math.min(end, p + fixed);
    const value = s.slice(p, end);
    validateAiValue(ai, value, options);
    ais.push([ai, value]);
    if (ais.length > MAX_AIS)
      throw new Gs1Error('TOO_MANY_AIS', `more than ${MAX_AIS} AIs in one element string`);
    p = end;
    // A GS after a predefined-length AI is superfluous but harmless; after the others it is the separator.
    if (s[p] === GS) p++;
  }
  if (options.validateAssociations !== false) validateAssociations(ais, options);
  return ais;
}

/**
 * The element string for (AI, value) pairs: leading GS for FNC1 in first position, and a GS after
 * each variable-length AI that is not last.
 * @example formatElementString([['01','09520123456788'], ['10','ABC'], ['21','1']]) // '\x1d010952012345678810ABC\x1d211'
 */
export function formatElementString(ais: ReadonlyArray<readonly [string, string]>): string {
  return (
    GS + ais.map(([ai, value], i) => `${ai}${value}${i < ais.length - 1 && needsFnc1(ai) ? GS : ''}`).join('')
  );
}
