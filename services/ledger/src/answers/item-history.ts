import {
  type CustodyEvent,
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
} from '@rxledger/events';
import { type CustodyEntry, focusEvent } from '../custody/index.ts';
import type { LedgerStore } from '../store/ledger-store.ts';

/** What ItemHistory reads: the store, or the store with a fold call's leaves not yet committed. */
export type HistorySource = Pick<LedgerStore, 'itemLinks' | 'leaf'>;

/**
 * Reads what the custody fold needs about some items: every leaf naming one of them, every leaf naming
 * any container that ever held one or held one of those (transitively), and the recalls of their lots;
 * each event focused on those items and containers (focusEvent). Decoded events are cached by seq:
 * leaves never change, and a pallet's leaves serve every pack on it.
 */
export class ItemHistory {
  readonly #store: HistorySource;
  readonly #cache = new Map<number, { event: CustodyEvent; appendedAt: number | undefined }>();
  readonly #capacity: number;

  constructor(store: HistorySource, capacity = 100_000) {
    this.#store = store;
    this.#capacity = capacity;
  }

  /** The custody entries relevant to `items` (one, or several folded together), in ledger order. */
  entries(items: string | readonly string[]): CustodyEntry[] {
    const seqs = new Set<number>();
    const subjects = new Set<string>();
    for (const item of typeof items === 'string' ? [items] : items) {
      if (subjects.has(item)) continue;
      subjects.add(item);
      const own = this.#store.itemLinks(item, true);
      for (const seq of own.seqs) seqs.add(seq);
      const queue = [...own.parents];
      for (let parent = queue.pop(); parent !== undefined; parent = queue.pop()) {
        if (subjects.has(parent)) continue;
        subjects.add(parent);
        const links = this.#store.itemLinks(parent, false);
        for (const seq of links.seqs) seqs.add(seq);
        queue.push(...links.parents);
      }
    }
    return [...seqs]
      .sort((a, b) => a - b)
      .map((seq) => {
        const { event, appendedAt } = this.#decoded(seq);
        const entry: CustodyEntry = { seq, event: focusEvent(event, subjects) };
        if (appendedAt !== undefined) entry.appendedAt = appendedAt;
        return entry;
      });
  }

  /** The custody event in leaf `seq`. */
  event(seq: number): CustodyEvent {
    return this.#decoded(seq).event;
  }

  // The event and the broker time of leaf `seq` (v1 leaves have none).
  #decoded(seq: number): { event: CustodyEvent; appendedAt: number | undefined } {
    const cached = this.#cache.get(seq);
    if (cached) return cached;
    const leaf = this.#store.leaf(seq);
    if (!leaf) throw new Error(`leaf ${seq} is not stored`);
    const entry = decodeLedgerEntry(leaf.leaf);
    const event = decodeCustodyEvent(decodeSignedEvent(entry.signedEvent).event);
    const decoded = { event, appendedAt: entry.appendedAt };
    if (this.#cache.size >= this.#capacity) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(seq, decoded);
    return decoded;
  }
}
