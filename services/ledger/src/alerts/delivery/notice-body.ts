import { EVENT_ID_PATTERN } from '@rxledger/events';
import type { AlertNotice } from '../alert-notice.ts';

const KINDS = new Set(['alert.raised', 'alert.updated', 'alert.healed', 'alert.escalated']);
const GLN = /^\d{13}$/;
/** A notice's body bound: an alert is a few hundred bytes; this leaves room for a long history. */
export const MAX_NOTICE_BYTES = 64 * 1024;

/** Throws a TypeError naming the first field of `n` that is not a well-formed AlertNotice. */
export function checkNotice(n: AlertNotice): void {
  const bad = (field: string, reason: string) => new TypeError(`alert notice ${field}: ${reason}`);
  if (typeof n !== 'object' || n === null) throw bad('(notice)', 'not an object');
  if (!KINDS.has(n.kind)) throw bad('kind', `must be one of ${[...KINDS].join(', ')}`);
  if (typeof n.alertId !== 'string' || !EVENT_ID_PATTERN.test(n.alertId)) {
    // An alert id is `<pharmacy GLN>:<eventId>`, and fits the eventId pattern UpdateAlert is checked with.
    throw bad('alertId', '1-128 characters of A-Z, a-z, 0-9, ".", "_", ":" and "-"');
  }
  if (!Number.isSafeInteger(n.seq) || n.seq < 0) throw bad('seq', 'a non-negative integer');
  if (
    !Array.isArray(n.audience) ||
    n.audience.length > 16 ||
    !n.audience.every((g) => typeof g === 'string' && GLN.test(g))
  ) {
    throw bad('audience', 'up to 16 GLN-13s');
  }
  if (typeof n.alert !== 'object' || n.alert === null || Array.isArray(n.alert))
    throw bad('alert', 'a JSON object');
}

/** The idempotency key of a notice, sent as webhook-id: `<kind>:<alertId>:<seq>`. */
export function noticeKey(n: AlertNotice): string {
  return `${n.kind}:${n.alertId}:${n.seq}`;
}

/**
 * What a webhook POSTs and a stream event carries, fixed once at publish so every retry sends the same
 * bytes: `{ type, timestamp, data: { alertId, seq, alert } }` (Standard Webhooks' payload shape).
 * The audience is left out: who else is told is not the receiver's business.
 */
export function noticeBody(n: AlertNotice, nowMs: number): string {
  const body = JSON.stringify({
    type: n.kind,
    timestamp: new Date(nowMs).toISOString(),
    data: { alertId: n.alertId, seq: n.seq, alert: n.alert },
  });
  if (Buffer.byteLength(body) > MAX_NOTICE_BYTES) {
    throw new TypeError(`alert notice alert: its JSON is over ${MAX_NOTICE_BYTES} bytes`);
  }
  return body;
}
