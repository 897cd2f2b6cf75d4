// The alert workflow's rules as a pure Decider: the fold hands in the alert as it stands and the
// signed step, and gets the next alert and its history step, or the reason the step is refused.
// No store, no clock: the broker time comes in with the leaf, so every node decides the same.
import type { AlertRootCause, AlertStatus, CustodyEventOf, RejectionCode, Role } from '@rxledger/events';
import { type AlertRecord, type AlertStep, alertIdOf, HEALED_NOTE } from './alert-record.ts';

/** Where a leaf is in the log: its index and its broker time. */
export interface LeafAt {
  seq: number;
  at: number;
}

/** Who signed an UPDATE_ALERT, as the registry has them when it is folded. */
export interface AlertSigner {
  party: string;
  roles: readonly Role[];
  /** Whether the signer is a manufacturer owning the alert's GTIN. */
  ownsGtin: boolean;
}

export type StepDecision =
  { ok: true; alert: AlertRecord; step: AlertStep } | { ok: false; code: RejectionCode; message: string };

/** Root causes a pharmacy may close its own alert with: its own mistake, found by itself. */
export const PHARMACY_OWN_ERRORS: readonly AlertRootCause[] = [
  'PHARMACY_TECHNICAL_ERROR',
  'PHARMACY_PROCEDURAL_ERROR',
];

/** The alert a RAISE_ALERT opens when no alert of its (pharmacy, item, code) is open. */
export function openAlert(
  raise: CustodyEventOf<'RAISE_ALERT'>,
  gtin: string,
  manufacturer: string | null,
  leaf: LeafAt,
): { alert: AlertRecord; step: AlertStep } {
  const alert: AlertRecord = {
    id: alertIdOf(raise.party, raise.eventId),
    pharmacy: raise.party,
    item: raise.item,
    gtin,
    manufacturer,
    code: raise.code,
    lot: raise.lot,
    expiry: raise.expiry,
    status: 'OPEN',
    rootCause: null,
    healed: false,
    raisedSeq: leaf.seq,
    raisedAt: leaf.at,
    answeredAt: null,
    closedSeq: null,
    closedAt: null,
  };
  return { alert, step: raiseStep(alert.id, 'RAISED', raise, leaf) };
}

/** A repeat scan joining the open alert of the same (pharmacy, item, code): recorded, nothing else changes. */
export function joinAlert(open: AlertRecord, raise: CustodyEventOf<'RAISE_ALERT'>, leaf: LeafAt): AlertStep {
  return raiseStep(open.id, 'JOINED', raise, leaf);
}

function raiseStep(
  alertId: string,
  kind: 'RAISED' | 'JOINED',
  raise: CustodyEventOf<'RAISE_ALERT'>,
  leaf: LeafAt,
): AlertStep {
  const scanned = [raise.lot && `lot ${raise.lot}`, raise.expiry && `expiry ${raise.expiry}`].filter(Boolean);
  return {
    alertId,
    seq: leaf.seq,
    kind,
    party: raise.party,
    eventId: raise.eventId,
    rootCause: null,
    note: scanned.length > 0 ? `scanned ${scanned.join(', ')}` : '',
    at: leaf.at,
  };
}

/**
 * One investigation step. Refused when the alert is unknown or closed, names another pack, or the
 * signer may not take the step: the GTIN's manufacturer investigates, asks for information and
 * closes; the raising pharmacy provides information and may close its own alert as its own error;
 * a regulator may take any step.
 */
export function takeStep(
  alert: AlertRecord | undefined,
  update: CustodyEventOf<'UPDATE_ALERT'>,
  signer: AlertSigner,
  leaf: LeafAt,
): StepDecision {
  if (alert === undefined) {
    return { ok: false, code: 'ALERT_UNKNOWN', message: `alert ${update.alert} was never raised` };
  }
  if (alert.item !== update.item) {
    return {
      ok: false,
      code: 'ALERT_ITEM_MISMATCH',
      message: `item: alert ${alert.id} is about ${alert.item}, not ${update.item}`,
    };
  }
  if (alert.status === 'CLOSED') {
    return { ok: false, code: 'ALERT_CLOSED', message: `alert ${alert.id} is already closed` };
  }
  const who = signerSide(alert, signer);
  if (!mayTake(who, update.status, update.rootCause)) {
    return {
      ok: false,
      code: 'ALERT_STEP_NOT_ALLOWED',
      message: `status: ${signer.party} (${who}) may not set ${update.status}${update.rootCause ? ` with ${update.rootCause}` : ''} on alert ${alert.id}`,
    };
  }
  const closes = update.status === 'CLOSED';
  const next: AlertRecord = {
    ...alert,
    status: update.status,
    rootCause: closes ? update.rootCause : null,
    answeredAt: alert.answeredAt ?? (who === 'pharmacy' ? null : leaf.at),
    closedSeq: closes ? leaf.seq : null,
    closedAt: closes ? leaf.at : null,
  };
  const step: AlertStep = {
    alertId: alert.id,
    seq: leaf.seq,
    kind: update.status,
    party: update.party,
    eventId: update.eventId,
    rootCause: next.rootCause,
    note: update.note,
    at: leaf.at,
  };
  return { ok: true, alert: next, step };
}

type Side = 'regulator' | 'manufacturer' | 'pharmacy' | 'outsider';

function signerSide(alert: AlertRecord, signer: AlertSigner): Side {
  if (signer.roles.includes('REGULATOR')) return 'regulator';
  if (signer.roles.includes('MANUFACTURER') && signer.ownsGtin) return 'manufacturer';
  if (signer.party === alert.pharmacy) return 'pharmacy';
  return 'outsider';
}

function mayTake(who: Side, status: AlertStatus, rootCause: AlertRootCause | null): boolean {
  switch (who) {
    case 'regulator':
      return true;
    case 'manufacturer':
      return status === 'INVESTIGATING' || status === 'INFO_REQUESTED' || status === 'CLOSED';
    case 'pharmacy':
      return (
        status === 'INFO_PROVIDED' ||
        (status === 'CLOSED' && rootCause !== null && PHARMACY_OWN_ERRORS.includes(rootCause))
      );
    case 'outsider':
      return false;
  }
}

/** The fold closing an alert that later leaves explain (no signed event: see docs/design-notes/alerts.md). */
export function healAlert(alert: AlertRecord, leaf: LeafAt): { alert: AlertRecord; step: AlertStep } {
  return {
    alert: {
      ...alert,
      status: 'CLOSED',
      rootCause: null,
      healed: true,
      closedSeq: leaf.seq,
      closedAt: leaf.at,
    },
    step: {
      alertId: alert.id,
      seq: leaf.seq,
      kind: 'HEALED',
      party: null,
      eventId: null,
      rootCause: null,
      note: HEALED_NOTE,
      at: leaf.at,
    },
  };
}
