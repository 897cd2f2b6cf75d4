import { type CustodyEvent, ownsGtin, type RegistryState, type RejectionCode } from '@rxledger/events';
import { readCanonicalItem } from '@rxledger/gs1';
import type { AlertTables, AlertWrite } from '../store/alert-tables.ts';
import { alertIdOf } from './alert-record.ts';
import { joinAlert, type LeafAt, openAlert, takeStep } from './alert-rules.ts';
import type { AlertNotice } from './alert-notice.ts';

/** One change of an alert the fold made at a leaf: what a notice is built from once it is durable. */
export interface AlertChange {
  kind: AlertNotice['kind'];
  alertId: string;
  seq: number;
}

export type AlertLeafDecision =
  { ok: true; write: AlertWrite; change: AlertChange } | { ok: false; code: RejectionCode; message: string };

/**
 * What a RAISE_ALERT or UPDATE_ALERT leaf does to the alerts as stored (the fold commits every alert
 * leaf on its own, so the store is the state just before it): a raise opens an alert or joins the open
 * one of its (pharmacy, item, code); an update takes its step or is refused with the reason.
 */
export function decideAlertLeaf(
  alerts: AlertTables,
  event: Extract<CustodyEvent, { type: 'RAISE_ALERT' | 'UPDATE_ALERT' }>,
  leaf: LeafAt,
  registry: RegistryState,
): AlertLeafDecision {
  if (event.type === 'RAISE_ALERT') {
    const ownId = alertIdOf(event.party, event.eventId);
    const open = alerts.openOf(event.party, event.item, event.code);
    if (open) {
      const step = joinAlert(open, event, leaf);
      const write = { records: [], steps: [step], raiseIds: [[ownId, open.id]] as Array<[string, string]> };
      return { ok: true, write, change: { kind: 'alert.updated', alertId: open.id, seq: leaf.seq } };
    }
    const item = readCanonicalItem(event.item);
    const gtin = item.kind === 'sgtin' ? item.gtin : '';
    const { alert, step } = openAlert(event, gtin, manufacturerOf(registry, gtin), leaf);
    const write = {
      records: [alert],
      steps: [step],
      raiseIds: [[ownId, alert.id]] as Array<[string, string]>,
    };
    return { ok: true, write, change: { kind: 'alert.raised', alertId: alert.id, seq: leaf.seq } };
  }
  const alert = alerts.get(event.alert);
  const signer = {
    party: event.party,
    roles: registry.parties.get(event.party)?.roles ?? [],
    ownsGtin: alert !== undefined && ownsGtin(registry, event.party, alert.gtin),
  };
  const decided = takeStep(alert, event, signer, leaf);
  if (!decided.ok) return decided;
  return {
    ok: true,
    write: { records: [decided.alert], steps: [decided.step], raiseIds: [] },
    change: { kind: 'alert.updated', alertId: decided.alert.id, seq: leaf.seq },
  };
}

/** The manufacturer owning a GTIN's company prefix, in registry order (the same on every node). */
export function manufacturerOf(registry: RegistryState, gtin: string): string | null {
  for (const gln of registry.parties.keys()) if (ownsGtin(registry, gln, gtin)) return gln;
  return null;
}
