import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/** SHA-256 of `data`, in pure JavaScript: what browsers and any other runtime use (sha256-node.ts on Node). */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}
