import {
  type CustodyEvent,
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
} from '@rxledger/events';
import type { CustodyEntry } from '../custody/index.ts';
import type { LedgerStore } from '../store/ledger-store.ts';

/**
 * Reads what the custody fold needs about one item: every leaf naming it, every leaf naming any
 * container that ever held it or held one of those (transitively), and the recalls of its lot.
 * Decoded events are cached by seq: leaves never change, and a pallet's leaves serve every pack on it.
 */
export class ItemHistory {
  readonly #store: LedgerStore;
  readonly #cache = new Map<number, CustodyEvent>();
  readonly #capacity: number;

  constructor(store: LedgerStore, capacity = 100_000) {
    this.#store = store;
    this.#capacity = capacity;
  }

  /** The custody entries relevant to `item`, in ledger order. */
  entries(item: string): CustodyEntry[] {
    const seqs = new Set(this.#store.itemSeqs(item));
    const seen = new Set([item]);
    for (const queue = [item]; queue.length > 0;) {
      for (const parent of this.#store.parentsOf(queue.pop()!)) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        queue.push(parent);
        for (const seq of this.#store.itemSeqs(parent)) seqs.add(seq);
      }
    }
    const lot = this.#store.lotOf(item);
    if (lot) for (const seq of this.#store.recallSeqs(lot.gtin, lot.lot)) seqs.add(seq);
    return [...seqs].sort((a, b) => a - b).map((seq) => ({ seq, event: this.event(seq) }));
  }

  /** The custody event in leaf `seq`. */
  event(seq: number): CustodyEvent {
    const cached = this.#cache.get(seq);
    if (cached) return cached;
    const leaf = this.#store.leaf(seq);
    if (!leaf) throw new Error(`leaf ${seq} is not stored`);
    const event = decodeCustodyEvent(decodeSignedEvent(decodeLedgerEntry(leaf.leaf).signedEvent).event);
    if (this.#cache.size >= this.#capacity) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(seq, event);
    return event;
  }
}
