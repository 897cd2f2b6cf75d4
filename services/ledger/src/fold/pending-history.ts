import type { HistorySource } from '../answers/item-history.ts';
import type { LeafRow, LedgerStore, StoredLeaf } from '../store/ledger-store.ts';

/**
 * The store as it will read once `pending` (the leaves a fold call appended and has not committed yet)
 * is committed: what judging an undo against the pack's history needs, when the dispense, a recall or
 * a move of the pack is in the same Kafka batch as the undo. Mirrors the store's item_leaves,
 * containment and recall-by-lot indexes for those leaves.
 */
export function pendingHistory(store: LedgerStore, pending: readonly LeafRow[]): HistorySource {
  const bySeq = new Map(pending.map((row) => [row.seq, row]));
  return {
    leaf: (seq: number): StoredLeaf | undefined => bySeq.get(seq) ?? store.leaf(seq),
    itemLinks(item: string, recalls: boolean) {
      const { seqs, parents } = store.itemLinks(item, recalls);
      for (const row of pending) {
        if (row.items.includes(item)) seqs.push(row.seq);
        if (row.containment?.children.includes(item)) parents.push(row.containment.parent);
        if (recalls && row.recall !== undefined && inLot(store, pending, item, row.recall))
          seqs.push(row.seq);
      }
      return { seqs, parents };
    },
  };
}

function inLot(
  store: LedgerStore,
  pending: readonly LeafRow[],
  item: string,
  lot: { gtin: string; lot: string },
): boolean {
  const same = (l: { gtin: string; lot: string; item: string }) =>
    l.item === item && l.gtin === lot.gtin && l.lot === lot.lot;
  return pending.some((row) => row.lots?.some(same)) || store.lotItems(lot.gtin, lot.lot).includes(item);
}
