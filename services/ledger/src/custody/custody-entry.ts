import type { CustodyEvent } from '@rxledger/events';

/** A custody event accepted into the ledger: signature, key, role and GTIN ownership already checked. */
export interface CustodyEntry {
  /** Ledger order (the Merkle log index). */
  seq: number;
  event: CustodyEvent;
  /**
   * When the record reached the broker (LedgerEntry v2 `appendedAt`): the clock the undo of a dispense
   * is judged by. Absent on v1 leaves, which predate the undo.
   */
  appendedAt?: number;
}

/**
 * The order a history is folded in (DESIGN §3): by eventTime, ties by ledger order, so a late upload of
 * an earlier event gives the same answer as an on-time one.
 * @example [...entries].sort(compareEntries)
 */
export function compareEntries(a: CustodyEntry, b: CustodyEntry): number {
  return a.event.eventTime - b.event.eventTime || a.seq - b.seq;
}
