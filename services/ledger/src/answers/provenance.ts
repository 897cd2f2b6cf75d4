import { custodyEventToJson, rxledgerSchemas } from '@rxledger/events';
import { type HashReader, inclusionProof, parseCheckpoint, toBase64 } from '@rxledger/tlog';
import type { ProvenanceBundle } from '@rxledger/verifier';
import { type EntityState, entityState, foldCustody } from '../custody/index.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import type { ItemHistory } from './item-history.ts';
import { type StatusSummary, statusSummary } from './status-summary.ts';

/** The custody state of `item`, folded from its history; undefined when no leaf names it. */
export function itemState(history: ItemHistory, item: string): EntityState | undefined {
  const entries = history.entries(item);
  return entries.length === 0 ? undefined : entityState(foldCustody(entries), item);
}

/**
 * Whether one of `glns` legitimately held the item: commissioned it, was shipped it by its legitimate
 * custodian, or received it from a shipment to it (directly or inside a container). Events that broke
 * the custody rules are evidence only and never count (DESIGN §3).
 */
export function heldBy(glns: readonly string[], state: EntityState): boolean {
  return state.custodySteps.some((step) => glns.includes(step.party));
}

/** The entries of an item's provenance below `size`: those its custody fold read, ascending. */
export function provenanceSeqs(state: EntityState, size: number): number[] {
  return state.history.filter((seq) => seq < size).sort((a, b) => a - b);
}

/** GET /v1/provenance: the bundle an offline verifier checks, with a timeline and status for people. */
export interface ProvenanceAnswer extends ProvenanceBundle {
  timeline: Array<Record<string, unknown>>;
  status?: StatusSummary;
}

/** Where a bundle's leaves and proofs come from: the node's store, or (in tests) a dishonest ledger. */
export interface LeafSource {
  leafAt(seq: number): Uint8Array;
  reader: HashReader;
}

/**
 * The provenance of `item` (in `state`) proven against the signed checkpoint `note`: its entries (or
 * `seqs`), every REGISTRY leaf below the checkpoint's size, an RFC 9162 inclusion proof for each, the
 * schemas, and for people a timeline with each entry's anomalies and the status now.
 */
export function provenanceAnswer(
  store: LedgerStore,
  history: ItemHistory,
  item: string,
  state: EntityState | undefined,
  note: string,
  opts: { source?: LeafSource; seqs?: readonly number[] } = {},
): ProvenanceAnswer {
  const { size } = parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1));
  const source = opts.source ?? {
    leafAt: (seq: number) => store.leaf(seq)!.leaf,
    reader: store.hashReader(),
  };
  const proven = (seq: number) => ({
    index: seq,
    leaf: toBase64(source.leafAt(seq)),
    proof: inclusionProof(source.reader, seq, size).map(toBase64),
  });
  const seqs = opts.seqs ?? (state ? provenanceSeqs(state, size) : []);
  const anomaliesAt = new Map<number, string[]>();
  for (const a of state?.anomalies ?? [])
    anomaliesAt.set(a.seq, [...(anomaliesAt.get(a.seq) ?? []), `${a.code}: ${a.message}`]);
  // What each undo of a dispense did: a late upload of an earlier recall can leave one without effect.
  const undoneAt = new Map<number, string>();
  for (const u of state?.undos ?? [])
    undoneAt.set(
      u.seq,
      u.refusal ? `no effect: ${u.refusal.code}: ${u.refusal.message}` : 'returned to stock',
    );
  return {
    item,
    checkpoint: note,
    entries: seqs.map(proven),
    registry: store
      .registrySeqs()
      .filter((seq) => seq < size)
      .map(proven),
    schemas: rxledgerSchemas.toJSON(),
    timeline: seqs.map((seq) => ({
      index: seq,
      ...custodyEventToJson(history.event(seq)),
      ...(anomaliesAt.has(seq) ? { anomalies: anomaliesAt.get(seq) } : {}),
      ...(undoneAt.has(seq) ? { undo: undoneAt.get(seq) } : {}),
    })),
    ...(state ? { status: statusSummary(state) } : {}),
  };
}
