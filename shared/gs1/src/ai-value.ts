import { charsetProblem } from './charset.ts';
import { aiSpec, fixedLength, formatSpec, isPlausibleAi } from './dictionary.ts';
import { aiError } from './errors.ts';
import { LINTERS } from './linters.ts';

/** Options shared by every parser; the defaults are GS1's own (those of the GS1 syntax engine). */
export interface Gs1Options {
  /** Accept AIs the dictionary does not define (their data is only checked against character set 82). Default false. */
  permitUnknownAIs?: boolean;
  /** Check the cross-AI rules: repeated AIs, mutually exclusive AIs, required AIs. Default true. */
  validateAssociations?: boolean;
  /** Within the cross-AI rules, check that every AI's required companions (`req=`) are present. Default true. */
  validateRequisites?: boolean;
  /** Reference date for placing two-digit years in a century (GS1 General Specifications 7.12). Default now. */
  today?: Date;
}

/** Most AIs one message may carry; a bound on work per input, as in GS1's syntax engine. */
export const MAX_AIS = 64;

// What GS1 syntax tools assume for an AI they do not know: up to 90 characters of set 82.
const UNKNOWN_AI_MAX = 90;

/**
 * Throws a Gs1Error naming the AI unless `value` has the length, character set and content (check
 * digits, dates, codes) the GS1 syntax dictionary requires of `ai`.
 * @example validateAiValue('01', '09520123456781') // throws "AI (01): check digit is 1, expected 8"
 */
export function validateAiValue(ai: string, value: string, options: Gs1Options = {}): void {
  const spec = aiSpec(ai);
  if (!spec) {
    if (!options.permitUnknownAIs || !isPlausibleAi(ai))
      throw aiError('UNKNOWN_AI', ai, 'not a known Application Identifier');
    if (value === '') throw aiError('BAD_LENGTH', ai, 'value is empty');
    if (value.length > UNKNOWN_AI_MAX) {
      throw aiError('BAD_LENGTH', ai, `value is ${value.length} characters, more than ${UNKNOWN_AI_MAX}`);
    }
    const problem = charsetProblem(value, 'X');
    if (problem) throw aiError('BAD_CHARSET', ai, problem);
    return;
  }

  const fixed = fixedLength(spec);
  const digitsOnly = spec.components.every((c) => c.cset === 'N');
  const lengthError = (why: string) => {
    const expected =
      fixed === null ? `format ${formatSpec(spec)}` : `${fixed} ${digitsOnly ? 'digits' : 'characters'}`;
    return aiError('BAD_LENGTH', ai, `${why}: expected ${expected}, got ${value.length}`);
  };
  if (value === '') throw aiError('BAD_LENGTH', ai, 'value is empty');
  const max = spec.components.reduce((n, c) => n + c.max, 0);
  if (value.length > max) throw lengthError('value too long');

  const ctx = { today: options.today ?? new Date() };
  let pos = 0;
  for (const comp of spec.components) {
    const rest = value.length - pos;
    if (rest === 0 && comp.optional) break;
    if (rest < comp.min) throw lengthError('value too short');
    const len = Math.min(rest, comp.max);
    const part = value.slice(pos, pos + len);

    if (comp.cset === 'Z') {
      // Base64url padding is optional, but when present it must complete the last group of three.
      let pads = 0;
      while (pads < part.length && part[part.length - 1 - pads] === '=') pads++;
      const body = part.slice(0, part.length - pads);
      if (pads > 2 || (pads > 0 && part.length % 3 !== 0)) {
        throw aiError(
          'BAD_CHARSET',
          ai,
          `${pads} base64 padding character(s) do not fit a length of ${body.length}`,
        );
      }
      const problem = charsetProblem(body, 'Z', pos);
      if (problem) throw aiError('BAD_CHARSET', ai, problem);
    } else {
      const problem = charsetProblem(part, comp.cset, pos);
      if (problem) throw aiError('BAD_CHARSET', ai, problem);
    }

    for (const name of comp.linters) {
      const linter = LINTERS[name];
      if (!linter) throw new Error(`GS1 dictionary names linter '${name}' that is not implemented`);
      const failure = linter(part, ctx);
      if (failure) throw aiError(failure.code, ai, failure.message);
    }
    pos += len;
  }
  if (pos < value.length) throw lengthError('value too long');
}
