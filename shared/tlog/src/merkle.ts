import { sha256 } from '#sha256';
import { TlogError } from './errors.ts';

/** Size in bytes of every hash in the log (SHA-256). */
export const HASH_SIZE = 32;

// Domain-separation prefixes of RFC 9162 §2.1.1: a leaf can never be mistaken for an interior node.
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** MTH({}) = SHA-256() (RFC 9162 §2.1.1): the root of the empty tree. */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/**
 * RFC 9162 leaf hash: SHA-256(0x00 || leaf).
 * @example toHex(leafHash(new Uint8Array())) // '6e340b9c…a01d'
 */
export function leafHash(leaf: Uint8Array): Uint8Array {
  checkBytes(leaf, 'leaf');
  const buf = new Uint8Array(1 + leaf.length);
  buf[0] = LEAF_PREFIX;
  buf.set(leaf, 1);
  return sha256(buf);
}

/** RFC 9162 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  checkHash(left, 'left');
  checkHash(right, 'right');
  const buf = new Uint8Array(1 + 2 * HASH_SIZE);
  buf[0] = NODE_PREFIX;
  buf.set(left, 1);
  buf.set(right, 1 + HASH_SIZE);
  return sha256(buf);
}

/**
 * MTH(D[n]) of RFC 9162 §2.1.1 over raw entries (each is leaf-hashed first); O(n), for small
 * in-memory lists. A log that stores its nodes uses `rootFromReader` instead.
 * @example toHex(merkleTreeHash([])) // 'e3b0c442…b855', SHA-256 of nothing
 */
export function merkleTreeHash(entries: readonly Uint8Array[]): Uint8Array {
  if (!Array.isArray(entries)) throw new TlogError('INVALID_ARGUMENT', 'entries: expected an array');
  if (entries.length === 0) return emptyRoot();
  return rootOfHashes(entries.map((e, i) => leafHash(checkBytes(e, `entries[${i}]`))));
}

function rootOfHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 1) return hashes[0]!;
  const k = largestPowerOfTwoBelow(hashes.length);
  return nodeHash(rootOfHashes(hashes.slice(0, k)), rootOfHashes(hashes.slice(k)));
}

// ---- helpers shared inside the package (not re-exported by index.ts) ----

/** The largest power of two strictly less than `n` (n >= 2): the split point k of RFC 9162. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Whether `n` (a positive safe integer) is a power of two; arithmetic, since `&` truncates to 32 bits. */
export function isPowerOfTwo(n: number): boolean {
  let m = n;
  while (m > 1) {
    if (m % 2 !== 0) return false;
    m /= 2;
  }
  return m === 1;
}

/** Throws unless `value` is a 32-byte Uint8Array; returns it for chaining. */
export function checkHash(value: unknown, what: string, Err: typeof TlogError = TlogError): Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new Err('INVALID_ARGUMENT', `${what}: expected a Uint8Array hash`);
  if (value.length !== HASH_SIZE) {
    throw new Err('INVALID_ARGUMENT', `${what}: hash is ${value.length} bytes, expected ${HASH_SIZE}`);
  }
  return value;
}

/** Throws unless `value` is a Uint8Array. */
export function checkBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new TlogError('INVALID_ARGUMENT', `${what}: expected a Uint8Array`);
  return value;
}

/**
 * Throws unless `value` is an integer in [min, 2^53-1]. Tree sizes and indices are plain numbers:
 * exact up to 2^53-1, far beyond any log this system will hold, and cheaper than bigint everywhere.
 */
export function checkCount(
  value: unknown,
  what: string,
  min: number,
  Err: typeof TlogError = TlogError,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new Err('INVALID_ARGUMENT', `${what}: expected an integer, got ${describe(value)}`);
  }
  if (value < min) throw new Err('INVALID_ARGUMENT', `${what}: must be >= ${min}, got ${value}`);
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return value === null ? 'null' : typeof value;
}
