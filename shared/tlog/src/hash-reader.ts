import { TlogError } from './errors.ts';
import {
  checkCount,
  emptyRoot,
  HASH_SIZE,
  isPowerOfTwo,
  largestPowerOfTwoBelow,
  nodeHash,
} from './merkle.ts';

/**
 * Read access to the complete ("perfect") subtrees of an append-only log, addressed as in C2SP
 * tlog-tiles: the node at `level` and `index` is the root of leaves [index·2^level, (index+1)·2^level).
 * Level 0 holds the leaf hashes. Once complete, a node never changes, so a database can store each
 * one exactly once; every root and proof of the log is computed from these nodes alone.
 */
export interface HashReader {
  /**
   * Hash of the perfect subtree at `level`/`index`. MUST throw if that subtree is not complete
   * (some of its leaves are not yet in the log): returning anything else would yield wrong proofs.
   */
  subtree(level: number, index: number): Uint8Array;
}

/** One stored node of the tree: the perfect subtree at `level`/`index` and its hash. */
export interface TreeNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

/**
 * MTH of the first `size` leaves from stored subtrees, one read per set bit of `size`: O(log n).
 * @example rootFromReader(store, 7) // = nodeHash(s(2,0), nodeHash(s(1,2), s(0,6))) with s = store.subtree
 */
export function rootFromReader(reader: HashReader, size: number): Uint8Array {
  checkCount(size, 'size', 0);
  return size === 0 ? emptyRoot() : rangeHash(reader, 0, size);
}

/**
 * Hash of leaves [begin, end) where the range is a subtree of RFC 9162's recursive split: either
 * perfect and aligned (one lookup), or the right edge of a tree (split at the largest power of two).
 * Internal: callers pass ranges produced by that recursion only.
 */
export function rangeHash(reader: HashReader, begin: number, end: number): Uint8Array {
  const n = end - begin;
  if (isPowerOfTwo(n)) return readSubtree(reader, log2(n), begin / n);
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(rangeHash(reader, begin, begin + k), rangeHash(reader, begin + k, end));
}

/** `reader.subtree` with its answer checked: a store that hands back a wrong-sized value is a bug. */
export function readSubtree(reader: HashReader, level: number, index: number): Uint8Array {
  const hash = reader.subtree(level, index);
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new TlogError(
      'INVALID_ARGUMENT',
      `hash reader returned ${hash instanceof Uint8Array ? `${hash.length} bytes` : typeof hash} for subtree ${level}/${index}, expected ${HASH_SIZE} bytes`,
    );
  }
  return hash;
}

/** log2 of a power of two, exact for all safe integers. */
export function log2(powerOfTwo: number): number {
  let level = 0;
  for (let m = powerOfTwo; m > 1; m /= 2) level++;
  return level;
}
