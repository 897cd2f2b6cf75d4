import { Gs1Error, type Gs1ErrorCode, showChar } from './errors.ts';

const DIGITS = /^[0-9]+$/;

/**
 * GS1 mod-10 check digit of the digits that precede it (GTIN, GLN, SSCC, GSRN, GDTI, ...).
 * @example checkDigit('0950110153000') // '3'
 */
export function checkDigit(digitsWithoutCheck: string): string {
  if (!DIGITS.test(digitsWithoutCheck)) {
    throw new Gs1Error(
      'BAD_CHARSET',
      `check digit: '${digitsWithoutCheck}' is not a non-empty string of digits`,
    );
  }
  // Weights 3,1,3,1,... from the rightmost digit, so every key length shares one rule.
  let sum = 0;
  for (let i = digitsWithoutCheck.length - 1, w = 3; i >= 0; i--, w = 4 - w) {
    sum += (digitsWithoutCheck.charCodeAt(i) - 48) * w;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Throws unless `value` is exactly `lengths` digits ending in a correct check digit; `label` names it in messages. */
export function assertKey(label: string, value: string, lengths: readonly number[], ai?: string): void {
  const bad = value.search(/[^0-9]/);
  if (bad >= 0)
    throw keyError(
      label,
      ai,
      'BAD_CHARSET',
      `character ${showChar(value[bad] ?? '')} at position ${bad + 1} is not a digit`,
    );
  if (!lengths.includes(value.length)) {
    const want =
      lengths.length === 1 ? `${lengths[0]}` : `${lengths.slice(0, -1).join(', ')} or ${lengths.at(-1)}`;
    throw keyError(label, ai, 'BAD_LENGTH', `must be ${want} digits, got ${value.length}`);
  }
  const expected = checkDigit(value.slice(0, -1));
  const actual = value.slice(-1);
  if (actual !== expected)
    throw keyError(label, ai, 'BAD_CHECK_DIGIT', `check digit is ${actual}, expected ${expected}`);
}

// A module function, not a closure in assertKey: assertKey runs for every key of every request.
function keyError(label: string, ai: string | undefined, code: Gs1ErrorCode, msg: string): Gs1Error {
  return new Gs1Error(code, `${label}: ${msg}`, ai);
}

function holds(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/** Whether `s` is a GTIN-8, -12, -13 or -14 with a correct check digit. */
export function isValidGtin(s: string): boolean {
  return holds(() => assertKey('GTIN', s, [8, 12, 13, 14]));
}

/**
 * The GTIN-14 form of a GTIN-8/12/13/14 (left-padded with zeros); throws Gs1Error if malformed.
 * @example normalizeGtin('9520123456788') // '09520123456788'
 */
export function normalizeGtin(s: string): string {
  assertKey('GTIN', s, [8, 12, 13, 14]);
  return s.padStart(14, '0');
}

/** Whether `s` is a 13-digit GLN with a correct check digit. */
export function isValidGln(s: string): boolean {
  return holds(() => assertKey('GLN', s, [13]));
}

/** Whether `s` is an 18-digit SSCC with a correct check digit. */
export function isValidSscc(s: string): boolean {
  return holds(() => assertKey('SSCC', s, [18]));
}
