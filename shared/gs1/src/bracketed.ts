import { type Gs1Options, MAX_AIS, validateAiValue } from './ai-value.ts';
import { validateAssociations } from './associations.ts';
import { checkLength, MAX_SCAN_LENGTH } from './bounds.ts';
import { aiSpec, isPlausibleAi } from './dictionary.ts';
import { aiError, Gs1Error } from './errors.ts';

/**
 * Splits GS1 bracketed data, `(01)09520123456788(21)ABC`, into validated (AI, value) pairs.
 * A literal `(` inside a value is written `\(`, as GS1 defines. At most MAX_SCAN_LENGTH characters.
 * @example parseBracketed('(10)A\\(1)(01)09520123456788') // [['10','A(1)'], ['01','09520123456788']]
 */
export function parseBracketed(s: string, options: Gs1Options = {}): Array<[string, string]> {
  checkLength('bracketed data', s, MAX_SCAN_LENGTH);
  if (!s.startsWith('(')) {
    throw new Gs1Error('BAD_SYNTAX', `bracketed data must start with "(" and an AI, got "${s.slice(0, 10)}"`);
  }
  const ais: Array<[string, string]> = [];
  let p = 0;
  while (p < s.length) {
    const close = s.indexOf(')', p);
    if (close < 0)
      throw new Gs1Error('BAD_SYNTAX', `AI at position ${p + 1} has no closing ")": "${s.slice(p, p + 6)}"`);
    const ai = s.slice(p + 1, close);
    if (!aiSpec(ai) && !(options.permitUnknownAIs && isPlausibleAi(ai))) {
      throw new Gs1Error(
        'UNKNOWN_AI',
        `(${ai}) at position ${p + 1} is not a known Application Identifier`,
        ai,
      );
    }
    let value = '';
    p = close + 1;
    while (p < s.length && s[p] !== '(') {
      if (s[p] === '\\' && s[p + 1] === '(') {
        value += '(';
        p += 2;
      } else {
        value += s[p];
        p++;
      }
    }
    if (value === '') throw aiError('BAD_LENGTH', ai, 'value is empty');
    validateAiValue(ai, value, options);
    ais.push([ai, value]);
    if (ais.length > MAX_AIS)
      throw new Gs1Error('TOO_MANY_AIS', `more than ${MAX_AIS} AIs in one bracketed string`);
  }
  if (options.validateAssociations !== false) validateAssociations(ais, options);
  return ais;
}

/** The bracketed form of (AI, value) pairs, escaping `(` in values as `\(`. */
export function formatBracketed(ais: ReadonlyArray<readonly [string, string]>): string {
  return ais.map(([ai, value]) => `(${ai})${value.replaceAll('(', '\\(')}`).join('');
}
