import type { AlertRecord, AlertStep } from './alert-record.ts';
import { dueAfterWorkingDays } from './working-days.ts';

/** How the alert views are told the time and the answer deadline. */
export interface AlertViewOptions {
  /** Now (epoch ms): escalation is computed when the alert is read. */
  now: number;
  escalationWorkingDays: number;
  /** Only regulators are shown `escalated`. */
  regulator: boolean;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Whether nobody but the pharmacy answered the alert before its deadline: the manufacturer's or a
 * regulator's first step, or its close (a heal included), came after it, or has not come yet.
 */
export function isEscalated(
  alert: AlertRecord,
  opts: Pick<AlertViewOptions, 'now' | 'escalationWorkingDays'>,
): boolean {
  const due = dueAfterWorkingDays(alert.raisedAt, opts.escalationWorkingDays);
  return (alert.answeredAt ?? alert.closedAt ?? opts.now) > due;
}

/** An alert as GET /v1/alerts/{id} shows it: what it is about, where it stands, every step with its leaf index. */
export function alertView(
  alert: AlertRecord,
  steps: readonly AlertStep[],
  opts: AlertViewOptions,
): Record<string, unknown> {
  return {
    id: alert.id,
    item: alert.item,
    gtin: alert.gtin,
    code: alert.code,
    scanned: { lot: alert.lot || null, expiry: alert.expiry || null },
    status: alert.status,
    rootCause: alert.rootCause,
    healed: alert.healed,
    pharmacy: alert.pharmacy,
    manufacturer: alert.manufacturer,
    raisedAt: iso(alert.raisedAt),
    raisedIndex: alert.raisedSeq,
    answerDue: iso(dueAfterWorkingDays(alert.raisedAt, opts.escalationWorkingDays)),
    closedAt: iso(alert.closedAt),
    closedIndex: alert.closedSeq,
    ...(opts.regulator ? { escalated: isEscalated(alert, opts) } : {}),
    steps: steps.map((s) => ({
      index: s.seq,
      kind: s.kind,
      party: s.party,
      eventId: s.eventId,
      rootCause: s.rootCause,
      note: s.note,
      at: iso(s.at),
    })),
  };
}

/** Whether the parties of a principal may see the alert: its pharmacy and the GTIN's manufacturer. */
export function alertAudience(alert: AlertRecord): string[] {
  return alert.manufacturer === null ? [alert.pharmacy] : [alert.pharmacy, alert.manufacturer];
}
