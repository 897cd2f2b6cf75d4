// A naive Merkle tree written straight from RFC 9162 §2.1's recursive definitions, over raw entries
// and array slices, with no stored nodes: the oracle the optimised code is checked against.
import { sha256 } from '@noble/hashes/sha2.js';

const k = (n: number): number => {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p; // the largest power of two smaller than n
};
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** MTH(D[n]). */
export function mth(d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha256(new Uint8Array(0));
  if (d.length === 1) return sha256(cat(Uint8Array.of(0), d[0]!));
  const s = k(d.length);
  return sha256(cat(Uint8Array.of(1), mth(d.slice(0, s)), mth(d.slice(s))));
}

/** PATH(m, D[n]). */
export function path(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s
    ? [...path(m, d.slice(0, s)), mth(d.slice(s))]
    : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
export function proof(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  return subproof(m, d, true);
}

function subproof(m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s
    ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))]
    : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}
