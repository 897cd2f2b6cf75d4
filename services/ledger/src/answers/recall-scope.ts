import { entityState, foldCustody } from '../custody/index.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import type { ItemHistory } from './item-history.ts';
import { type StatusSummary, statusSummary } from './status-summary.ts';

/** One page of a lot's recall scope. */
export interface RecallScopePage {
  gtin: string;
  lot: string;
  /** The RECALL leaves of the lot, in ledger order. */
  recalls: Array<{ index: number; eventTime: string; reason: string }>;
  /** Packs commissioned in the lot, in all. */
  count: number;
  /** This page's packs, by item URI, with where each is now. */
  packs: Array<{ item: string } & StatusSummary>;
  /** The last item of this page, when more follow. */
  last?: string;
}

/**
 * Every pack of a lot (a page of them) and where each is now: its custodian, location, container,
 * status and anomalies, for whoever must pull the lot back.
 */
export function recallScope(
  store: LedgerStore,
  history: ItemHistory,
  gtin: string,
  lot: string,
  page: { after?: string | undefined; limit: number },
): RecallScopePage {
  const packs = store.lotItemsPage(gtin, lot, page);
  // One fold over the union of the page's pack histories: packs share their cases' and pallets' leaves.
  const world = foldCustody(history.entries(packs.items));
  const recalls = store.recallSeqs(gtin, lot).map((seq) => {
    const event = history.event(seq);
    return {
      index: seq,
      eventTime: new Date(event.eventTime).toISOString(),
      reason: event.type === 'RECALL' ? event.reason : '',
    };
  });
  return {
    gtin,
    lot,
    recalls,
    count: packs.count,
    packs: packs.items.map((item) => ({ item, ...statusSummary(entityState(world, item)!) })),
    ...(packs.more ? { last: packs.items.at(-1)! } : {}),
  };
}
