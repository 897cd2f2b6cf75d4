import type { CustodyEntry } from './custody-entry.ts';
import { type EntityState, entityState } from './entity-state.ts';
import { foldCustody } from './fold-custody.ts';

/**
 * Folds `entries` and returns the state of `item` (a canonical item URI), with the anomalies its
 * containers raised while it was inside them; undefined when no entry names it.
 * @example deriveItemState('https://id.gs1.org/01/09520123456788/21/ABC', entries)?.status // 'ACTIVE'
 */
export function deriveItemState(item: string, entries: readonly CustodyEntry[]): EntityState | undefined {
  return entityState(foldCustody(entries), item);
}
