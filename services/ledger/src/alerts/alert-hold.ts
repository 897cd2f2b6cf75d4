import type { AlertCode } from '@rxledger/events';
import type { VerifyAnswer } from '../answers/judge-verify.ts';
import { type AlertRecord, holdsPack } from './alert-record.ts';

/**
 * A verify answer with the pack's alerts laid over it: an open alert keeps the pack from being
 * dispensed, and a confirmed falsification keeps it SUSPECT for good. At the pharmacy that raised
 * one, the answer names its open alert (the latest) so the pharmacist can quote it; `falsification`
 * is the code a counter verify raises an alert for (falsification.ts).
 */
export function withAlerts(
  answer: VerifyAnswer,
  alerts: readonly AlertRecord[],
  at: string | undefined,
  falsification: AlertCode | undefined,
): VerifyAnswer {
  const out: VerifyAnswer = { ...answer };
  const holding = alerts.filter(holdsPack);
  if (holding.length > 0) {
    const confirmed = holding.some((a) => a.status === 'CLOSED');
    out.dispensable = false;
    out.onHold = confirmed ? 'CONFIRMED_FALSIFICATION' : 'ALERT_OPEN';
    if (confirmed) out.verdict = 'SUSPECT';
  }
  const mine = alerts.filter((a) => a.pharmacy === at && a.status !== 'CLOSED').at(-1);
  if (mine) out.alert = { id: mine.id, status: mine.status, code: mine.code };
  if (falsification !== undefined) out.falsification = falsification;
  return out;
}
