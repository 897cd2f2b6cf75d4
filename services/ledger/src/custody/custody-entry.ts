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
 * an earlier event gives the same answer as an on-time one. Among events of one eventTime a COMMISSION
 * comes first: nothing can happen to an item before it exists, and packing lines stamp a case's
 * aggregation in the same second as its packs' commissioning, which a scanner may upload first.
 * @example [...entries].sort(compareEntries)
 */
export function compareEntries(a: CustodyEntry, b: CustodyEntry): number {
  return a.event.eventTime - b.event.eventTime || commissionFirst(a) - commissionFirst(b) || a.seq - b.seq;
}

const commissionFirst = (e: CustodyEntry) => (e.event.type === 'COMMISSION' ? 0 : 1);
