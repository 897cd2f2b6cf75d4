import { readCanonicalItem } from '@rxledger/gs1';
import { ItemHistory } from '../answers/item-history.ts';
import { judgeVerify } from '../answers/judge-verify.ts';
import { itemState } from '../answers/provenance.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import { type AlertRecord } from './alert-record.ts';
import { healAlert, type LeafAt } from './alert-rules.ts';
import { falsificationCode } from './falsification.ts';

/**
 * Whether the pack's state as the log stands still shows the alert's code, or shows it ended
 * elsewhere, to its pharmacy for what it scanned (lot and expiry as scanned). Judged with the leaf's broker day as "today", so the answer
 * depends on the log alone: every node re-judging at the same leaf agrees.
 */
export function alertStillStands(
  store: LedgerStore,
  history: ItemHistory,
  alert: AlertRecord,
  at: number,
): boolean {
  const id = readCanonicalItem(alert.item);
  if (id.kind !== 'sgtin') return true;
  const state = itemState(history, alert.item);
  const answer = judgeVerify(
    {
      gtin: id.gtin,
      serial: id.serial,
      ...(alert.lot ? { lot: alert.lot } : {}),
      ...(alert.expiry ? { expiry: alert.expiry } : {}),
    },
    state,
    {
      today: new Date(at).toISOString().slice(0, 10),
      at: alert.pharmacy,
      role: 'pharmacist',
      productKnown: state?.exists === true || store.gtinKnown(id.gtin),
    },
  );
  // The alert's own code is what later data explains; but a pack that since ended elsewhere (dispensed
  // by another pharmacy, decommissioned as stolen) makes the scan more suspect, not less.
  const other = falsificationCode(answer.alerts, state, alert.pharmacy);
  return (
    answer.alerts.some((a) => a.code === alert.code) ||
    other === 'ALREADY_DISPENSED' ||
    other === 'DECOMMISSIONED'
  );
}

/**
 * Re-judges the open alerts on `items` after `leaf` and closes, as healed, those the log now explains;
 * returns the alerts it healed. Runs inside the commit of the batch that ends with `leaf`, so it reads
 * that leaf and writes with it.
 */
export function healExplained(store: LedgerStore, items: Iterable<string>, leaf: LeafAt): AlertRecord[] {
  const history = new ItemHistory(store);
  const healed: AlertRecord[] = [];
  for (const item of items) {
    for (const alert of store.alerts.onItem(item)) {
      if (alert.status === 'CLOSED' || standsOrFails(store, history, alert, leaf.at)) continue;
      const { alert: closed, step } = healAlert(alert, leaf);
      store.alerts.write({ records: [closed], steps: [step], raiseIds: [] });
      healed.push(closed);
    }
  }
  return healed;
}

// A re-judgement that throws keeps the alert open rather than failing the commit, which would stall
// the fold on this record for ever; every node runs the same code, so every node keeps it open.
function standsOrFails(store: LedgerStore, history: ItemHistory, alert: AlertRecord, at: number): boolean {
  try {
    return alertStillStands(store, history, alert, at);
  } catch {
    return true;
  }
}
