// Provenance bundles assembled from a folded ledger store, shaped exactly as GET /v1/provenance
// answers (DESIGN §4-§5): the checkpoint, the item's entries chosen as the custody fold chooses them,
// every registry leaf, an RFC 9162 inclusion proof for each, and the schemas.
import { custodyEventToJson, rxledgerSchemas } from '@rxledger/events';
import {
  type HashReader,
  inclusionProof,
  leafHash,
  MemoryHashStore,
  type NoteSigner,
  rootFromReader,
  signCheckpoint,
  toBase64,
} from '@rxledger/tlog';
import type { ProvenanceBundle } from '@rxledger/verifier';
import { entityState, foldCustody } from '../../src/custody/index.ts';
import { ItemHistory } from '../../src/answers/item-history.ts';
import type { LedgerStore } from '../../src/store/ledger-store.ts';

export interface MakeBundleOptions {
  /** The ledger node's checkpoint key and the log's origin line. */
  signer: NoteSigner;
  origin: string;
  /** Tree size to prove against (default: the whole log). */
  size?: number;
  /** Entry indices to put in the bundle instead of the item's provenance. */
  seqs?: readonly number[];
  /**
   * A dishonest ledger: leaf bytes to use instead of the stored ones. The tree is then rebuilt over
   * the rewritten leaves and the checkpoint signed over it, so proofs and checkpoint stay consistent.
   */
  rewrite?: (seq: number, leaf: Uint8Array) => Uint8Array;
}

/**
 * The provenance bundle of `item` from a folded store, proven against a checkpoint signed now.
 * @example makeBundle(ledger.store, pack(1), { signer, origin: 'test.log' })
 */
export function makeBundle(store: LedgerStore, item: string, opts: MakeBundleOptions): ProvenanceBundle {
  const size = opts.size ?? store.size();
  const leafAt = (seq: number) => {
    const stored = store.leaf(seq);
    if (!stored) throw new Error(`leaf ${seq} is not stored`);
    return opts.rewrite ? opts.rewrite(seq, stored.leaf) : stored.leaf;
  };
  let reader: HashReader = store.hashReader();
  if (opts.rewrite) {
    const memory = new MemoryHashStore();
    memory.append(Array.from({ length: size }, (_, seq) => leafHash(leafAt(seq))));
    reader = memory;
  }
  const root = rootFromReader(reader, size);
  const proven = (seq: number) => ({
    index: seq,
    leaf: toBase64(leafAt(seq)),
    proof: inclusionProof(reader, seq, size).map(toBase64),
  });
  const history = new ItemHistory(store);
  const seqs = opts.seqs ?? provenanceSeqs(store, item, size);
  return {
    item,
    checkpoint: signCheckpoint({ origin: opts.origin, size, root }, opts.signer),
    entries: seqs.map(proven),
    registry: store
      .registrySeqs()
      .filter((seq) => seq < size)
      .map(proven),
    schemas: rxledgerSchemas.toJSON(),
    timeline: seqs.map((seq) => ({ index: seq, ...custodyEventToJson(history.event(seq)) })),
  };
}

/**
 * The entries of `item`'s provenance as the custody fold chooses them: its own leaves, its
 * containers' leaves while it was inside them, and the recalls of its lot; ascending, below `size`.
 */
export function provenanceSeqs(store: LedgerStore, item: string, size = store.size()): number[] {
  // The same gathering the provenance route does, so tests prove what the route would serve.
  const state = entityState(foldCustody(new ItemHistory(store).entries(item)), item);
  return (state?.history ?? []).filter((seq) => seq < size).sort((a, b) => a - b);
}
