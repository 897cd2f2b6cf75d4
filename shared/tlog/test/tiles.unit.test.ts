import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  decodeEntryBundle,
  decodeHashTile,
  encodeEntryBundle,
  formatTilePath,
  leafHash,
  MemoryHashStore,
  merkleTreeHash,
  parseTilePath,
  readHashTile,
  rootFromTiles,
  type Tile,
  tileLeafEnd,
  tileSpan,
  toBase64,
  toHex,
  treeTiles,
  utf8,
} from '../src/index.ts';
import goVectors from './vectors/tlog-tiles.json' with { type: 'json' };

// Vectors written by Go's x/mod/sumdb/tlog and filippo.io/torchwood (test/interop/tiles-client,
// `go run . vectors`): the same leaves built into a tree here must publish the same tiles, byte for byte.
const goLeaf = (i: number) => utf8(`leaf ${i};`.repeat(i % 4));
const asTile = (v: { level: number; index: number; width: number }): Tile => ({
  level: v.level === -1 ? 'entries' : v.level,
  index: v.index,
  width: v.width,
});

function storeOf(size: number, leaf: (i: number) => Uint8Array) {
  const store = new MemoryHashStore();
  const leaves = Array.from({ length: size }, (_, i) => leaf(i));
  store.append(leaves.map(leafHash));
  return { store, leaves };
}

/** The bytes a log of these leaves serves for `tile`, from its stored hashes and leaves. */
function tileBytes(store: MemoryHashStore, leaves: Uint8Array[], tile: Tile): Uint8Array {
  if (tile.level !== 'entries') return readHashTile(store, tile);
  const { start, count } = tileSpan(tile);
  return encodeEntryBundle(leaves.slice(start, start + count));
}

describe('tile paths', () => {
  it.each(goVectors.paths)('formats and parses $path as Go does', (v) => {
    expect(formatTilePath(asTile(v))).toBe(v.path);
    expect(parseTilePath(v.path)).toEqual(asTile(v));
  });

  it('writes the spec example index 1234067 as x001/x234/067', () => {
    expect(formatTilePath({ level: 2, index: 1234067, width: 256 })).toBe('tile/2/x001/x234/067');
  });

  it.each([
    ['tiles/0/000', 'does not start with "tile/"'],
    ['tile/0', 'has no tile index after the level'],
    ['tile/00/000', 'level "00" is neither "entries" nor a number 0-63'],
    ['tile/64/000', 'level "64" is neither'],
    ['tile/data/000', 'level "data" is neither'],
    ['tile/0/1', 'index element "1" is not three digits'],
    ['tile/0/001/002', 'index element "001" is not "x" and three digits'],
    ['tile/0/x001', 'index element "x001" is not three digits'],
    ['tile/0/x000/001', 'is not canonical; write tile/0/001'],
    ['tile/0/000.p/256', 'partial width "256" is not a number 1-255'],
    ['tile/0/000.p/0', 'partial width "0"'],
    ['tile/0/000.p/07', 'partial width "07"'],
    ['tile/0/000.p/', 'has an empty path element'],
    ['tile/0/000/', 'has an empty path element'],
    ['tile//000', 'has an empty path element'],
    ['tile/0/x009/x007/x199/x254/x740/x992/000', 'index exceeds 2^53-1'],
  ])('refuses %s: %s', (path, reason) => {
    expect(() => parseTilePath(path)).toThrow(expect.objectContaining({ code: 'MALFORMED_TILE_PATH' }));
    expect(() => parseTilePath(path)).toThrow(reason);
  });
});

describe('what a tree of each size publishes', () => {
  it.each(goVectors.sizes)('size $size: the tiles, bundles and root Go writes', ({ size, root, tiles }) => {
    const { store, leaves } = storeOf(size, goLeaf);
    expect(toBase64(store.root())).toBe(root);
    const published = treeTiles(size).flatMap((t) =>
      t.level === 0 ? [t, { ...t, level: 'entries' as const }] : [t],
    );
    expect(published.map(formatTilePath).sort()).toEqual(tiles.map((t) => t.path).sort());
    for (const t of tiles) {
      expect(toHex(sha256(tileBytes(store, leaves, parseTilePath(t.path)))), t.path).toBe(t.sha256);
    }
  });

  it("matches the spec's example: a tree of 70,000", () => {
    const tiles = treeTiles(70_000).map(formatTilePath);
    expect(tiles.filter((p) => /^tile\/0\/[0-9x/]+$/.test(p))).toHaveLength(273);
    expect(tiles.filter((p) => !/^tile\/0\/[0-9x/]+$/.test(p))).toEqual([
      'tile/0/273.p/112',
      'tile/1/000',
      'tile/1/001.p/17',
      'tile/2/000.p/1',
    ]);
    expect(treeTiles(256).map(formatTilePath)).toEqual(['tile/0/000', 'tile/1/000.p/1']);
    expect(treeTiles(0)).toEqual([]);
  });

  it('a level-1 hash is the root of 256 leaves, computed from the raw leaves', () => {
    const { store, leaves } = storeOf(300, (i) => Uint8Array.of(i % 256, i >> 8));
    expect(readHashTile(store, { level: 1, index: 0, width: 1 })).toEqual(
      merkleTreeHash(leaves.slice(0, 256)),
    );
    expect(readHashTile(store, { level: 0, index: 1, width: 3 })).toEqual(
      concatBytes(...leaves.slice(256, 259).map(leafHash)),
    );
  });

  it('counts a tile as published exactly when the tree has reached its end', () => {
    for (const size of [0, 1, 255, 256, 257, 600, 65_536, 70_000]) {
      const published = new Set(treeTiles(size).map(formatTilePath));
      for (const t of treeTiles(size)) expect(tileLeafEnd(t)).toBeLessThanOrEqual(size);
      for (const t of treeTiles(size + 70_000).filter((x) => x.width === 256)) {
        expect(tileLeafEnd(t) <= size, `${formatTilePath(t)} at size ${size}`).toBe(
          published.has(formatTilePath(t)),
        );
      }
    }
    expect(tileLeafEnd({ level: 0, index: 1, width: 44 })).toBe(300);
    expect(tileLeafEnd({ level: 'entries', index: 1, width: 45 })).toBe(301);
    expect(tileLeafEnd({ level: 63, index: 0, width: 1 })).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
  });
});

describe('roots from tiles', () => {
  it('reproduces the root at every size up to 600 from the tiles alone', () => {
    const { store, leaves } = storeOf(600, goLeaf);
    for (let size = 0; size <= 600; size++) {
      const allowed = new Set(treeTiles(size).map(formatTilePath));
      const root = rootFromTiles(size, (tile) => {
        expect(allowed.has(formatTilePath(tile)), `size ${size} reads ${formatTilePath(tile)}`).toBe(true);
        return tileBytes(store, leaves, tile);
      });
      expect(toHex(root), `size ${size}`).toBe(toHex(store.root(size)));
    }
  });

  it('notices one altered hash in a tile', () => {
    const { store, leaves } = storeOf(300, goLeaf);
    const root = rootFromTiles(300, (tile) => {
      const data = tileBytes(store, leaves, tile).slice();
      if (tile.level === 0 && tile.index === 1) data[0]! ^= 1;
      return data;
    });
    expect(toHex(root)).not.toBe(toHex(store.root()));
  });
});

describe('tile and bundle bytes', () => {
  it('bundles entries as uint16 length and bytes, and reads them back', () => {
    const entries = [new Uint8Array(0), Uint8Array.of(7), new Uint8Array(0x0102).fill(9)];
    const bundle = encodeEntryBundle(entries);
    expect(Array.from(bundle.subarray(0, 5))).toEqual([0, 0, 0, 1, 7]);
    expect(Array.from(bundle.subarray(5, 7))).toEqual([0x01, 0x02]);
    expect(decodeEntryBundle(bundle)).toEqual(entries);
  });

  it('bundles a 65,535-byte entry and refuses a 65,536-byte one', () => {
    expect(decodeEntryBundle(encodeEntryBundle([new Uint8Array(0xffff)]))[0]).toHaveLength(0xffff);
    expect(() => encodeEntryBundle([Uint8Array.of(1), new Uint8Array(0x10000)])).toThrow(
      expect.objectContaining({
        code: 'ENTRY_TOO_LARGE',
        message: 'entries[1] is 65536 bytes; an entry bundle holds entries of at most 65535 bytes',
      }),
    );
  });

  it.each([
    ['a cut prefix', Uint8Array.of(0), 'entry 0: length prefix cut off at byte 0'],
    ['a cut entry', Uint8Array.of(0, 3, 1, 2), 'entry 0: 3 bytes announced, 2 left'],
    ['no entry', new Uint8Array(0), 'entry bundle is empty'],
    ['257 entries', new Uint8Array(2 * 257), 'entry bundle holds more than 256 entries'],
  ])('refuses a malformed bundle: %s', (_label, data, message) => {
    expect(() => decodeEntryBundle(data)).toThrow(
      expect.objectContaining({ code: 'MALFORMED_TILE', message }),
    );
  });

  it('refuses hash tiles of a wrong length', () => {
    expect(() => decodeHashTile(new Uint8Array(33))).toThrow('hash tile is 33 bytes');
    expect(() => decodeHashTile(new Uint8Array(0))).toThrow('hash tile is 0 bytes');
    expect(() => decodeHashTile(new Uint8Array(32 * 257))).toThrow('expected 1 to 256 hashes');
    expect(decodeHashTile(new Uint8Array(64))).toHaveLength(2);
  });
});
