// Provenance bundles built from the frozen golden leaves alone (no ledger, no writer of today): a v1
// bundle from wire.json must verify exactly as it did before LedgerEntry v2, and a v2 bundle from
// wire-v2.json must verify, and fail when it leaves out the revocation its signer links point at.
import { readFileSync } from 'node:fs';
import { rxledgerSchemas } from '@rxledger/events';
import {
  ed25519Signer,
  fromHex,
  inclusionProof,
  MemoryHashStore,
  rootFromReader,
  signCheckpoint,
  toBase64,
} from '@rxledger/tlog';
import { describe, expect, it } from 'vitest';
import { type ProvenanceBundle, type VerifierTrust, verifyBundle } from '../../shared/verifier/src/index.ts';
import type { WireVectors, WireVectorsV2 } from './build-wire-vectors.ts';

const read = (file: string) => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));
const v1 = read('./wire.json') as WireVectors;
const v2 = read('./wire-v2.json') as WireVectorsV2;

const PACK_A = 'https://id.gs1.org/01/04012345123456/21/SN0001';
const PACK_C = 'https://id.gs1.org/01/04012345123456/21/SN0003';

function goldenBundle(
  vectors: WireVectors | WireVectorsV2,
  item: string,
  size: number,
  entries: number[],
  registry: number[],
): ProvenanceBundle {
  const hashes = new MemoryHashStore();
  hashes.append(vectors.leaves.slice(0, size).map((l) => fromHex(l.leafHash)));
  const proven = (seq: number) => ({
    index: seq,
    leaf: toBase64(fromHex(vectors.leaves[seq]!.leaf)),
    proof: inclusionProof(hashes, seq, size).map(toBase64),
  });
  // wire.json's checkpoints are not over its leaves (see build-wire-vectors.ts): sign the true root
  // with the golden checkpoint key instead.
  const root = rootFromReader(hashes, size);
  const signer = ed25519Signer(vectors.checkpointKey.name, fromHex(vectors.checkpointKey.seed));
  return {
    item,
    checkpoint: signCheckpoint({ origin: vectors.checkpointKey.name, size, root }, signer),
    entries: entries.map(proven),
    registry: registry.map(proven),
    schemas: rxledgerSchemas.toJSON(),
  };
}

const trustOf = (vectors: WireVectors | WireVectorsV2): VerifierTrust => ({
  checkpointKey: vectors.checkpointKey.vkey,
  authorityKey: fromHex(vectors.keys.authority!.publicKey),
  origin: vectors.checkpointKey.name,
});

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
