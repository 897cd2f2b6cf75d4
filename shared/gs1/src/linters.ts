// The content checks ("linters") that GS1's Barcode Syntax Dictionary names after each component of
// an AI's format, e.g. `N14,csum,gcppos2`. Each gets one component's data, already checked for
// length and character set, and returns what is wrong with it or null.

import { CSET32, CSET82, firstOutside } from './charset.ts';
import { checkDigit } from './checkdigit.ts';
import type { Gs1ErrorCode } from './errors.ts';
import { fullYear, monthDayProblem } from './expiry.ts';
import { ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC } from './iso-codes.ts';

/** What a linter needs besides the data: the reference date for two-digit years. */
export interface LintContext {
  today: Date;
}

/** A linter's verdict on bad data. */
export interface LintFailure {
  code: Gs1ErrorCode;
  message: string;
}

type Linter = (data: string, ctx: LintContext) => LintFailure | null;

const fail = (code: Gs1ErrorCode, message: string): LintFailure => ({ code, message });
const bad = (message: string): LintFailure => fail('BAD_VALUE', message);
const isDigits = (s: string) => /^[0-9]*$/.test(s);

// The shortest GS1 Company Prefix has 4 digits, so a key must start with at least that many.
const GCP_MIN_LENGTH = 4;

function gcpAt(data: string, start: number): LintFailure | null {
  const gcp = data.slice(start);
  if (gcp.length < GCP_MIN_LENGTH)
    return bad(`too short to start with a GS1 Company Prefix (at least ${GCP_MIN_LENGTH} digits)`);
  const i = firstOutside(gcp.slice(0, GCP_MIN_LENGTH), '0123456789');
  if (i >= 0) return bad(`GS1 Company Prefix must be digits, found '${gcp[i]}' at position ${start + i + 1}`);
  return null;
}

function csum(data: string): LintFailure | null {
  if (data.length < 2) return fail('BAD_LENGTH', 'too short to carry a check digit');
  const expected = checkDigit(data.slice(0, -1));
  const actual = data.slice(-1);
  return actual === expected
    ? null
    : fail('BAD_CHECK_DIGIT', `check digit is ${actual}, expected ${expected}`);
}

// GS1 General Specifications "check character calculation (for alphanumeric keys)": CSET 82 values
// weighted by ascending primes from the right, sum mod 1021 split into two CSET 32 characters.
const PRIMES = (() => {
  const out: number[] = [];
  for (let n = 2; out.length < 97; n++) if (out.every((p) => n % p !== 0)) out.push(n);
  return out;
})();

function csumalpha(data: string): LintFailure | null {
  if (data.length < 2) return fail('BAD_LENGTH', 'too short to carry a check character pair');
  const body = data.slice(0, -2);
  const pair = data.slice(-2);
  if (body.length > PRIMES.length)
    return fail('BAD_LENGTH', 'too long for the check character pair calculation');
  const i = firstOutside(pair, CSET32);
  if (i >= 0) return fail('BAD_CHARSET', `check character '${pair[i]}' is not in GS1 character set 32`);
  let sum = 0;
  for (let k = 0; k < body.length; k++)
    sum += CSET82.indexOf(body[k] ?? '') * (PRIMES[body.length - 1 - k] ?? 0);
  sum %= 1021;
  const expected = `${CSET32[sum >> 5]}${CSET32[sum & 31]}`;
  return pair === expected
    ? null
    : fail('BAD_CHECK_DIGIT', `check character pair is ${pair}, expected ${expected}`);
}

function date(data: string, year: number, zeroDay: boolean): LintFailure | null {
  const problem = monthDayProblem(year, data.slice(-4, -2), data.slice(-2), zeroDay);
  return problem ? fail('BAD_DATE', `date ${data}: ${problem}`) : null;
}

function range(what: string, code: Gs1ErrorCode, value: string, max: number): LintFailure | null {
  return Number(value) <= max
    ? null
    : fail(code, `${what} ${value} is not 00 to ${String(max).padStart(2, '0')}`);
}

function oneOf(what: string, allowed: readonly string[]): Linter {
  return (d) =>
    allowed.includes(d)
      ? null
      : bad(`${what} must be ${allowed.map((a) => `"${a}"`).join(', ')}; got "${d}"`);
}

function inSet(what: string, set: ReadonlySet<string>, extra?: string): Linter {
  return (d) => (set.has(d) || d === extra ? null : bad(`"${d}" is not a valid ${what}`));
}

// IBAN: ISO 13616 mod-97 over the characters rearranged to start after the check digits.
function iban(data: string): LintFailure | null {
  if (data.length < 4) return bad('IBAN is too short');
  if (!ISO3166_ALPHA2.has(data.slice(0, 2)))
    return bad(`IBAN must start with an ISO 3166 alpha-2 country code, got "${data.slice(0, 2)}"`);
  if (data.length > 34) return bad('IBAN is longer than 34 characters');
  if (data.length <= 10) return bad('IBAN is too short');
  const i = firstOutside(data, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  if (i >= 0)
    return fail('BAD_CHARSET', `IBAN character '${data[i]}' at position ${i + 1} is not 0-9 or A-Z`);
  let rest = 0;
  for (const c of data.slice(4) + data.slice(0, 4)) {
    const v = Number.parseInt(c, 36);
    rest = (rest * (v < 10 ? 10 : 100) + v) % 97;
  }
  return rest === 1 ? null : fail('BAD_CHECK_DIGIT', `IBAN check digits ${data.slice(2, 4)} are incorrect`);
}

/** Stops a coupon walk at the first bad field. */
class CouponFieldError extends Error {}

/** A cursor over all-digit coupon data, failing with the name of the field it ran out at. */
class Fields {
  pos = 0;
  constructor(readonly data: string) {}
  get done() {
    return this.pos >= this.data.length;
  }
  peek() {
    return this.data[this.pos] ?? '';
  }
  digit(name: string, allowed: string): string {
    if (this.done) throw new CouponFieldError(`coupon ${name} is missing`);
    const d = this.peek();
    if (!allowed.includes(d))
      throw new CouponFieldError(`coupon ${name} must be one of ${[...allowed].join(', ')}; got "${d}"`);
    this.pos++;
    return d;
  }
  take(name: string, n: number): string {
    if (this.data.length - this.pos < n)
      throw new CouponFieldError(`coupon ${name} is shorter than its ${n} digits`);
    this.pos += n;
    return this.data.slice(this.pos - n, this.pos);
  }
  gcp(name: string, n: number) {
    const problem = gcpAt(this.take(name, n), 0);
    if (problem) throw new CouponFieldError(`coupon ${name}: ${problem.message}`);
  }
  end() {
    if (!this.done)
      throw new CouponFieldError(
        `coupon has excess data "${this.data.slice(this.pos)}" after its last recognised field`,
      );
  }
}

function coupon(data: string, parse: (f: Fields) => void): LintFailure | null {
  const i = firstOutside(data, '0123456789');
  if (i >= 0) return fail('BAD_CHARSET', `coupon character '${data[i]}' at position ${i + 1} is not a digit`);
  try {
    parse(new Fields(data));
    return null;
  } catch (err) {
    if (err instanceof CouponFieldError) return bad(err.message);
    throw err;
  }
}

function purchase(f: Fields, nth: string, withGcp: boolean): void {
  const vli = Number(f.digit(`${nth} purchase requirement VLI`, '12345'));
  f.take(`${nth} purchase requirement`, vli);
  f.digit(`${nth} purchase requirement code`, '012349');
  f.take(`${nth} purchase family code`, 3);
  if (!withGcp) return;
  const gcpVli = f.digit(`${nth} purchase GS1 Company Prefix VLI`, '01234569');
  if (gcpVli !== '9') f.gcp(`${nth} purchase GS1 Company Prefix`, Number(gcpVli) + 6);
}

// North American Coupon Code carried in AI (8110): mandatory fields, then optional fields 1-6 and 9 in order.
function couponcode(data: string, ctx: LintContext): LintFailure | null {
  return coupon(data, (f) => {
    f.gcp('primary GS1 Company Prefix', Number(f.digit('primary GS1 Company Prefix VLI', '0123456')) + 6);
    f.take('offer code', 6);
    f.take('save value', Number(f.digit('save value VLI', '12345')));
    purchase(f, 'primary', false);
    if (f.peek() === '1') {
      f.pos++;
      f.digit('additional purchase rules code', '0123');
      purchase(f, 'second', true);
    }
    if (f.peek() === '2') {
      f.pos++;
      purchase(f, 'third', true);
    }
    let expiry: string | undefined;
    for (const [flag, name] of [
      ['3', 'expiration date'],
      ['4', 'start date'],
    ] as const) {
      if (f.peek() !== flag) continue;
      f.pos++;
      const d = f.take(name, 6);
      if (date(d, fullYear(Number(d.slice(0, 2)), ctx.today), false))
        throw new CouponFieldError(`coupon ${name} ${d} is not a valid YYMMDD date`);
      if (flag === '3') expiry = d;
      else if (expiry !== undefined && expiry < d)
        throw new CouponFieldError(`coupon expiration date ${expiry} precedes its start date ${d}`);
    }
    if (f.peek() === '5') {
      f.pos++;
      f.take('serial number', Number(f.digit('serial number VLI', '0123456789')) + 6);
    }
    if (f.peek() === '6') {
      f.pos++;
      f.gcp('retailer GS1 Company Prefix or GLN', Number(f.digit('retailer GCP/GLN VLI', '1234567')) + 6);
    }
    if (f.peek() === '9') {
      f.pos++;
      f.digit('save value code', '01256');
      f.digit('save value applies to item', '012');
      f.digit('store coupon flag', '0123456789');
      f.digit("don't multiply flag", '01');
    }
    f.end();
  });
}

// Paperless coupon (AI 8112): format code, funder, offer code and serial number, nothing more.
function couponposoffer(data: string): LintFailure | null {
  return coupon(data, (f) => {
    f.digit('format code', '01');
    f.take('funder', Number(f.digit('funder VLI', '0123456')) + 6);
    f.take('offer code', 6);
    f.take('serial number', Number(f.digit('serial number VLI', '0123456789')) + 6);
    f.end();
  });
}

/** Every linter the dictionary may name, by name. */
export const LINTERS: Readonly<Record<string, Linter>> = {
  csum,
  csumalpha,
  gcppos1: (d) => gcpAt(d, 0),
  // The first digit of an SSCC or GTIN-14 is an extension/indicator digit, so the GCP starts after it.
  gcppos2: (d) => gcpAt(d, 1),
  yymmd0: (d, ctx) => date(d, fullYear(Number(d.slice(0, 2)), ctx.today), true),
  yymmdd: (d, ctx) => date(d, fullYear(Number(d.slice(0, 2)), ctx.today), false),
  yyyymmdd: (d) => date(d, Number(d.slice(0, 4)), false),
  hhmi: (d) => range('hour', 'BAD_DATE', d.slice(0, 2), 23) ?? range('minute', 'BAD_DATE', d.slice(2, 4), 59),
  hh: (d) => range('hour', 'BAD_DATE', d, 23),
  mi: (d) => range('minute', 'BAD_DATE', d, 59),
  ss: (d) => range('second', 'BAD_DATE', d, 59),
  iso3166: inSet('ISO 3166 numeric country code', ISO3166_NUMERIC),
  iso3166999: inSet('ISO 3166 numeric country code or "999"', ISO3166_NUMERIC, '999'),
  iso3166alpha2: inSet('ISO 3166 alpha-2 country code', ISO3166_ALPHA2),
  iso4217: inSet('ISO 4217 numeric currency code', ISO4217_NUMERIC),
  iso5218: oneOf('ISO/IEC 5218 biological sex code', ['0', '1', '2', '9']),
  yesno: oneOf('flag', ['0', '1']),
  zero: oneOf('digit', ['0']),
  winding: oneOf('winding direction', ['0', '1', '9']),
  nonzero: (d) => (/^0*$/.test(d) ? bad(`"${d}" must not be zero`) : null),
  nozeroprefix: (d) => (d.length > 1 && d.startsWith('0') ? bad(`"${d}" must not start with a zero`) : null),
  hyphen: (d) => (/^-*$/.test(d) ? null : bad(`"${d}" may only contain hyphens`)),
  hasnondigit: (d) => (isDigits(d) ? bad(`"${d}" must contain at least one non-digit character`) : null),
  pieceoftotal: (d) => {
    const piece = Number(d.slice(0, d.length / 2));
    const total = Number(d.slice(d.length / 2));
    if (piece === 0) return bad('piece number must not be zero');
    if (total === 0) return bad('total number of pieces must not be zero');
    return piece > total ? bad(`piece number ${piece} exceeds the total of ${total}`) : null;
  },
  posinseqslash: (d) => {
    const slash = d.indexOf('/');
    const [pos, end] = [d.slice(0, slash), d.slice(slash + 1)];
    if (slash < 0 || pos === '' || end === '' || !isDigits(pos) || !isDigits(end))
      return bad(`"${d}" must have the form <position>/<end>`);
    if (pos.startsWith('0') || end.startsWith('0')) return bad(`"${d}": numbers must not start with a zero`);
    return Number(pos) > Number(end) ? bad(`position ${pos} exceeds the end ${end}`) : null;
  },
  latitude: (d) =>
    Number(d) <= 1800000000 ? null : bad(`latitude ${d} is outside 0000000000 to 1800000000`),
  longitude: (d) =>
    Number(d) <= 3600000000 ? null : bad(`longitude ${d} is outside 0000000000 to 3600000000`),
  pcenc: (d) => {
    const m = /%(?![0-9A-Fa-f]{2})/.exec(d);
    return m
      ? bad(`invalid percent-encoding "${d.slice(m.index, m.index + 3)}" at position ${m.index + 1}`)
      : null;
  },
  mediatype: (d) =>
    /^(0[1-9]|10|[89][0-9])$/.test(d) ? null : bad(`"${d}" is not an AIDC media type (01-10, 80-99)`),
  importeridx: (d) =>
    /^[0-9A-Za-z_-]$/.test(d) ? null : bad(`importer index '${d}' must be 0-9, A-Z, a-z, '-' or '_'`),
  // The UN/ECE Recommendation 21 code list is not held here: only the shape of a package type code is checked.
  packagetype: (d) => (/^[0-9A-Z]{1,3}$/.test(d) ? null : bad(`"${d}" is not a package type code`)),
  iban,
  couponcode,
  couponposoffer,
};
