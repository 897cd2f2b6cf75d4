import type { Logger } from '@rxledger/runtime';
import type { LedgerStore } from '../store/ledger-store.ts';
import type { AlertNotice } from './alert-notice.ts';
import { alertAudience, alertView, isEscalated } from './alert-view.ts';
import type { AlertChange } from './fold-alerts.ts';
import { dueAfterWorkingDays } from './working-days.ts';

export interface AlertNotifierOptions {
  store: LedgerStore;
  onAlertNotice: (notice: AlertNotice) => void;
  escalationWorkingDays: number;
  log: Logger;
  now?: () => number;
}

/**
 * Turns the fold's durable alert changes, and alerts that passed their answer deadline, into notices
 * for the delivery side. Each notice shows the alert as it stands when it is sent. Escalations are
 * told once per alert and process (a restart may tell one again: delivery is at least once).
 */
export function createAlertNotifier(opts: AlertNotifierOptions) {
  const now = opts.now ?? Date.now;
  const escalated = new Set<string>();
  const tell = (kind: AlertNotice['kind'], alertId: string, seq: number) => {
    const alert = opts.store.alerts.get(alertId);
    if (!alert) return;
    const view = alertView(alert, opts.store.alerts.steps(alert.id), {
      now: now(),
      escalationWorkingDays: opts.escalationWorkingDays,
      regulator: false,
    });
    try {
      opts.onAlertNotice({ kind, alertId, seq, audience: alertAudience(alert), alert: view });
    } catch (err) {
      opts.log.error({ err, alert: alertId, kind }, 'the alert notice handler failed; the fold goes on');
    }
  };
  return {
    /** The changes of a committed fold slice (FoldResult.alertChanges), in log order. */
    folded(changes: readonly AlertChange[]): void {
      for (const c of changes) tell(c.kind, c.alertId, c.seq);
    },
    /** Tells of every unanswered open alert past its deadline not told of yet; `seq` is the deadline (epoch ms). */
    checkEscalations(): void {
      const at = now();
      for (const alert of opts.store.alerts.unanswered()) {
        if (
          escalated.has(alert.id) ||
          !isEscalated(alert, { now: at, escalationWorkingDays: opts.escalationWorkingDays })
        ) {
          continue;
        }
        escalated.add(alert.id);
        // The deadline, not the check time: every node and every restart names this notice alike, so
        // delivery's (kind, alertId, seq) key sends it once.
        tell('alert.escalated', alert.id, dueAfterWorkingDays(alert.raisedAt, opts.escalationWorkingDays));
      }
    },
  };
}
