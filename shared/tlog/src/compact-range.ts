import { TlogError } from './errors.ts';
import { type HashReader, readSubtree, type TreeNode } from './hash-reader.ts';
import { checkCount, checkHash, emptyRoot, nodeHash } from './merkle.ts';

/**
 * The compact range of a log of `size` leaves: the roots of the perfect subtrees that tile [0, size),
 * largest first, one per set bit of `size`. It is all an appender needs in memory: appending a leaf
 * hash yields exactly the tree nodes that become complete, which is what a database stores.
 * @example
 * const range = CompactRange.fromReader(store, store.size); // O(log n) reads on restart
 * const nodes = range.append(leafHash(entry));               // store these, then range.root()
 */
export class CompactRange {
  #size: number;
  readonly #hashes: Uint8Array[];

  private constructor(size: number, hashes: Uint8Array[]) {
    this.#size = size;
    this.#hashes = hashes;
  }

  /** The compact range of the empty log. */
  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** The compact range of the first `size` leaves, read from stored subtrees (popcount(size) reads). */
  static fromReader(reader: HashReader, size: number): CompactRange {
    checkCount(size, 'size', 0);
    const hashes: Uint8Array[] = [];
    let begin = 0;
    for (const level of setBitsDescending(size)) {
      const width = 2 ** level;
      hashes.push(readSubtree(reader, level, begin / width));
      begin += width;
    }
    return new CompactRange(size, hashes);
  }

  /** A compact range from its subtree roots, largest first (as returned by `hashes()`). */
  static fromHashes(size: number, hashes: readonly Uint8Array[]): CompactRange {
    checkCount(size, 'size', 0);
    const want = setBitsDescending(size).length;
    if (!Array.isArray(hashes) || hashes.length !== want) {
      throw new TlogError(
        'INVALID_ARGUMENT',
        `hashes: a compact range of size ${size} has ${want} subtree roots, got ${Array.isArray(hashes) ? hashes.length : typeof hashes}`,
      );
    }
    return new CompactRange(
      size,
      hashes.map((h, i) => Uint8Array.from(checkHash(h, `hashes[${i}]`))),
    );
  }

  /** Number of leaves covered. */
  get size(): number {
    return this.#size;
  }

  /** The subtree roots, largest (leftmost) first; copies, safe to keep. */
  hashes(): Uint8Array[] {
    return this.#hashes.map((h) => Uint8Array.from(h));
  }

  /**
   * Appends one leaf hash and returns the nodes that just became complete: the leaf itself at
   * level 0, then each parent it closes, bottom-up. Storing them keeps the store a full `HashReader`.
   */
  append(leaf: Uint8Array): TreeNode[] {
    let hash: Uint8Array = Uint8Array.from(checkHash(leaf, 'leaf hash'));
    if (this.#size >= Number.MAX_SAFE_INTEGER) {
      throw new TlogError('INVALID_ARGUMENT', `cannot append: log size ${this.#size} is at the 2^53-1 limit`);
    }
    let level = 0;
    let index = this.#size;
    const nodes: TreeNode[] = [{ level, index, hash }];
    // Each trailing 1 bit of the old size is a perfect subtree of the same height that the new node
    // now completes on the right; merging carries like binary increment.
    for (let s = this.#size; s % 2 === 1; s = (s - 1) / 2) {
      hash = nodeHash(this.#hashes.pop()!, hash);
      level++;
      index = (index - 1) / 2;
      nodes.push({ level, index, hash });
    }
    this.#hashes.push(hash);
    this.#size++;
    return nodes;
  }

  /** Appends leaf hashes in order and returns every node that became complete, in completion order. */
  appendAll(leaves: readonly Uint8Array[]): TreeNode[] {
    if (!Array.isArray(leaves)) throw new TlogError('INVALID_ARGUMENT', 'leaves: expected an array');
    // Validate all first so a bad hash in the middle does not leave the range half-appended.
    for (const [i, h] of leaves.entries()) checkHash(h, `leaves[${i}]`);
    return leaves.flatMap((h) => this.append(h));
  }

  /** MTH of the covered leaves: fold the subtree roots right to left (RFC 9162's right-edge split). */
  root(): Uint8Array {
    const hashes = this.#hashes;
    if (hashes.length === 0) return emptyRoot();
    let root = hashes[hashes.length - 1]!;
    for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i]!, root);
    return root;
  }
}

/** Exponents of the set bits of `n`, highest first: the levels of the subtrees tiling [0, n). */
function setBitsDescending(n: number): number[] {
  const levels: number[] = [];
  for (let m = n, level = 0; m > 0; m = Math.floor(m / 2), level++) if (m % 2 === 1) levels.push(level);
  return levels.reverse();
}
