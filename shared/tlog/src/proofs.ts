import { ProofError } from './errors.ts';
import { type HashReader, rangeHash } from './hash-reader.ts';
import { checkCount, largestPowerOfTwoBelow } from './merkle.ts';

// Proof generation, written as RFC 9162's recursive definitions over leaf ranges [begin, end). Every
// MTH(...) the RFC appends is a stored perfect subtree except at most one right-edge range, which
// `rangeHash` rebuilds from O(log n) stored subtrees, so a proof costs O(log n) lookups in all.

/**
 * Inclusion proof (audit path) for leaf `index` in the tree of the first `size` leaves, RFC 9162
 * §2.1.3.1: PATH(m, D[n]). The reader must hold a tree of at least `size` leaves.
 * @example inclusionProof(store, 2, 5) // [s(0,3), s(1,0), s(0,4)] with s = store.subtree
 */
export function inclusionProof(reader: HashReader, index: number, size: number): Uint8Array[] {
  checkCount(size, 'size', 1, ProofError);
  checkCount(index, 'index', 0, ProofError);
  if (index >= size)
    throw new ProofError('INVALID_ARGUMENT', `index ${index} is not below the tree size ${size}`);
  const out: Uint8Array[] = [];
  path(reader, index, 0, size, out);
  return out;
}

// PATH(m, D[begin:end]) with m relative to begin; appends in the RFC's order (deepest sibling first).
function path(reader: HashReader, m: number, begin: number, end: number, out: Uint8Array[]): void {
  const n = end - begin;
  if (n === 1) return; // PATH(0, {d(0)}) = {}
  const k = largestPowerOfTwoBelow(n);
  if (m < k) {
    path(reader, m, begin, begin + k, out);
    out.push(rangeHash(reader, begin + k, end));
  } else {
    path(reader, m - k, begin + k, end, out);
    out.push(rangeHash(reader, begin, begin + k));
  }
}

/**
 * Consistency proof from the tree of `size1` leaves to the tree of `size2` leaves, RFC 9162 §2.1.4.1:
 * PROOF(m, D[n]) = SUBPROOF(m, D[n], true). Empty when size1 is 0 or equals size2, where the RFC
 * defines no proof and none is needed.
 * @example consistencyProof(store, 3, 7) // [s(0,2), s(0,3), s(1,0), MTH(leaves 4..6)] with s = store.subtree
 */
export function consistencyProof(reader: HashReader, size1: number, size2: number): Uint8Array[] {
  checkCount(size1, 'size1', 0, ProofError);
  checkCount(size2, 'size2', 0, ProofError);
  if (size1 > size2)
    throw new ProofError('INVALID_ARGUMENT', `size1 ${size1} is greater than size2 ${size2}`);
  const out: Uint8Array[] = [];
  if (size1 === 0 || size1 === size2) return out;
  subproof(reader, size1, 0, size2, true, out);
  return out;
}

// SUBPROOF(m, D[begin:end], b) with m relative to begin.
function subproof(
  reader: HashReader,
  m: number,
  begin: number,
  end: number,
  b: boolean,
  out: Uint8Array[],
): void {
  const n = end - begin;
  if (m === n) {
    // SUBPROOF(m, D[m], true) = {}: the verifier already has this root; otherwise it is needed.
    if (!b) out.push(rangeHash(reader, begin, end));
    return;
  }
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) {
    subproof(reader, m, begin, begin + k, b, out);
    out.push(rangeHash(reader, begin + k, end));
  } else {
    subproof(reader, m - k, begin + k, end, false, out);
    out.push(rangeHash(reader, begin, begin + k));
  }
}
