// RFC 3339 date-times with a mandatory zone offset, kept as epoch milliseconds plus the offset in
// minutes: the pair the custody event schema stores, from which the original local time is rebuilt.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})?$/;

/** A parsed RFC 3339 date-time. */
export interface ZonedTime {
  epochMs: number;
  /** Minutes east of UTC, -1439..1439. */
  offsetMinutes: number;
}

/**
 * Parses an RFC 3339 date-time that carries a zone offset; fractions beyond milliseconds are
 * truncated. Returns the reason as a string when `s` is not one.
 * @example parseRfc3339('2025-01-15T10:30:00+01:00') // { epochMs: 1736933400000, offsetMinutes: 60 }
 */
export function parseRfc3339(s: string): ZonedTime | string {
  const m = RFC3339.exec(s);
  if (m === null) return 'must be an RFC 3339 date-time such as 2025-01-15T10:30:00+01:00';
  const [, y, mo, d, h, mi, sec, frac, zone] = m as unknown as string[];
  if (zone === undefined) return 'needs a zone offset (Z or ±hh:mm), or the instant is ambiguous';
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number) as number[];
  if (month! < 1 || month! > 12) return `month ${mo} is not 01..12`;
  const days = new Date(Date.UTC(2000, month!, 0)).getUTCDate() + (month === 2 && !isLeap(year!) ? -1 : 0);
  if (day! < 1 || day! > days) return `day ${d} does not exist in ${y}-${mo}`;
  if (hour! > 23 || minute! > 59) return `time ${h}:${mi} is not a valid time of day`;
  if (second === 60) return 'leap seconds (:60) cannot be represented';
  if (second! > 59) return `second ${sec} is not 00..59`;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return `zone offset ${zone} is not a valid offset`;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac === undefined ? 0 : Number(frac.slice(1, 4).padEnd(3, '0'));
  // setUTCFullYear, because Date.UTC maps years 0..99 to 1900..1999.
  const local = new Date(0);
  local.setUTCFullYear(year!, month! - 1, day!);
  local.setUTCHours(hour!, minute!, second!, ms);
  return { epochMs: local.getTime() - offsetMinutes * 60_000, offsetMinutes };
}

/**
 * The RFC 3339 text of an instant in the given zone offset; milliseconds only when non-zero, `Z` for
 * offset 0.
 * @example formatRfc3339(1736933400000, 60) // '2025-01-15T10:30:00+01:00'
 */
export function formatRfc3339(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString();
  const body = local.endsWith('.000Z') ? local.slice(0, -5) : local.slice(0, -1);
  if (offsetMinutes === 0) return `${body}Z`;
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${body}${offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
