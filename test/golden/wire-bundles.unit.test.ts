// Provenance bundles built from the frozen golden leaves alone (no ledger, no writer of today): a v1
// bundle from wire.json must verify exactly as it did before LedgerEntry v2, and a v2 bundle from
// wire-v2.json must verify, and fail when it leaves out the revocation its signer links point at.
import { describe, expect, it } from 'vitest';
import { verifyBundle } from '../../shared/verifier/src/index.ts';
import { goldenBundle, PACK_A, PACK_C, trustOf, v1, v2 } from './golden-bundles.ts';

describe('bundles of the frozen golden leaves', () => {
  it('a v1 bundle verifies as before: the same checks, completeness on the bundle’s word', () => {
    const r = verifyBundle(goldenBundle(v1, PACK_A, 12, [1, 2, 3, 4, 5, 6, 7, 8, 10], [0, 11]), trustOf(v1));
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.checks.map((c) => `${c.what}${c.index === undefined ? '' : ` ${c.index}`}`)).toEqual(V1_CHECKS);
    expect(r.checks.find((c) => c.what === 'registry completeness')?.detail).toBe(
      "registry leaves at 0, 11, the genesis at 0. Inclusion proofs show these leaves are in the log, not that no other registry leaf exists below size 12: that rests on the bundle's word",
    );
  });

  const rotated = () => goldenBundle(v2, PACK_C, 16, [13, 14, 15], [0, 11, 12]);

  it('a v2 bundle verifies, its registry completeness proven by the links', () => {
    const r = verifyBundle(rotated(), trustOf(v2));
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.checks.find((c) => c.what === 'registry completeness')?.detail).toMatch(/Proven by the links/);
  });

  it('a v2 bundle without the RevokeKey (leaf 11) or the AddKey (leaf 12) fails, naming the leaf left out', () => {
    for (const [left, hash] of [
      [11, v2.leaves[11]!.leafHash],
      [12, v2.leaves[12]!.leafHash],
    ] as const) {
      const bundle = rotated();
      const r = verifyBundle(
        { ...bundle, registry: bundle.registry.filter((l) => l.index !== left) },
        trustOf(v2),
      );
      expect(r.ok, `without ${left}`).toBe(false);
      expect(r.checks.find((c) => c.what === 'registry completeness')).toMatchObject({
        ok: false,
        detail: expect.stringContaining(hash),
      });
    }
  });
});

// The checks the verifier made of this bundle before LedgerEntry v2 (measured with the verifier of
// commit cda21ca on the same bundle): v1 bundles get no registry or signer link checks.
const V1_CHECKS = [
  'bundle shape',
  'checkpoint',
  'witness cosignatures', // passes without a witness policy in the trust anchors (issue 16)
  ...Array(4).fill('schema fingerprint'),
  ...[0, 11, 1, 2, 3, 4, 5, 6, 7, 8, 10].map((i) => `leaf decoding ${i}`),
  'registry inclusion 0',
  'registry inclusion 11',
  'registry signature 0',
  'registry signature 11',
  'registry completeness',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 10].map((i) => `entry inclusion ${i}`),
  ...[1, 2, 3, 4, 5, 6, 7, 8, 10].map((i) => `entry signature ${i}`),
  'hash links',
  'hash links',
  ...[0, 11, 1, 2, 3, 4, 5, 6, 7, 8, 10].map((i) => `leaf seq ${i}`),
];
