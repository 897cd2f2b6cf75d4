// Batch signatures (DESIGN §4, SignedEvent v2): one Ed25519 signature per posted batch, over the
// RFC 9162 Merkle root of its events. Every record carries its own inclusion path, so each one still
// verifies on its own, offline, without the rest of its batch.
import { concatBytes, leafHash, nodeHash, ProofError, rootFromInclusionProof } from '@rxledger/tlog';
import type { Ed25519 } from './ed25519.ts';
import type { SigningKey } from './keys.ts';
import type { SignedEvent } from './signed-event.ts';

/** Domain separation prefix of every batch signature: no custody-event/v1 signature can be replayed as one. */
export const BATCH_SIGNING_CONTEXT = 'rxledger/custody-batch/v1\n';

/**
 * Most events one signature may cover: inclusion paths stay at most 16 hashes (512 bytes a record,
 * 16 hashes to check), whatever a hostile record claims. A POST carries at most 10,000 (DESIGN §5).
 */
export const MAX_BATCH_SIZE = 65_536;

/** Where a record's event sits in the batch whose root its signature covers. */
export interface BatchPosition {
  /** Index of the event among the batch's leaves. */
  index: number;
  /** How many events the batch holds (signed). */
  size: number;
  /** RFC 9162 inclusion path of `index`, leaf to root. */
  path: Uint8Array[];
}

const CONTEXT_BYTES = new TextEncoder().encode(BATCH_SIGNING_CONTEXT);
// Node hashes built between two yields of BatchTree.build: about a millisecond of SHA-256.
const BUILD_STEP = 256;

/**
 * The bytes a batch signature covers: utf8("rxledger/custody-batch/v1\n") || size (u64 big-endian) || root.
 * @example batchSigningMessage(3, root).length // 66
 */
export function batchSigningMessage(size: number, root: Uint8Array): Uint8Array {
  const sizeBytes = new Uint8Array(8);
  new DataView(sizeBytes.buffer).setBigUint64(0, BigInt(size));
  return concatBytes(CONTEXT_BYTES, sizeBytes, root);
}

/**
 * The RFC 9162 tree over a batch's leaf hashes, every level kept, so each leaf's path is lookups only.
 * Levels pair neighbours left to right and carry an odd last node up unchanged: the same tree as
 * RFC 9162's split at the largest power of two below n.
 */
export class BatchTree {
  /** levels[0] are the leaf hashes; the last level holds the root alone. */
  readonly #levels: Uint8Array[][];

  private constructor(levels: Uint8Array[][]) {
    this.#levels = levels;
  }

  /**
   * Builds the tree, yielding every few hundred node hashes so a caller on a busy thread can pause
   * between steps (the gateway does, with WorkSlices). Throws RangeError for 0 or > MAX_BATCH_SIZE leaves.
   * @example const steps = BatchTree.build(hashes); let s; while (!(s = steps.next()).done) await pause();
   */
  static *build(leafHashes: readonly Uint8Array[]): Generator<void, BatchTree, void> {
    if (leafHashes.length < 1 || leafHashes.length > MAX_BATCH_SIZE) {
      throw new RangeError(`a batch holds 1 to ${MAX_BATCH_SIZE} events, got ${leafHashes.length}`);
    }
    const levels = [leafHashes.slice()];
    let done = 0;
    for (let level = levels[0]!; level.length > 1;) {
      const up: Uint8Array[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) {
        up.push(nodeHash(level[i]!, level[i + 1]!));
        if (++done % BUILD_STEP === 0) yield;
      }
      if (level.length % 2 === 1) up.push(level.at(-1)!);
      levels.push(up);
      level = up;
    }
    return new BatchTree(levels);
  }

  /** The tree over `leafHashes`, built in one go (for small batches and tests). */
  static of(leafHashes: readonly Uint8Array[]): BatchTree {
    const steps = BatchTree.build(leafHashes);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  get size(): number {
    return this.#levels[0]!.length;
  }

  get root(): Uint8Array {
    return this.#levels.at(-1)![0]!;
  }

  /** The RFC 9162 inclusion path of leaf `index` (§2.1.3.1), deepest sibling first. */
  path(index: number): Uint8Array[] {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`leaf index ${index} is not in a batch of ${this.size}`);
    }
    const out: Uint8Array[] = [];
    let at = index;
    for (const level of this.#levels.slice(0, -1)) {
      const sibling = at ^ 1;
      // A last node without a right neighbour is carried up unchanged: no hash on its path there.
      if (sibling < level.length) out.push(level[sibling]!);
      at = Math.floor(at / 2);
    }
    return out;
  }
}

/** The leaf hash of an encoded custody event in its batch's tree: RFC 9162's SHA-256(0x00 || event). */
export function batchLeafHash(event: Uint8Array): Uint8Array {
  return leafHash(event);
}

/**
 * Signs encoded custody events as one batch: one signature over their root, one record each. Sync,
 * for small batches (registry events, vectors, tests); the gateway builds the tree in slices.
 * @example signEventBatch(nodeEd25519, key, [encodeCustodyEvent(a), encodeCustodyEvent(b)]).map((s) => encodeSignedEvent(s))
 */
export function signEventBatch(ed: Ed25519, key: SigningKey, events: readonly Uint8Array[]): SignedEvent[] {
  const tree = BatchTree.of(events.map(batchLeafHash));
  return batchRecords(ed, key, events, tree);
}

/** The records of a batch whose tree over `events` is built: the root signed once, a path each. */
export function batchRecords(
  ed: Ed25519,
  key: SigningKey,
  events: readonly Uint8Array[],
  tree: BatchTree,
): SignedEvent[] {
  const signature = ed.sign(key, batchSigningMessage(tree.size, tree.root));
  return events.map((event, index) => ({
    event,
    keyId: key.keyId,
    signature,
    batch: { index, size: tree.size, path: tree.path(index) },
  }));
}

/** Why a record's batch position cannot lead to any signed root. */
export type BatchRejection = 'MALFORMED_BATCH';

/**
 * The root a batch record's path leads to from its own event, or why it cannot lead to any: a size
 * out of 1..MAX_BATCH_SIZE, an index not below the size, a path of the wrong length.
 */
export function batchRootOf(
  event: Uint8Array,
  batch: BatchPosition,
): { ok: true; root: Uint8Array } | { ok: false; code: BatchRejection; message: string } {
  const { index, size, path } = batch;
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_BATCH_SIZE) {
    return {
      ok: false,
      code: 'MALFORMED_BATCH',
      message: `batchSize ${size} is not in 1..${MAX_BATCH_SIZE}`,
    };
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    return {
      ok: false,
      code: 'MALFORMED_BATCH',
      message: `leafIndex ${index} is not below batchSize ${size}`,
    };
  }
  try {
    return { ok: true, root: rootFromInclusionProof(batchLeafHash(event), index, size, path) };
  } catch (err) {
    if (!(err instanceof ProofError)) throw err;
    return { ok: false, code: 'MALFORMED_BATCH', message: `path: ${err.message}` };
  }
}
