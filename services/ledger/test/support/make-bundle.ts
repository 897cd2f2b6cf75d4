// Provenance bundles assembled from a folded ledger store by the same code as GET /v1/provenance
// (answers/provenance.ts), against a checkpoint signed here, optionally over a dishonest ledger's leaves.
import {
  type HashReader,
  leafHash,
  MemoryHashStore,
  type NoteSigner,
  rootFromReader,
  signCheckpoint,
} from '@rxledger/tlog';
import type { ProvenanceBundle } from '@rxledger/verifier';
import { ItemHistory } from '../../src/answers/item-history.ts';
import {
  provenanceSeqs as answersProvenanceSeqs,
  itemState,
  provenanceAnswer,
} from '../../src/answers/provenance.ts';
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
 * The provenance bundle of `item` from a folded store, proven against a checkpoint signed now, as
 * GET /v1/provenance assembles it (answers/provenance.ts).
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
  const note = signCheckpoint({ origin: opts.origin, size, root: rootFromReader(reader, size) }, opts.signer);
  const history = new ItemHistory(store);
  return provenanceAnswer(store, history, item, itemState(history, item), note, {
    source: { leafAt, reader },
    seqs: opts.seqs,
  });
}

/**
 * The entries of `item`'s provenance as the custody fold chooses them: its own leaves, its
 * containers' leaves while it was inside them, and the recalls of its lot; ascending, below `size`.
 */
export function provenanceSeqs(store: LedgerStore, item: string, size = store.size()): number[] {
  const state = itemState(new ItemHistory(store), item);
  return state ? answersProvenanceSeqs(state, size) : [];
}
