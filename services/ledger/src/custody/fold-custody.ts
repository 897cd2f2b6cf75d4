import { type CustodyEntry, compareEntries } from './custody-entry.ts';
import { type CustodyWorld, initialWorld } from './custody-world.ts';
import { evolve } from './evolve.ts';

/**
 * Folds a history into a world of packs and containers: orders the entries by (eventTime, seq) and
 * applies them with evolve(). The entries may come in any order and may repeat (the same seq twice,
 * as when one entry names both an item and its container); the result depends only on the set.
 * Pass every entry naming the item of interest, every entry naming a container that ever held it
 * (transitively) and the recalls of its lot: other items named by those entries are kept as stubs.
 * @example entityState(foldCustody(entries), 'https://id.gs1.org/01/09520123456788/21/ABC')
 */
export function foldCustody(entries: readonly CustodyEntry[]): CustodyWorld {
  const bySeq = new Map<number, CustodyEntry>();
  for (const entry of entries) {
    const seen = bySeq.get(entry.seq);
    if (seen === undefined) bySeq.set(entry.seq, entry);
    else if (seen !== entry && JSON.stringify(seen.event) !== JSON.stringify(entry.event)) {
      throw new RangeError(
        `two different entries have seq ${entry.seq} (events ${seen.event.eventId} and ${entry.event.eventId})`,
      );
    }
  }
  return [...bySeq.values()].sort(compareEntries).reduce(evolve, initialWorld());
}
