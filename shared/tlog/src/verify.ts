import { bytesEqual, toHex } from './encoding.ts';
import { ProofError } from './errors.ts';
import {
  checkCount,
  checkHash,
  emptyRoot,
  isPowerOfTwo,
  largestPowerOfTwoBelow,
  nodeHash,
} from './merkle.ts';

// Proof verification exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 state it, step numbers included, so a
// reviewer can hold it against the RFC. The proof length is checked first against the length the
// generation algorithm produces, only to give a precise message; the RFC steps would reject it anyway.
// Sizes and indices are numbers, so "right-shift" is halving: `>>` would truncate to 32 bits.

/**
 * The root that an inclusion proof leads to from `leafHash` at `index` in a tree of `size` leaves
 * (RFC 9162 §2.1.3.2 steps 1-4). Throws `ProofError` if the proof cannot be right for any root.
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Uint8Array {
  checkHash(leafHash, 'leaf hash', ProofError);
  checkCount(size, 'size', 1, ProofError);
  checkCount(index, 'index', 0, ProofError);
  checkProofHashes(proof);
  // 1. leaf_index >= tree_size fails.
  if (index >= size)
    throw new ProofError('INVALID_ARGUMENT', `index ${index} is not below the tree size ${size}`);
  const want = inclusionProofLength(index, size);
  if (proof.length !== want) {
    throw new ProofError(
      'PROOF_MISMATCH',
      `inclusion proof has ${proof.length} hashes; index ${index} in a tree of size ${size} needs ${want}`,
    );
  }
  // 2. fn = leaf_index, sn = tree_size - 1.
  let fn = index;
  let sn = size - 1;
  // 3. r = hash.
  let r = leafHash;
  // 4. For each p in the inclusion path:
  for (const p of proof) {
    // a. sn = 0 fails.
    if (sn === 0)
      throw new ProofError('PROOF_MISMATCH', 'inclusion proof is longer than the path to the root');
    // b. LSB(fn) set, or fn = sn: r = HASH(0x01 || p || r), then shift until LSB(fn) is set or fn is 0.
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      // otherwise r = HASH(0x01 || r || p).
      r = nodeHash(r, p);
    }
    // c. shift once.
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 5 (first half). sn must have reached 0.
  if (sn !== 0)
    throw new ProofError('PROOF_MISMATCH', 'inclusion proof is shorter than the path to the root');
  return r;
}

/**
 * Checks that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root` (RFC 9162
 * §2.1.3.2). Returns normally on success; throws `ProofError` saying why otherwise.
 * @example verifyInclusion(leafHash(entry.leaf), entry.index, checkpoint.size, entry.proof, checkpoint.root)
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkHash(root, 'root', ProofError);
  const computed = rootFromInclusionProof(leafHash, index, size, proof);
  // 5 (second half). r must equal the root.
  if (!bytesEqual(computed, root)) {
    throw new ProofError(
      'PROOF_MISMATCH',
      `inclusion proof for index ${index} in a tree of size ${size} leads to root ${toHex(computed)}, not ${toHex(root)}`,
    );
  }
}

/**
 * Checks that the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves with
 * root `root1` (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and equal roots; size1 = 0 needs
 * an empty proof and the empty-tree root. Returns normally on success; throws `ProofError` otherwise.
 * @example verifyConsistency(old.size, cur.size, proof, old.root, cur.root) // old log is a prefix of cur
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkCount(size1, 'size1', 0, ProofError);
  checkCount(size2, 'size2', 0, ProofError);
  checkHash(root1, 'root1', ProofError);
  checkHash(root2, 'root2', ProofError);
  checkProofHashes(proof);
  if (size1 > size2)
    throw new ProofError('INVALID_ARGUMENT', `size1 ${size1} is greater than size2 ${size2}`);

  // Outside the RFC's 0 < first < second: nothing to prove, but the claims must still be true.
  if (size1 === 0 || size1 === size2) return checkTrivialConsistency(size1, size2, proof, root1, root2);

  const want = consistencyProofLength(size1, size2);
  // 1. An empty consistency_path fails.
  if (proof.length !== want) {
    throw new ProofError(
      'PROOF_MISMATCH',
      `consistency proof has ${proof.length} hashes; from size ${size1} to ${size2} it needs ${want}`,
    );
  }
  const { fr, sr } = consistencyRoots(size1, size2, proof, root1);
  if (!bytesEqual(fr, root1)) {
    throw new ProofError(
      'PROOF_MISMATCH',
      `consistency proof from ${size1} to ${size2} leads to old root ${toHex(fr)}, not ${toHex(root1)}`,
    );
  }
  if (!bytesEqual(sr, root2)) {
    throw new ProofError(
      'PROOF_MISMATCH',
      `consistency proof from ${size1} to ${size2} leads to new root ${toHex(sr)}, not ${toHex(root2)}`,
    );
  }
}

/** size1 = 0 or size1 = size2: the proof must be empty, and the roots what those sizes imply. */
function checkTrivialConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  if (proof.length !== 0) {
    throw new ProofError(
      'PROOF_MISMATCH',
      `consistency proof from ${size1} to ${size2} must be empty, has ${proof.length} hashes`,
    );
  }
  if (size1 === 0 && !bytesEqual(root1, emptyRoot())) {
    throw new ProofError(
      'PROOF_MISMATCH',
      `root1 ${toHex(root1)} is not the empty-tree root, yet size1 is 0`,
    );
  }
  if (size1 === size2 && !bytesEqual(root1, root2)) {
    throw new ProofError(
      'PROOF_MISMATCH',
      `trees of equal size ${size1} have different roots ${toHex(root1)} and ${toHex(root2)}`,
    );
  }
}

/**
 * RFC 9162 §2.1.4.2 steps 2-7 for 0 < size1 < size2 and a proof of the right length: the old and
 * new roots (fr, sr) the proof leads to. Throws when the proof does not fit the path to the root.
 */
function consistencyRoots(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
): { fr: Uint8Array; sr: Uint8Array } {
  // 2. If first is an exact power of 2, prepend first_hash to consistency_path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  // 3. fn = first - 1, sn = second - 1.
  let fn = size1 - 1;
  let sn = size2 - 1;
  // 4. If LSB(fn) is set, shift fn and sn until it is not.
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 5. fr = sr = consistency_path[0].
  let fr = path[0]!;
  let sr = path[0]!;
  // 6. For each subsequent c:
  for (const c of path.slice(1)) {
    // a. sn = 0 fails.
    if (sn === 0)
      throw new ProofError('PROOF_MISMATCH', 'consistency proof is longer than the path to the root');
    // b. LSB(fn) set, or fn = sn: both roots take c on the left, then shift until LSB(fn) is set or fn is 0.
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      // otherwise only the new tree grows, with c on the right.
      sr = nodeHash(sr, c);
    }
    // c. shift once.
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 7. fr = first_hash, sr = second_hash (the caller compares), sn = 0.
  if (sn !== 0)
    throw new ProofError('PROOF_MISMATCH', 'consistency proof is shorter than the path to the root');
  return { fr, sr };
}

function checkProofHashes(proof: unknown): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) throw new ProofError('INVALID_ARGUMENT', 'proof: expected an array of hashes');
  // A proof for a tree of up to 2^53 leaves never needs more; bounds the work done on hostile input.
  if (proof.length > 2 * 53)
    throw new ProofError('INVALID_ARGUMENT', `proof: ${proof.length} hashes is more than any tree needs`);
  for (const [i, h] of proof.entries()) checkHash(h, `proof[${i}]`, ProofError);
}

/** Length of PATH(index, D[size]) (RFC 9162 §2.1.3.1), from the sizes alone. */
function inclusionProofLength(index: number, size: number): number {
  let m = index;
  let n = size;
  let length = 0;
  while (n > 1) {
    const k = largestPowerOfTwoBelow(n);
    if (m < k) n = k;
    else {
      m -= k;
      n -= k;
    }
    length++;
  }
  return length;
}

/** Length of PROOF(size1, D[size2]) (RFC 9162 §2.1.4.1) for 0 < size1 < size2, from the sizes alone. */
function consistencyProofLength(size1: number, size2: number): number {
  let m = size1;
  let n = size2;
  let b = true;
  let length = 0;
  while (m !== n) {
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) n = k;
    else {
      m -= k;
      n -= k;
      b = false;
    }
    length++;
  }
  return b ? length : length + 1;
}
