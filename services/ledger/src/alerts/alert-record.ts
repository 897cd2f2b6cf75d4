import type { AlertCode, AlertRootCause, AlertStatus } from '@rxledger/events';

/** Where an alert stands: OPEN when raised (no event sets it), then the steps of UPDATE_ALERT. */
export type AlertState = 'OPEN' | AlertStatus;

/**
 * One alert as the fold keeps it. Its id is `<pharmacy GLN>:<eventId of the RAISE_ALERT that opened it>`;
 * times are broker times (epoch ms) of the leaves that set them, so every node keeps the same record.
 */
export interface AlertRecord {
  id: string;
  /** GLN-13 of the pharmacy that raised it. */
  pharmacy: string;
  /** SGTIN URI of the pack. */
  item: string;
  gtin: string;
  /** GLN-13 of the manufacturer owning the GTIN's company prefix when it was raised, if any. */
  manufacturer: string | null;
  code: AlertCode;
  /** As scanned ('' when the scan carried none). */
  lot: string;
  expiry: string;
  status: AlertState;
  rootCause: AlertRootCause | null;
  /** Closed by the fold because later leaves explain it, not by a signed step. */
  healed: boolean;
  raisedSeq: number;
  raisedAt: number;
  /** When the manufacturer or a regulator first took a step: the clock escalation stops on. */
  answeredAt: number | null;
  closedSeq: number | null;
  closedAt: number | null;
}

/** RAISED and JOINED from RAISE_ALERT leaves, a status from UPDATE_ALERT leaves, HEALED from the fold. */
export type AlertStepKind = 'RAISED' | 'JOINED' | AlertStatus | 'HEALED';

/** One step of an alert's history; `seq` is the leaf that caused it (for HEALED, the leaf that explains it). */
export interface AlertStep {
  alertId: string;
  seq: number;
  kind: AlertStepKind;
  /** The signer; null for HEALED. */
  party: string | null;
  eventId: string | null;
  rootCause: AlertRootCause | null;
  note: string;
  /** Broker time of the leaf. */
  at: number;
}

/** The reason the fold gives when it closes an alert that later data explains. */
export const HEALED_NOTE = 'explained by late data';

/** The alert id a RAISE_ALERT would open: its pharmacy and its eventId. */
export function alertIdOf(pharmacy: string, raiseEventId: string): string {
  return `${pharmacy}:${raiseEventId}`;
}

/**
 * Whether the alert keeps its pack from being dispensed: while it is not closed, and for good once it
 * was closed as a confirmed falsification.
 */
export function holdsPack(alert: Pick<AlertRecord, 'status' | 'rootCause'>): boolean {
  return alert.status !== 'CLOSED' || alert.rootCause === 'CONFIRMED_FALSIFICATION';
}
