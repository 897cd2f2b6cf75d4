import { BIZ_STEP_OF_CUSTODY_TYPE, type BizStep } from '@rxledger/epcis';
import { decodeCustodyEvent, decodeLedgerEntry, decodeSignedEvent, type EventType } from '@rxledger/events';
import { parseCheckpoint } from '@rxledger/tlog';
import type { Principal } from '../auth/principal.ts';
import type { ExportFilter, LedgerStore } from '../store/ledger-store.ts';
import { type EpcisEvent, epcisEvent, EXPORTED_TYPES, type ExportedLeaf } from './epcis-event.ts';
import type { PageCursor } from './epcis-page-token.ts';
import type { ItemHistory } from './item-history.ts';
import { heldBy, itemState } from './provenance.ts';

/** An EPCIS query as the export reads it: identifiers canonical, times in epoch ms. */
export interface EpcisQuery {
  /** MATCH_anyEPC: canonical item URIs; the event names one in epcList, parentID or childEPCs. */
  anyEPC?: string[];
  /** MATCH_parentID: canonical container URIs, one the parentID of an AggregationEvent. */
  parentIDs?: string[];
  /** EQ_bizStep */
  bizSteps?: BizStep[];
  /** GE_eventTime, LT_eventTime */
  since?: number;
  until?: number;
  /** EQ_bizLocation, as GLN-13s. */
  bizLocations?: string[];
  perPage: number;
}

/** One page of the export: events in leaf order, all proven under one signed checkpoint. */
export interface EpcisPage {
  events: EpcisEvent[];
  /** The tree size every event of every page of this export is proven under, and its checkpoint. */
  treeSize: number;
  checkpoint: string;
  /** Where the next page starts; absent on the last page. */
  next?: PageCursor;
}

const AGGREGATION_TYPES: readonly EventType[] = ['AGGREGATE', 'DISAGGREGATE'];

/**
 * A page of the custody events `principal` may see that match `q`, in leaf order, from `cursor` (or
 * from the start of the tree under the checkpoint `latestNote`). Pinning the tree size on the first
 * page keeps paging stable while the log grows: every page reads the same leaves, so each matching
 * event comes exactly once; events appended later belong to the next export.
 *
 * What a partner sees is what provenance would show it: the events it signed, and every event naming
 * an item asked for in MATCH_anyEPC or MATCH_parentID that its party legitimately held (heldBy).
 */
export function epcisEventsPage(
  deps: { store: LedgerStore; history: ItemHistory },
  principal: Principal,
  q: EpcisQuery,
  at: { cursor: PageCursor; checkpoint: string } | { latestNote: string },
): EpcisPage {
  const { store } = deps;
  const pinned =
    'cursor' in at ? at : { cursor: { size: sizeOf(at.latestNote), after: -1 }, checkpoint: at.latestNote };
  const treeSize = pinned.cursor.size;
  const filter = exportFilter(deps, principal, q, pinned.cursor);
  const matches: ExportedLeaf[] = [];
  // Reads perPage + 1 matches, so that a next page is offered only when one more event exists.
  for (let after = pinned.cursor.after; matches.length <= q.perPage;) {
    const seqs = store.exportSeqs({ ...filter, after, limit: q.perPage + 1 });
    for (const seq of seqs) {
      const leaf = readLeaf(store, seq);
      // item_leaves cannot tell a parent from a child: MATCH_parentID is checked on the event.
      if (q.parentIDs !== undefined && !isParent(leaf, q.parentIDs)) continue;
      matches.push(leaf);
      if (matches.length > q.perPage) break;
    }
    if (seqs.length <= q.perPage) break;
    after = seqs.at(-1)!;
  }
  const page = matches.slice(0, q.perPage);
  return {
    events: page.map((leaf) => epcisEvent(leaf, treeSize)),
    treeSize,
    checkpoint: pinned.checkpoint,
    ...(matches.length > q.perPage ? { next: { size: treeSize, after: page.at(-1)!.seq } } : {}),
  };
}

// The store's selection for `q` as `principal` may see it, below the pinned tree size.
function exportFilter(
  deps: { store: LedgerStore; history: ItemHistory },
  principal: Principal,
  q: EpcisQuery,
  cursor: PageCursor,
): Omit<ExportFilter, 'after' | 'limit'> {
  let types: readonly EventType[] = EXPORTED_TYPES;
  // By the step each type is written as (a DECOMMISSION is `decommissioning`, never `destroying`).
  if (q.bizSteps) types = types.filter((t) => q.bizSteps!.includes(BIZ_STEP_OF_CUSTODY_TYPE[t]!));
  if (q.parentIDs) types = types.filter((t) => AGGREGATION_TYPES.includes(t));
  const naming = [...(q.anyEPC ? [q.anyEPC] : []), ...(q.parentIDs ? [q.parentIDs] : [])];
  const filter: Omit<ExportFilter, 'after' | 'limit'> = {
    types,
    below: cursor.size,
    ...(naming.length ? { naming } : {}),
    ...(q.bizLocations ? { sites: q.bizLocations } : {}),
    ...(q.since === undefined ? {} : { since: q.since }),
    ...(q.until === undefined ? {} : { until: q.until }),
  };
  if (principal.role === 'regulator') return filter;
  // One custody fold per item asked about (at most the bounded MATCH_anyEPC list and a parentID).
  const held = naming.flat().filter((item) => {
    const state = itemState(deps.history, item);
    return state !== undefined && heldBy(principal.glns, state);
  });
  return { ...filter, visibleTo: { parties: principal.glns, items: held } };
}

function readLeaf(store: LedgerStore, seq: number): ExportedLeaf {
  const entry = decodeLedgerEntry(store.leaf(seq)!.leaf);
  const event = decodeCustodyEvent(decodeSignedEvent(entry.signedEvent).event);
  return { seq, event, ...(entry.appendedAt === undefined ? {} : { appendedAt: entry.appendedAt }) };
}

function isParent(leaf: ExportedLeaf, parents: readonly string[]): boolean {
  const e = leaf.event;
  return (e.type === 'AGGREGATE' || e.type === 'DISAGGREGATE') && parents.includes(e.parent);
}

function sizeOf(note: string): number {
  return parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1)).size;
}
