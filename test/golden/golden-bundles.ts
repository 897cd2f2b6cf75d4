// Provenance bundles made from the frozen golden leaves alone (no ledger, no writer of today), for the
// golden bundle tests and for test/golden/bundles.json, which the Node and the browser verifier both run.
import { readFileSync } from 'node:fs';
import { RECORD_NAMES, rxledgerSchemas } from '@rxledger/events';
import {
  ed25519Signer,
  fromBase64,
  fromHex,
  inclusionProof,
  MemoryHashStore,
  rootFromReader,
  signCheckpoint,
  toBase64,
} from '@rxledger/tlog';
import type { ProvenanceBundle, VerifierTrust } from '../../shared/verifier/src/index.ts';
import type { WireVectors, WireVectorsV2 } from './build-wire-vectors.ts';

const read = (file: string) => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));
export const v1 = read('./wire.json') as WireVectors;
export const v2 = read('./wire-v2.json') as WireVectorsV2;

export const PACK_A = 'https://id.gs1.org/01/04012345123456/21/SN0001';
export const PACK_C = 'https://id.gs1.org/01/04012345123456/21/SN0003';

export function goldenBundle(
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
    schemas: GOLDEN_ERA_SCHEMAS,
  };
}

// The schemas a node served when these leaves were written (before CustodyEvent v2): the golden
// bundles stay the bundles a node made then, byte for byte, and a verifier of today still takes them.
const GOLDEN_ERA_SCHEMAS = Object.fromEntries(
  [
    RECORD_NAMES.custodyEvent,
    RECORD_NAMES.signedEvent,
    RECORD_NAMES.ledgerEntry,
    RECORD_NAMES.ledgerEntryV2,
  ].map((name) => [rxledgerSchemas.get(name)!.fingerprint, rxledgerSchemas.get(name)!.schema]),
);

export const trustOf = (vectors: WireVectors | WireVectorsV2): VerifierTrust => ({
  checkpointKey: vectors.checkpointKey.vkey,
  authorityKey: fromHex(vectors.keys.authority!.publicKey),
  origin: vectors.checkpointKey.name,
});

/** One frozen bundle case: the bundle, the anchors as a person types them, and the verdict expected. */
export interface GoldenBundleCase {
  name: string;
  what: string;
  bundle: ProvenanceBundle;
  anchors: { checkpointKey: string; authorityKey: string; origin: string };
  expect: { ok: boolean; failed: string[] };
}

const anchorsOf = (vectors: WireVectors | WireVectorsV2) => ({
  checkpointKey: vectors.checkpointKey.vkey,
  authorityKey: toBase64(fromHex(vectors.keys.authority!.publicKey)),
  origin: vectors.checkpointKey.name,
});

/**
 * The cases of test/golden/bundles.json (without their expected verdicts, which are frozen with them):
 * bundles that verify, one that leaves out a registry leaf its links point at, and one whose leaf was
 * altered after the checkpoint was signed.
 */
export function goldenBundleCases(): Omit<GoldenBundleCase, 'expect'>[] {
  const rotated = goldenBundle(v2, PACK_C, 16, [13, 14, 15], [0, 11, 12]);
  const altered = structuredClone(rotated);
  const leaf = fromBase64(altered.entries[1]!.leaf);
  leaf[leaf.length - 1]! ^= 0x01;
  altered.entries[1]!.leaf = toBase64(leaf);
  return [
    {
      name: 'v1-pack-a',
      what: 'a LedgerEntry v1 history of one pack, from commissioning to dispense',
      bundle: goldenBundle(v1, PACK_A, 12, [1, 2, 3, 4, 5, 6, 7, 8, 10], [0, 11]),
      anchors: anchorsOf(v1),
    },
    {
      name: 'v2-pack-c-rotated-key',
      what: 'a LedgerEntry v2 history signed after a key rotation, its registry proven complete by links',
      bundle: rotated,
      anchors: anchorsOf(v2),
    },
    {
      name: 'v2-pack-c-without-revocation',
      what: 'the same bundle without the RevokeKey leaf its signer links point at',
      bundle: { ...rotated, registry: rotated.registry.filter((l) => l.index !== 11) },
      anchors: anchorsOf(v2),
    },
    {
      name: 'v2-pack-c-altered-leaf',
      what: 'the same bundle with one bit of a leaf flipped after the checkpoint was signed',
      bundle: altered,
      anchors: anchorsOf(v2),
    },
  ];
}
