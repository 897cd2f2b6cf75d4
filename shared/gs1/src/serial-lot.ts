import { charsetProblem } from './charset.ts';
import { Gs1Error } from './errors.ts';

function validateX20(label: string, ai: string, s: string): string {
  if (s.length < 1 || s.length > 20) {
    throw new Gs1Error('BAD_LENGTH', `${label}: must be 1 to 20 characters, got ${s.length}`, ai);
  }
  const problem = charsetProblem(s, 'X');
  if (problem) throw new Gs1Error('BAD_CHARSET', `${label}: ${problem}`, ai);
  return s;
}

/**
 * Returns `s` if it is a valid serial number (AI 21: 1 to 20 characters of GS1 character set 82).
 * @example validateSerial('A1|2') // throws "serial: character '|' at position 3 is not in GS1 character set 82"
 */
export function validateSerial(s: string): string {
  return validateX20('serial', '21', s);
}

/** Returns `s` if it is a valid batch/lot number (AI 10: 1 to 20 characters of GS1 character set 82). */
export function validateLot(s: string): string {
  return validateX20('lot', '10', s);
}
