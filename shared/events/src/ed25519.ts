import type { SigningKey, VerifyingKey } from './keys.ts';

/**
 * Ed25519 as rxledger uses it (RFC 8032, strict). Two implementations accept exactly the same
 * signatures: `nodeEd25519` (OpenSSL, the server hot path) and `nobleEd25519` (pure JS, for the
 * browser page and the offline verifier).
 */
export interface Ed25519 {
  readonly name: string;
  /** The RFC 8032 signature of `message` (deterministic: same key and message, same 64 bytes). */
  sign(key: SigningKey, message: Uint8Array): Uint8Array;
  /** Whether `signature` is a valid strict RFC 8032 signature of `message` under `key`. */
  verify(key: VerifyingKey, message: Uint8Array, signature: Uint8Array): boolean;
}
