import type { SigningKey } from '@rxledger/events';
import type { Logger } from '@rxledger/runtime';
import type { Registry } from 'prom-client';
import type { FoldResult } from '../fold/ledger-folder.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import { alertMetrics } from './alert-metrics.ts';
import type { AlertNotice } from './alert-notice.ts';
import { createAlertNotifier } from './alert-notifier.ts';
import { type AlertDeliveryOptions, createAlertDelivery } from './delivery/index.ts';
import { DEFAULT_ESCALATION_WORKING_DAYS } from './working-days.ts';

export interface AlertStageOptions {
  onAlertNotice?: ((notice: AlertNotice) => void) | undefined;
  alertEscalationWorkingDays?: number | undefined;
  alertEscalationCheckMs?: number | undefined;
  alertDelivery?: Omit<AlertDeliveryOptions, 'dbPath' | 'signingKey' | 'log' | 'metrics'> | undefined;
  /** Where the delivery database lives (`alert-delivery.sqlite`). */
  deliveryDbPath: string;
  /** Signs the webhooks (the node's checkpoint key). */
  signingKey: SigningKey;
  log: Logger;
}

/**
 * What the node does with the alerts the fold commits: notices to the caller's handler and, when
 * delivery is on, to the webhooks and the stream; and the timer that escalates unanswered alerts.
 * Without a handler and without delivery nobody is told, and no notifier runs.
 */
export function createAlertStage(store: LedgerStore, metrics: Registry, opts: AlertStageOptions) {
  const escalationWorkingDays = opts.alertEscalationWorkingDays ?? DEFAULT_ESCALATION_WORKING_DAYS;
  const delivery = opts.alertDelivery
    ? createAlertDelivery({
        ...opts.alertDelivery,
        dbPath: opts.deliveryDbPath,
        signingKey: opts.signingKey,
        log: opts.log,
        metrics,
      })
    : undefined;
  const tellAlert = (notice: AlertNotice) => {
    opts.onAlertNotice?.(notice);
    delivery?.publish(notice);
  };
  const notifier =
    opts.onAlertNotice || delivery
      ? createAlertNotifier({ store, onAlertNotice: tellAlert, escalationWorkingDays, log: opts.log })
      : undefined;
  alertMetrics(metrics, store);
  let escalationTimer: NodeJS.Timeout | undefined;
  return {
    delivery,
    escalationWorkingDays,
    /** Tells the alert changes of a committed fold slice (never of one a crash could roll back). */
    folded: (result: FoldResult) => notifier?.folded(result.alertChanges),
    /** Starts delivering, and checking unanswered alerts for escalation. */
    start() {
      delivery?.start();
      if (!notifier) return;
      escalationTimer = setInterval(() => notifier.checkEscalations(), opts.alertEscalationCheckMs ?? 60_000);
      escalationTimer.unref();
    },
    /** Before the port closes: an open alert stream would hold the server open. */
    closeStream() {
      clearInterval(escalationTimer);
      delivery?.stream.close();
    },
    /** After the port closed: waits for the deliveries under way. */
    stop: async () => delivery?.stop(),
  };
}

export type AlertStage = ReturnType<typeof createAlertStage>;
