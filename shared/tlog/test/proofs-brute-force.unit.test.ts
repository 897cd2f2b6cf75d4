import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  type HashReader,
  inclusionProof,
  leafHash,
  MemoryHashStore,
  ProofError,
  toHex,
  utf8,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.ts';
import * as rfc from './reference.ts';

// Every tree size 1..64, every leaf and every (m, n): proofs generated from the subtree store equal
// the naive RFC 9162 definitions, verify, cost O(log n) reads, and fail once anything is altered.
const MAX = 64;
// Twice as many leaves as the largest tree, so that "size * 2" has a real root to be checked against.
const entries = Array.from({ length: 2 * MAX }, (_, i) => utf8(`entry ${i}`));
const store = new MemoryHashStore();
store.append(entries.map(leafHash));
const roots = [store.root(0), ...entries.map((_, i) => store.root(i + 1))];
const leaves = entries.map(leafHash);
const hex = (list: readonly Uint8Array[]) => list.map(toHex);
const log2ceil = (n: number) => Math.ceil(Math.log2(n));

function counting(): HashReader & { count: number } {
  const reader = {
    count: 0,
    subtree(l: number, i: number) {
      reader.count++;
      return store.subtree(l, i);
    },
  };
  return reader;
}

/** The alterations probed: neighbours, bit flips, doubling, halving, the ends (as in CT's tests). */
function altered(x: number, lo: number, hi: number): number[] {
  const all = [x - 1, x + 1, x + 2, x ^ 1, x ^ 2, 2 * x, Math.floor(x / 2), lo, hi];
  return [...new Set(all)].filter((y) => y !== x && y >= lo && y <= hi);
}

/** Runs a verification that must throw `ProofError`; records its label if it was accepted. */
function mustFail(accepted: string[], label: () => string, verify: () => void): void {
  try {
    verify();
  } catch (err) {
    if (err instanceof ProofError) return;
    throw err;
  }
  accepted.push(label());
}

function flipped(proof: readonly Uint8Array[], at: number): Uint8Array[] {
  return proof.map((h, i) => {
    if (i !== at) return h;
    const out = Uint8Array.from(h);
    out[31]! ^= 1;
    return out;
  });
}

describe(`inclusion proofs for every leaf of every tree of 1..${MAX} leaves`, () => {
  it('match the RFC definition and the reference root, in O(log n) reads', () => {
    for (let n = 1; n <= MAX; n++) {
      const d = entries.slice(0, n);
      expect(toHex(roots[n]!), `MTH(${n})`).toBe(toHex(rfc.mth(d)));
      for (let m = 0; m < n; m++) {
        const reader = counting();
        const proof = inclusionProof(reader, m, n);
        expect(hex(proof), `PATH(${m}, D[${n}])`).toEqual(hex(rfc.path(m, d)));
        expect(reader.count, `reads for ${m}/${n}`).toBeLessThanOrEqual(2 * log2ceil(n));
        verifyInclusion(leaves[m]!, m, n, proof, roots[n]!);
      }
    }
  });

  it('fail when any proof hash, the index, the size or the leaf is altered', () => {
    const accepted: string[] = [];
    for (let n = 1; n <= MAX; n++) {
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(store, m, n);
        for (let i = 0; i < proof.length; i++) {
          mustFail(
            accepted,
            () => `${m}/${n} hash ${i}`,
            () => verifyInclusion(leaves[m]!, m, n, flipped(proof, i), roots[n]!),
          );
        }
        for (const j of altered(m, 0, n - 1)) {
          mustFail(
            accepted,
            () => `${m}/${n} as index ${j}`,
            () => verifyInclusion(leaves[m]!, j, n, proof, roots[n]!),
          );
        }
        // Another size is checked against that size's root: a checkpoint binds each size to its root.
        for (const s of altered(n, m + 1, 2 * MAX)) {
          mustFail(
            accepted,
            () => `${m}/${n} as size ${s}`,
            () => verifyInclusion(leaves[m]!, m, s, proof, roots[s]!),
          );
        }
        const other = leaves[n]!; // a leaf not in this tree
        mustFail(
          accepted,
          () => `${m}/${n} other leaf`,
          () => verifyInclusion(other, m, n, proof, roots[n]!),
        );
      }
    }
    expect(accepted, 'altered proofs that verified').toEqual([]);
  });
});

describe(`consistency proofs for every 1 <= m <= n <= ${MAX}`, () => {
  it('match the RFC definition, verify, and cost O(log n) reads', () => {
    for (let n = 1; n <= MAX; n++) {
      for (let m = 1; m <= n; m++) {
        const reader = counting();
        const proof = consistencyProof(reader, m, n);
        expect(hex(proof), `PROOF(${m}, D[${n}])`).toEqual(
          m === n ? [] : hex(rfc.proof(m, entries.slice(0, n))),
        );
        expect(reader.count, `reads for ${m}->${n}`).toBeLessThanOrEqual(3 * log2ceil(n));
        verifyConsistency(m, n, proof, roots[m]!, roots[n]!);
      }
    }
  });

  it('fail when any proof hash or either size is altered', () => {
    const accepted: string[] = [];
    for (let n = 2; n <= MAX; n++) {
      for (let m = 1; m < n; m++) {
        const proof = consistencyProof(store, m, n);
        for (let i = 0; i < proof.length; i++) {
          mustFail(
            accepted,
            () => `${m}->${n} hash ${i}`,
            () => verifyConsistency(m, n, flipped(proof, i), roots[m]!, roots[n]!),
          );
        }
        for (const s of altered(m, 1, n)) {
          mustFail(
            accepted,
            () => `${m}->${n} as ${s}->${n}`,
            () => verifyConsistency(s, n, proof, roots[s]!, roots[n]!),
          );
        }
        for (const s of altered(n, m, 2 * MAX)) {
          mustFail(
            accepted,
            () => `${m}->${n} as ${m}->${s}`,
            () => verifyConsistency(m, s, proof, roots[m]!, roots[s]!),
          );
        }
      }
    }
    expect(accepted, 'altered proofs that verified').toEqual([]);
  });
});
