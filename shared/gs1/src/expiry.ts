import { Gs1Error } from './errors.ts';

/**
 * The four-digit year of a two-digit YY per GS1 General Specifications 7.12: relative to the
 * current year, a difference of 51..99 means the previous century, -99..-50 the next one.
 * @example fullYear(99, new Date('2025-06-01')) // 1999; fullYear(75, ...) // 2075
 */
export function fullYear(yy: number, today: Date = new Date()): number {
  const current = today.getUTCFullYear();
  const century = current - (current % 100);
  const diff = yy - (current % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

/** Number of days in `month` (1-12) of `year`, Gregorian. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Why MM and DD of a date are impossible in `year` (DD=00 allowed when `zeroDay`), or null. */
export function monthDayProblem(year: number, mm: string, dd: string, zeroDay: boolean): string | null {
  const month = Number(mm);
  if (month < 1 || month > 12) return `month ${mm} is not 01 to 12`;
  const day = Number(dd);
  if (day === 0 && zeroDay) return null;
  const last = daysInMonth(year, month);
  if (day < 1 || day > last)
    return `day ${dd} does not exist in ${year}-${mm} (01 to ${last}${zeroDay ? ', or 00' : ''})`;
  return null;
}

/**
 * Validates an expiry date (AI 17, YYMMDD; DD=00 means the last day of the month) and resolves it,
 * placing the century by the GS1 rule relative to `today` (default: now), so pass `today` for a pure call.
 * @example parseExpiry('250200', new Date('2024-01-01')) // { yymmdd: '250200', date: '2025-02-28' }
 */
export function parseExpiry(yymmdd: string, today?: Date): { yymmdd: string; date: string } {
  if (yymmdd.length !== 6) {
    throw new Gs1Error(
      'BAD_LENGTH',
      `expiry: must be 6 digits YYMMDD, got ${yymmdd.length} characters`,
      '17',
    );
  }
  const bad = [...yymmdd].findIndex((c) => c < '0' || c > '9');
  if (bad >= 0) {
    throw new Gs1Error(
      'BAD_CHARSET',
      `expiry: character '${yymmdd[bad]}' at position ${bad + 1} is not a digit`,
      '17',
    );
  }
  const year = fullYear(Number(yymmdd.slice(0, 2)), today ?? new Date());
  const mm = yymmdd.slice(2, 4);
  const dd = yymmdd.slice(4, 6);
  const problem = monthDayProblem(year, mm, dd, true);
  if (problem) throw new Gs1Error('BAD_DATE', `expiry ${yymmdd}: ${problem}`, '17');
  const day = dd === '00' ? String(daysInMonth(year, Number(mm))) : dd;
  return { yymmdd, date: `${year}-${mm}-${day}` };
}
