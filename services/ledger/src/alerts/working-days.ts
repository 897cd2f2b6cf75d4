const DAY_MS = 86_400_000;

/** Default time a manufacturer has to answer an alert before it escalates (issue 18, as in the EU system). */
export const DEFAULT_ESCALATION_WORKING_DAYS = 2;

/**
 * The instant `workingDays` working days (Monday to Friday, UTC) after `from`, at the same time of day:
 * raised on a Friday at 10:00 with 2 days, due Tuesday 10:00. Holidays are not known here.
 * @example dueAfterWorkingDays(Date.parse('2026-06-05T10:00:00Z'), 2) // 2026-06-09T10:00:00Z
 */
export function dueAfterWorkingDays(from: number, workingDays: number): number {
  let due = from;
  for (let counted = 0; counted < workingDays;) {
    due += DAY_MS;
    const weekday = new Date(due).getUTCDay();
    if (weekday !== 0 && weekday !== 6) counted++;
  }
  return due;
}
