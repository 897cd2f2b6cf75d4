import { CompactRange } from './compact-range.ts';
import { TlogError } from './errors.ts';
import { type HashReader, rootFromReader, type TreeNode } from './hash-reader.ts';
import { checkCount } from './merkle.ts';

/**
 * An in-memory append-only log of leaf hashes that keeps every complete subtree: the reference
 * `HashReader` for tests, the offline verifier and small tools. A server keeps the same nodes in its
 * database instead (see `CompactRange.append`).
 */
export class MemoryHashStore implements HashReader {
  /** levels[l][i] = hash of the perfect subtree at level l, index i. */
  readonly #levels: Uint8Array[][] = [];
  readonly #range = CompactRange.empty();

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#range.size;
  }

  /** Appends leaf hashes (already `leafHash`ed), all or none, and returns the nodes that became complete. */
  append(leafHashes: readonly Uint8Array[]): TreeNode[] {
    const nodes = this.#range.appendAll(leafHashes);
    for (const { level, index, hash } of nodes) {
      const row = this.#levels[level] ?? [];
      this.#levels[level] = row;
      row[index] = Uint8Array.from(hash); // the caller keeps `nodes`; our copy must not alias it
    }
    return nodes;
  }

  /** Hash of the complete subtree at `level`/`index` (a copy); throws if it is not complete yet. */
  subtree(level: number, index: number): Uint8Array {
    checkCount(level, 'level', 0);
    checkCount(index, 'index', 0);
    const hash = this.#levels[level]?.[index];
    if (hash === undefined) {
      throw new TlogError(
        'INVALID_ARGUMENT',
        `subtree ${level}/${index} is not complete in a log of size ${this.size} (it needs leaves up to ${(index + 1) * 2 ** level})`,
      );
    }
    return Uint8Array.from(hash);
  }

  /** MTH of the first `size` leaves (default: all), in O(log n). */
  root(size: number = this.size): Uint8Array {
    checkCount(size, 'size', 0);
    if (size > this.size)
      throw new TlogError('INVALID_ARGUMENT', `size ${size} exceeds the log size ${this.size}`);
    return rootFromReader(this, size);
  }
}
