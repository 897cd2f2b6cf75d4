import { parseCheckpoint } from '@rxledger/tlog';
import { provenanceSeqs } from '../answers/provenance.ts';
import type { EntityState } from '../custody/index.ts';
import type { LedgerStore } from '../store/ledger-store.ts';

/**
 * The entries of a pack's provenance bundle with its alert leaves added: RAISE_ALERT and UPDATE_ALERT
 * name the pack, so they are links of its hash chain (DESIGN §4) and an investigation is provable
 * offline; the custody fold ignores them, so they are taken from the alert steps. Below the
 * checkpoint's size, ascending.
 */
export function withAlertLeaves(
  store: LedgerStore,
  item: string,
  state: EntityState,
  note: string,
): number[] {
  const { size } = parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1));
  const seqs = new Set(provenanceSeqs(state, size));
  for (const alert of store.alerts.onItem(item)) {
    for (const step of store.alerts.steps(alert.id)) {
      if (step.kind !== 'HEALED' && step.seq < size) seqs.add(step.seq);
    }
  }
  return [...seqs].sort((a, b) => a - b);
}
