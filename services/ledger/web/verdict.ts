// The counter's reading of a verify answer or of a failed verify: pure, so the words and the colours
// are tested without a browser; counter.ts only puts them on the screen.
import { parseExpiry } from '@rxledger/gs1';
import type { VerifyAnswer } from '../src/answers/judge-verify.ts';
import { alertText, STATUS_TEXTS } from './alert-texts.ts';

/** Green: hand it out. Amber: genuine or unknown, but not now. Red: suspect. Grey: not checked. */
export type Tone = 'ok' | 'warn' | 'bad' | 'error';

export interface VerdictView {
  tone: Tone;
  /** The one word read from across the counter. */
  headline: string;
  /** What it means for the pack in hand. */
  advice: string;
  /** What the ledger said, as it said it, when that helps (a 400's field and reason). */
  detail?: string;
  alerts: Array<{ code: string; title: string; what: string; todo: string; detail: string }>;
  /** Label, value, and whether the value is a code (shown in a fixed-width font) or words. */
  product: Array<[string, string, 'code' | 'words']>;
  /** This pharmacy's open alert on the pack: its id to quote, and where it stands, in words. */
  alertRecord?: { id: string; status: string; text: string };
}

const ALERT_STATUS_TEXTS: Readonly<Record<string, string>> = {
  OPEN: 'open, waiting for the manufacturer',
  INVESTIGATING: 'the manufacturer is investigating',
  INFO_REQUESTED: 'the manufacturer asks you for information',
  INFO_PROVIDED: 'your information was sent; waiting for the manufacturer',
  CLOSED: 'closed',
};

/** The alert record line: what to quote, and where the investigation stands. */
function alertRecordOf(answer: VerifyAnswer): VerdictView['alertRecord'] {
  if (answer.alert === undefined) return undefined;
  const { id, status } = answer.alert;
  const where = ALERT_STATUS_TEXTS[status] ?? status;
  return {
    id,
    status,
    text: `Alert ${id} (${where}). Quote this number when you are asked about this pack.`,
  };
}

/** The view of a verify answer (GET /v1/verify, 200). `today` places the expiry's century. */
export function answerView(answer: VerifyAnswer, today: Date): VerdictView {
  const alerts = answer.alerts.map((a) => ({
    code: a.code,
    ...alertText(a.code, a.message),
    detail: a.message,
  }));
  const { gtin, serial, lot, expiry } = answer.product;
  const product: VerdictView['product'] = [
    ['Product (GTIN)', gtin, 'code'],
    ['Serial number', serial, 'code'],
    lot === undefined ? ['Batch (lot)', 'not in the scan', 'words'] : ['Batch (lot)', lot, 'code'],
    ['Expiry', expiry === undefined ? 'not in the scan' : expiryText(expiry, today), 'words'],
    ['Status', STATUS_TEXTS[answer.status] ?? answer.status, 'words'],
  ];
  const alertRecord = alertRecordOf(answer);
  const view = { alerts, product, ...(alertRecord ? { alertRecord } : {}) };
  if (answer.verdict === 'SUSPECT') {
    return { ...view, tone: 'bad', headline: 'SUSPECT', advice: 'Do not dispense. Set the pack aside.' };
  }
  if (answer.verdict === 'UNKNOWN') {
    return {
      ...view,
      tone: 'warn',
      headline: 'UNKNOWN',
      advice: 'The ledger cannot confirm this pack. Do not dispense.',
    };
  }
  if (answer.dispensable) {
    return {
      ...view,
      tone: 'ok',
      headline: 'VERIFIED',
      advice: 'Genuine and dispensable: you may hand this pack out.',
    };
  }
  if (answer.onHold !== undefined) {
    return {
      ...view,
      tone: 'warn',
      headline: 'ON HOLD',
      advice: 'Genuine, but an alert on this pack is being investigated. Do not hand it out; set it aside.',
    };
  }
  const advice =
    answer.status === 'IN_TRANSIT' && alerts.length === 0
      ? 'Genuine, but its delivery is not booked in yet. Book the delivery in as received, then scan again.'
      : 'Genuine, but not dispensable now. Do not hand it out.';
  return { ...view, tone: 'warn', headline: 'VERIFIED', advice };
}

/** A verify that got no answer: what went wrong, and what to do, in plain words. */
export type Failure =
  | { kind: 'no-token' }
  | { kind: 'network' }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'http'; status: number; body: unknown };

/** The view of a failed verify; `field` and `reason` of a 400 are shown as the ledger gave them. */
export function failureView(failure: Failure): VerdictView {
  const view = (headline: string, advice: string, detail?: string): VerdictView => ({
    tone: 'error',
    headline,
    advice,
    ...(detail === undefined ? {} : { detail }),
    alerts: [],
    product: [],
  });
  switch (failure.kind) {
    case 'no-token':
      return view('NO TOKEN', 'Enter your pharmacist token first, then scan again.');
    case 'network':
      return view(
        'NOT CHECKED',
        'The ledger could not be reached. Check the network connection, then scan again.',
      );
    case 'timeout':
      return view(
        'NOT CHECKED',
        `The ledger did not answer within ${failure.seconds} s. Scan again in a moment.`,
      );
    case 'http':
      return httpFailureView(failure.status, failure.body, view);
  }
}

function httpFailureView(
  status: number,
  body: unknown,
  view: (headline: string, advice: string, detail?: string) => VerdictView,
): VerdictView {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  if (status === 400) {
    const issues = (body as { errors?: Array<{ field?: unknown; reason?: unknown }> } | null)?.errors;
    const first = Array.isArray(issues) ? issues[0] : undefined;
    const said = first ? `${String(first.field)}: ${String(first.reason)}` : message;
    return view(
      'SCAN NOT READ',
      'The code could not be read. Scan again, or type the code printed on the pack.',
      `The ledger said: ${said}`,
    );
  }
  if (status === 401) {
    return view(
      'TOKEN NOT ACCEPTED',
      'The ledger did not accept this token. Enter your pharmacist token again.',
    );
  }
  const said = `The ledger said: ${message}`;
  if (status === 403) return view('NOT ALLOWED', 'This token may not verify packs here.', said);
  if (status === 503)
    return view('NOT CHECKED', 'The ledger is not ready yet. Scan again in a moment.', said);
  return view(
    'NOT CHECKED',
    `The ledger answered with an error (${status}). Scan again; if it persists, call support.`,
    said,
  );
}

/** `281231` as `31 Dec 2028 (281231)`; DD=00 is the end of the month. Unreadable dates as given. */
export function expiryText(yymmdd: string, today: Date): string {
  try {
    const { date } = parseExpiry(yymmdd, today);
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return `${d} ${MONTHS[m - 1]} ${y} (${yymmdd})`;
  } catch {
    return yymmdd;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
