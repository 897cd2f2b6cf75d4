// The byte helpers of its own this library keeps, the two views between Buffer and Uint8Array: the
// rest (hex, base64, base64url, comparison, concatenation) are @rxledger/tlog's, which work the same
// in Node and in a browser.
import { Buffer } from 'buffer';

/** A Buffer view of `bytes` (no copy), because avsc accepts nothing else for `bytes` and `fixed`. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A plain Uint8Array view of `bytes` (no copy), for bytes that leave a Node API as a Buffer (SQLite,
 * kafkajs) and must compare, clone and serialise as the Uint8Array they are everywhere else.
 */
export function asBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
