import { TlogError } from './errors.ts';
import { type HashReader, readSubtree, rootFromReader } from './hash-reader.ts';
import { checkBytes, checkCount, checkHash, HASH_SIZE, nodeHash } from './merkle.ts';

// C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the log's stored hashes and entries as static,
// cacheable resources. A tile at level L holds up to 256 consecutive hashes of the tree's level 8·L;
// an entry bundle holds up to 256 consecutive entries, each a big-endian uint16 length and its bytes.

/** Levels of the Merkle tree one tile spans: each tile is a subtree of height 8. */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile, or entries in a full bundle. */
export const TILE_WIDTH = 256;
/** The largest entry an entry bundle can hold: its length prefix is a uint16. */
export const MAX_BUNDLE_ENTRY = 0xffff;
const MAX_TILE_LEVEL = 63;

/**
 * One tile: `level` 0..63 of the hash tiles, or `'entries'` for an entry bundle; `index` N within its
 * level; `width` 1..256, where 256 is a full tile and anything less a partial one.
 */
export interface Tile {
  readonly level: number | 'entries';
  readonly index: number;
  readonly width: number;
}

/**
 * The tile's path under a log's prefix, in the spec's canonical form (the form Go's tlog writes).
 * @example formatTilePath({ level: 0, index: 1234067, width: 256 }) // 'tile/0/x001/x234/067'
 * @example formatTilePath({ level: 'entries', index: 1, width: 44 }) // 'tile/entries/001.p/44'
 */
export function formatTilePath(tile: Tile): string {
  const { level, index, width } = checkTile(tile);
  let n = `${index % 1000}`.padStart(3, '0');
  for (let rest = Math.floor(index / 1000); rest > 0; rest = Math.floor(rest / 1000)) {
    n = `x${`${rest % 1000}`.padStart(3, '0')}/${n}`;
  }
  return `tile/${level}/${n}${width === TILE_WIDTH ? '' : `.p/${width}`}`;
}

/**
 * Parses a tile path strictly: only the canonical spelling of each tile is accepted, so one tile has
 * one URL (one cache key). Throws MALFORMED_TILE_PATH naming the part at fault.
 * @example parseTilePath('tile/1/x001/002.p/17') // { level: 1, index: 1002, width: 17 }
 */
export function parseTilePath(path: string): Tile {
  if (typeof path !== 'string') throw badPath(String(path), 'expected a string');
  const parts = path.split('/');
  if (parts[0] !== 'tile') throw badPath(path, 'does not start with "tile/"');
  if (parts.includes('')) throw badPath(path, 'has an empty path element (a doubled or trailing "/")');
  const [levelText, ...nParts] = parts.slice(1);
  if (levelText === undefined || nParts.length === 0)
    throw badPath(path, 'has no tile index after the level');
  const level = parseLevel(path, levelText);
  let width = TILE_WIDTH;
  const last = nParts.length - 1;
  if (nParts.length >= 2 && nParts[last - 1]!.endsWith('.p')) {
    width = parseWidth(path, nParts[last]!);
    nParts.splice(last - 1, 2, nParts[last - 1]!.slice(0, -'.p'.length));
  }
  const index = parseIndex(path, nParts);
  const tile = { level, index, width };
  // Every rule above is a rule of the canonical form; this catches any spelling they missed.
  if (formatTilePath(tile) !== path) throw badPath(path, `is not canonical; write ${formatTilePath(tile)}`);
  return tile;
}

function parseLevel(path: string, text: string): number | 'entries' {
  if (text === 'entries') return 'entries';
  if (!/^(0|[1-9][0-9]?)$/.test(text) || Number(text) > MAX_TILE_LEVEL) {
    throw badPath(
      path,
      `level ${JSON.stringify(text)} is neither "entries" nor a number 0-${MAX_TILE_LEVEL} without leading zeros`,
    );
  }
  return Number(text);
}

function parseWidth(path: string, text: string): number {
  if (!/^[1-9][0-9]{0,2}$/.test(text) || Number(text) >= TILE_WIDTH) {
    throw badPath(
      path,
      `partial width ${JSON.stringify(text)} is not a number 1-${TILE_WIDTH - 1} without leading zeros`,
    );
  }
  return Number(text);
}

// Index elements: zero-padded 3-digit groups, most significant first, all but the last prefixed "x".
function parseIndex(path: string, groups: string[]): number {
  let index = 0;
  for (const [i, group] of groups.entries()) {
    const isLast = i === groups.length - 1;
    if (!(isLast ? /^[0-9]{3}$/ : /^x[0-9]{3}$/).test(group)) {
      const shape = isLast ? 'three digits (the last index element)' : '"x" and three digits';
      throw badPath(path, `index element ${JSON.stringify(group)} is not ${shape}`);
    }
    index = index * 1000 + Number(group.slice(isLast ? 0 : 1));
  }
  if (!Number.isSafeInteger(index)) throw badPath(path, 'index exceeds 2^53-1');
  return index;
}

/**
 * How many leaves a tree needs before the tile exists: (index·256 + width)·256^level. A log at
 * tree size s publishes exactly the tiles with tileLeafEnd(tile) <= s (partial ones as prefixes of
 * what will be full). Entry bundles count as level 0.
 * @example tileLeafEnd({ level: 1, index: 0, width: 17 }) // 4352
 */
export function tileLeafEnd(tile: Tile): number {
  const { level, index, width } = checkTile(tile);
  // Above 2^53 the product is inexact but still larger than any tree size a number can hold.
  return (index * TILE_WIDTH + width) * TILE_WIDTH ** (level === 'entries' ? 0 : level);
}

/**
 * Where a tile's hashes live in the tree: `count` nodes at tree level 8·L from `start` (C2SP's
 * stored-hash addressing, the HashReader's). For an entry bundle: the leaves [start, start+count).
 */
export function tileSpan(tile: Tile): { treeLevel: number; start: number; count: number } {
  const { level, index, width } = checkTile(tile);
  const treeLevel = level === 'entries' ? 0 : level * TILE_HEIGHT;
  return { treeLevel, start: index * TILE_WIDTH, count: width };
}

/** A hash tile's bytes: the hashes concatenated, 32 bytes each, 1 to 256 of them. */
export function encodeHashTile(hashes: readonly Uint8Array[]): Uint8Array {
  checkTileCount(hashes, 'hashes');
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((h, i) => out.set(checkHash(h, `hashes[${i}]`), i * HASH_SIZE));
  return out;
}

/** The hashes of a hash tile's bytes; throws unless they are 1 to 256 whole 32-byte hashes. */
export function decodeHashTile(data: Uint8Array): Uint8Array[] {
  checkBytes(data, 'hash tile');
  const count = data.length / HASH_SIZE;
  if (!Number.isInteger(count) || count < 1 || count > TILE_WIDTH) {
    throw new TlogError(
      'MALFORMED_TILE',
      `hash tile is ${data.length} bytes; expected 1 to ${TILE_WIDTH} hashes of ${HASH_SIZE} bytes`,
    );
  }
  return Array.from({ length: count }, (_, i) => data.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
}

/**
 * An entry bundle's bytes: each entry (a leaf exactly as it is hashed, without RFC 9162's 0x00
 * prefix) as a big-endian uint16 length and its bytes. Throws ENTRY_TOO_LARGE for an entry over
 * 65,535 bytes, which the format cannot carry.
 */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  checkTileCount(entries, 'entries');
  let size = 0;
  for (const [i, e] of entries.entries()) {
    checkBytes(e, `entries[${i}]`);
    if (e.length > MAX_BUNDLE_ENTRY) {
      throw new TlogError(
        'ENTRY_TOO_LARGE',
        `entries[${i}] is ${e.length} bytes; an entry bundle holds entries of at most ${MAX_BUNDLE_ENTRY} bytes`,
      );
    }
    size += 2 + e.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >>> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/** The entries of an entry bundle; throws MALFORMED_TILE on a truncated entry or more than 256. */
export function decodeEntryBundle(data: Uint8Array): Uint8Array[] {
  checkBytes(data, 'entry bundle');
  const entries: Uint8Array[] = [];
  for (let at = 0; at < data.length;) {
    if (entries.length === TILE_WIDTH) throw badTile(`entry bundle holds more than ${TILE_WIDTH} entries`);
    if (at + 2 > data.length) throw badTile(`entry ${entries.length}: length prefix cut off at byte ${at}`);
    const length = (data[at]! << 8) | data[at + 1]!;
    if (at + 2 + length > data.length) {
      throw badTile(`entry ${entries.length}: ${length} bytes announced, ${data.length - at - 2} left`);
    }
    entries.push(data.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (entries.length === 0) throw badTile('entry bundle is empty');
  return entries;
}

/** A hash tile's bytes read from stored subtrees, one `subtree` call per hash. */
export function readHashTile(reader: HashReader, tile: Tile): Uint8Array {
  if (tile?.level === 'entries')
    throw new TlogError('INVALID_ARGUMENT', 'tile: an entry bundle has no hashes');
  const { treeLevel, start, count } = tileSpan(tile);
  return encodeHashTile(Array.from({ length: count }, (_, i) => readSubtree(reader, treeLevel, start + i)));
}

/**
 * The hash tiles of a tree of `size` leaves: every full tile and the partial one at each level that
 * has one. What a mirror fetches to hold the whole tree (entry bundles mirror level 0).
 * @example treeTiles(256) // [tile 0/000, tile 1/000.p/1]
 */
export function treeTiles(size: number): Tile[] {
  checkCount(size, 'size', 0);
  const tiles: Tile[] = [];
  for (let level = 0, span = 1; level <= MAX_TILE_LEVEL && size >= span; level++, span *= TILE_WIDTH) {
    const hashes = Math.floor(size / span);
    const full = Math.floor(hashes / TILE_WIDTH);
    for (let index = 0; index < full; index++) tiles.push({ level, index, width: TILE_WIDTH });
    if (hashes % TILE_WIDTH > 0) tiles.push({ level, index: full, width: hashes % TILE_WIDTH });
  }
  return tiles;
}

/**
 * The root of a tree of `size` leaves computed from its hash tiles alone, as a tlog-tiles client
 * does: `readTile` is asked only for tiles the tree publishes (treeTiles). Compare the result with a
 * verified checkpoint's root to authenticate the tiles read.
 */
export function rootFromTiles(size: number, readTile: (tile: Tile) => Uint8Array): Uint8Array {
  checkCount(size, 'size', 0);
  const cache = new Map<string, Uint8Array[]>();
  const tileHashes = (tile: Tile) => {
    const path = formatTilePath(tile);
    let hashes = cache.get(path);
    if (!hashes) {
      hashes = decodeHashTile(readTile(tile));
      if (hashes.length !== tile.width) throw badTile(`${path} holds ${hashes.length} hashes`);
      cache.set(path, hashes);
    }
    return hashes;
  };
  return rootFromReader(
    { subtree: (level, index) => subtreeFromTiles(size, tileHashes, level, index) },
    size,
  );
}

// The node at tree level 8·L + r is the root of 2^r consecutive hashes of one tile at level L.
function subtreeFromTiles(
  size: number,
  tileHashes: (tile: Tile) => Uint8Array[],
  treeLevel: number,
  index: number,
): Uint8Array {
  const level = Math.floor(treeLevel / TILE_HEIGHT);
  const fan = 2 ** (treeLevel % TILE_HEIGHT);
  const first = index * fan;
  const n = Math.floor(first / TILE_WIDTH);
  const published = Math.floor(size / TILE_WIDTH ** level);
  const width = Math.min(TILE_WIDTH, published - n * TILE_WIDTH);
  const hashes = tileHashes({ level, index: n, width }).slice(first % TILE_WIDTH, (first % TILE_WIDTH) + fan);
  for (let m = hashes.length; m > 1; m /= 2) {
    for (let i = 0; i < m / 2; i++) hashes[i] = nodeHash(hashes[2 * i]!, hashes[2 * i + 1]!);
  }
  return hashes[0]!;
}

function checkTile(tile: Tile): Tile {
  if (typeof tile !== 'object' || tile === null)
    throw new TlogError('INVALID_ARGUMENT', 'tile: expected an object');
  const { level } = tile;
  if (level !== 'entries') checkCount(level, 'tile.level', 0);
  if (typeof level === 'number' && level > MAX_TILE_LEVEL)
    throw new TlogError('INVALID_ARGUMENT', `tile.level: must be <= ${MAX_TILE_LEVEL}, got ${level}`);
  checkCount(tile.index, 'tile.index', 0);
  checkCount(tile.width, 'tile.width', 1);
  if (tile.width > TILE_WIDTH)
    throw new TlogError('INVALID_ARGUMENT', `tile.width: must be <= ${TILE_WIDTH}, got ${tile.width}`);
  return tile;
}

function checkTileCount(items: readonly unknown[], what: string): void {
  if (!Array.isArray(items)) throw new TlogError('INVALID_ARGUMENT', `${what}: expected an array`);
  if (items.length < 1 || items.length > TILE_WIDTH) {
    throw new TlogError('INVALID_ARGUMENT', `${what}: a tile holds 1 to ${TILE_WIDTH}, got ${items.length}`);
  }
}

function badPath(path: string, reason: string): TlogError {
  return new TlogError('MALFORMED_TILE_PATH', `tile path ${JSON.stringify(path)} ${reason}`);
}

function badTile(reason: string): TlogError {
  return new TlogError('MALFORMED_TILE', reason);
}
