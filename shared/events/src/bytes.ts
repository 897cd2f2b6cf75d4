// The one byte helper of its own this library keeps: the rest (hex, base64, base64url, comparison,
// concatenation) are @rxledger/tlog's, which work the same in Node and in a browser.
import { Buffer } from 'buffer';

/** A Buffer view of `bytes` (no copy), because avsc accepts nothing else for `bytes` and `fixed`. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
