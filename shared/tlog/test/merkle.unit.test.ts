import { describe, expect, it } from 'vitest';
import {
  CompactRange,
  consistencyProof,
  emptyRoot,
  fromHex,
  type HashReader,
  inclusionProof,
  leafHash,
  MemoryHashStore,
  merkleTreeHash,
  nodeHash,
  ProofError,
  rootFromInclusionProof,
  rootFromReader,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.ts';
import v from './vectors/rfc6962-merkle.json' with { type: 'json' };

const entries = v.leaves.map((h) => fromHex(h));
const roots = v.roots.map((h) => fromHex(h));
const hashes = (list: readonly string[]) => list.map((h) => fromHex(h));
const hexes = (list: readonly Uint8Array[]) => list.map(toHex);

function storeOf(n: number): MemoryHashStore {
  const store = new MemoryHashStore();
  store.append(entries.slice(0, n).map(leafHash));
  return store;
}

/** A store that records which subtrees a computation reads. */
function recording(store: HashReader): HashReader & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return {
    reads,
    subtree(level, index) {
      reads.push([level, index]);
      return store.subtree(level, index);
    },
  };
}

/** Go's Nodes.Rehash: fold nodes[begin..end) into one hash, each later node on the left. */
function expectedProof(store: HashReader, nodes: number[][], rehash?: number[]): string[] {
  const hs = nodes.map(([level, index]) => store.subtree(level!, index!));
  if (rehash === undefined) return hexes(hs);
  const [begin, end] = rehash as [number, number];
  let h = hs[begin]!;
  for (let i = begin + 1; i < end; i++) h = nodeHash(hs[i]!, h);
  return hexes([...hs.slice(0, begin), h, ...hs.slice(end)]);
}

describe('RFC 6962 hashing', () => {
  it('hashes the empty tree and leaves as the CT test data says', () => {
    expect(toHex(emptyRoot())).toBe(v.hasher.emptyRoot);
    expect(toHex(merkleTreeHash([]))).toBe(v.hasher.emptyRoot);
    for (const { leaf, hash } of v.hasher.leafHashes) expect(toHex(leafHash(fromHex(leaf)))).toBe(hash);
  });

  it('computes the roots of the 1..8-leaf example trees three ways', () => {
    const range = CompactRange.empty();
    const store = new MemoryHashStore();
    for (let n = 1; n <= 8; n++) {
      range.append(leafHash(entries[n - 1]!));
      store.append([leafHash(entries[n - 1]!)]);
      expect(toHex(merkleTreeHash(entries.slice(0, n))), `MTH of ${n}`).toBe(v.roots[n - 1]);
      expect(toHex(range.root()), `compact range of ${n}`).toBe(v.roots[n - 1]);
      expect(toHex(store.root()), `store at ${n}`).toBe(v.roots[n - 1]);
    }
    // Past sizes from the final store, as a log serves old checkpoints.
    for (let n = 0; n <= 8; n++)
      expect(toHex(store.root(n))).toBe(n === 0 ? v.hasher.emptyRoot : v.roots[n - 1]);
  });
});

describe('inclusion proofs (CT test data)', () => {
  const store = storeOf(8);
  for (const { index, size, proof } of v.inclusionProofs) {
    it(`index ${index} in size ${size}`, () => {
      const leaf = leafHash(entries[index]!);
      expect(hexes(inclusionProof(store, index, size))).toEqual(proof);
      expect(toHex(rootFromInclusionProof(leaf, index, size, hashes(proof)))).toBe(v.roots[size - 1]);
      verifyInclusion(leaf, index, size, hashes(proof), roots[size - 1]!);
    });
  }

  it('rejects the corruptions of transparency-dev/merkle verify_test.go', () => {
    const some = fromHex('abacaba000000000000000000000000000000000000000000060061e00123456');
    for (const { index, size, proof: p } of v.inclusionProofs.filter((x) => x.proof.length > 0)) {
      const proof = hashes(p);
      const root = roots[size - 1]!;
      const leaf = leafHash(entries[index]!);
      const probes: [string, () => void][] = [
        ['index - 1', () => verifyInclusion(leaf, index - 1, size, proof, root)],
        ['index + 1', () => verifyInclusion(leaf, index + 1, size, proof, root)],
        ['index ^ 2', () => verifyInclusion(leaf, index ^ 2, size, proof, root)],
        ['size * 2', () => verifyInclusion(leaf, index, size * 2, proof, root)],
        ['size / 2', () => verifyInclusion(leaf, index, Math.floor(size / 2), proof, root)],
        ['wrong leaf', () => verifyInclusion(leafHash(Uint8Array.of(9)), index, size, proof, root)],
        ['empty root', () => verifyInclusion(leaf, index, size, proof, emptyRoot())],
        ['random root', () => verifyInclusion(leaf, index, size, proof, some)],
        ['trailing root', () => verifyInclusion(leaf, index, size, [...proof, root], root)],
        ['preceding root', () => verifyInclusion(leaf, index, size, [root, ...proof], root)],
        ['removed component', () => verifyInclusion(leaf, index, size, proof.slice(0, -1), root)],
        [
          'inserted component',
          () => verifyInclusion(leaf, index, size, [proof[0]!, some, ...proof.slice(1)], root),
        ],
        ...proof.map((_, i): [string, () => void] => [
          `proof[${i}] bit 3`,
          () =>
            verifyInclusion(
              leaf,
              index,
              size,
              proof.map((h, j) => (j === i ? flip(h, 0, 8) : h)),
              root,
            ),
        ]),
      ];
      for (const [name, probe] of probes) expect(probe, `${index}/${size}: ${name}`).toThrow(ProofError);
    }
  });

  it('reads exactly the subtrees listed in transparency-dev/merkle proof_test.go', () => {
    const big = new MemoryHashStore();
    big.append(Array.from({ length: 95 }, (_, i) => leafHash(Uint8Array.of(i))));
    for (const { size, index, nodes, rehash } of v.inclusionNodes) {
      const reader = recording(big);
      const proof = inclusionProof(reader, index, size);
      expect(hexes(proof), `${index}/${size}`).toEqual(expectedProof(big, nodes, rehash));
      expect(sorted(reader.reads), `${index}/${size} reads`).toEqual(sorted(nodes));
    }
  });
});

describe('consistency proofs (CT test data)', () => {
  const store = storeOf(8);
  for (const { size1, size2, proof } of v.consistencyProofs) {
    it(`${size1} to ${size2}`, () => {
      expect(hexes(consistencyProof(store, size1, size2))).toEqual(proof);
      verifyConsistency(size1, size2, hashes(proof), roots[size1 - 1]!, roots[size2 - 1]!);
    });
  }

  it('rejects the corruptions of transparency-dev/merkle verify_test.go', () => {
    for (const { size1, size2, proof: p } of v.consistencyProofs.filter((x) => x.proof.length > 0)) {
      const proof = hashes(p);
      const [r1, r2] = [roots[size1 - 1]!, roots[size2 - 1]!];
      const probes: [string, () => void][] = [
        ['size1 - 1', () => verifyConsistency(size1 - 1, size2, proof, r1, r2)],
        ['size1 + 1', () => verifyConsistency(size1 + 1, size2, proof, r1, r2)],
        ['size1 ^ 2', () => verifyConsistency(size1 ^ 2, size2, proof, r1, r2)],
        ['size2 * 2', () => verifyConsistency(size1, size2 * 2, proof, r1, r2)],
        ['size2 / 2', () => verifyConsistency(size1, Math.floor(size2 / 2), proof, r1, r2)],
        ['wrong root1', () => verifyConsistency(size1, size2, proof, emptyRoot(), r2)],
        ['wrong root2', () => verifyConsistency(size1, size2, proof, r1, emptyRoot())],
        ['swapped roots', () => verifyConsistency(size1, size2, proof, r2, r1)],
        ['empty proof', () => verifyConsistency(size1, size2, [], r1, r2)],
        ['trailing root1', () => verifyConsistency(size1, size2, [...proof, r1], r1, r2)],
        ['trailing root2', () => verifyConsistency(size1, size2, [...proof, r2], r1, r2)],
        ['preceding root1', () => verifyConsistency(size1, size2, [r1, ...proof], r1, r2)],
        ['preceding root2', () => verifyConsistency(size1, size2, [r2, ...proof], r1, r2)],
        ['preceding proof[0]', () => verifyConsistency(size1, size2, [proof[0]!, ...proof], r1, r2)],
        ['truncated proof', () => verifyConsistency(size1, size2, proof.slice(0, -1), r1, r2)],
        ...proof.map((_, i): [string, () => void] => [
          `proof[${i}] bit 4`,
          () =>
            verifyConsistency(
              size1,
              size2,
              proof.map((h, j) => (j === i ? flip(h, 0, 16) : h)),
              r1,
              r2,
            ),
        ]),
      ];
      for (const [name, probe] of probes) expect(probe, `${size1}->${size2}: ${name}`).toThrow(ProofError);
    }
  });

  it('reads exactly the subtrees listed in transparency-dev/merkle proof_test.go', () => {
    const big = new MemoryHashStore();
    big.append(Array.from({ length: 95 }, (_, i) => leafHash(Uint8Array.of(i))));
    for (const { size1, size2, nodes, rehash } of v.consistencyNodes) {
      const reader = recording(big);
      const proof = consistencyProof(reader, size1, size2);
      expect(hexes(proof), `${size1}->${size2}`).toEqual(expectedProof(big, nodes, rehash));
      expect(sorted(reader.reads), `${size1}->${size2} reads`).toEqual(sorted(nodes));
    }
  });

  it('treats size 0 and equal sizes as RFC-external edge cases with empty proofs', () => {
    const r3 = roots[2]!;
    expect(consistencyProof(store, 0, 5)).toEqual([]);
    expect(consistencyProof(store, 3, 3)).toEqual([]);
    verifyConsistency(0, 5, [], emptyRoot(), roots[4]!);
    verifyConsistency(0, 0, [], emptyRoot(), emptyRoot());
    verifyConsistency(3, 3, [], r3, r3);
    expect(() => verifyConsistency(0, 5, [], r3, roots[4]!)).toThrow(/not the empty-tree root/);
    expect(() => verifyConsistency(3, 3, [], r3, roots[3]!)).toThrow(
      /trees of equal size 3 have different roots/,
    );
    expect(() => verifyConsistency(3, 3, [r3], r3, r3)).toThrow(/must be empty, has 1 hashes/);
    expect(() => verifyConsistency(0, 1, [emptyRoot()], emptyRoot(), roots[0]!)).toThrow(/must be empty/);
  });
});

describe('CompactRange and the tlog-tiles node layout', () => {
  it('reports each node as it becomes complete, addressed by level/index', () => {
    const range = CompactRange.empty();
    const layout = entries.map((e) => range.append(leafHash(e)).map((n) => `${n.level}/${n.index}`));
    expect(layout).toEqual([
      ['0/0'],
      ['0/1', '1/0'],
      ['0/2'],
      ['0/3', '1/1', '2/0'],
      ['0/4'],
      ['0/5', '1/2'],
      ['0/6'],
      ['0/7', '1/3', '2/1', '3/0'],
    ]);
  });

  it('emits node hashes equal to the MTH of the leaves they cover', () => {
    const range = CompactRange.empty();
    for (const node of range.appendAll(entries.map(leafHash))) {
      const width = 2 ** node.level;
      expect(toHex(node.hash)).toBe(
        toHex(merkleTreeHash(entries.slice(node.index * width, (node.index + 1) * width))),
      );
    }
  });

  it('restarts from a store or from saved hashes with O(log n) reads and continues identically', () => {
    const store = storeOf(7);
    const reader = recording(store);
    const restarted = CompactRange.fromReader(reader, 7);
    expect(reader.reads).toEqual([
      [2, 0],
      [1, 2],
      [0, 6],
    ]);
    const saved = CompactRange.fromHashes(7, restarted.hashes());
    for (const range of [restarted, saved]) {
      expect(toHex(range.root())).toBe(v.roots[6]);
      expect(range.append(leafHash(entries[7]!)).map((n) => `${n.level}/${n.index}`)).toEqual([
        '0/7',
        '1/3',
        '2/1',
        '3/0',
      ]);
      expect(toHex(range.root())).toBe(v.roots[7]);
    }
  });

  it('appends all leaf hashes or none', () => {
    const store = storeOf(3);
    expect(() => store.append([leafHash(entries[3]!), Uint8Array.of(1)])).toThrow(
      'leaves[1]: hash is 1 bytes',
    );
    expect(store.size).toBe(3);
    expect(toHex(store.root())).toBe(v.roots[2]);
  });

  it('computes any past root from stored subtrees, one read per set bit of the size', () => {
    const store = storeOf(8);
    for (let n = 1; n <= 8; n++) {
      const reader = recording(store);
      expect(toHex(rootFromReader(reader, n))).toBe(v.roots[n - 1]);
      expect(reader.reads.length).toBe(n.toString(2).replaceAll('0', '').length);
    }
  });
});

function flip(h: Uint8Array, byte: number, mask: number): Uint8Array {
  const out = Uint8Array.from(h);
  out[byte]! ^= mask;
  return out;
}

function sorted(pairs: readonly (readonly number[])[]): string[] {
  return pairs.map(([l, i]) => `${l}/${i}`).sort();
}
