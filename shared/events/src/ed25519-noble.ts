import { ed25519 } from '@noble/curves/ed25519.js';
import type { Ed25519 } from './ed25519.ts';
import { SigningKey, VerifyingKey } from './keys.ts';

/** Ed25519 on @noble/curves (pure JS, runs in a browser), made to accept exactly what OpenSSL accepts. */
export const nobleEd25519: Ed25519 = {
  name: '@noble/curves',
  sign(key, message) {
    if (!(key instanceof SigningKey)) throw new TypeError('expected a SigningKey');
    const seed = key.exportSeed();
    try {
      return ed25519.sign(message, seed);
    } finally {
      seed.fill(0);
    }
  },
  verify(key, message, signature) {
    if (!(key instanceof VerifyingKey)) throw new TypeError('expected a VerifyingKey');
    if (signature.length !== 64) return false;
    // zip215: false = RFC 8032 decoding (y < p, no "negative zero" x) and S < L.
    if (!ed25519.verify(signature, message, key.bytes, { zip215: false })) return false;
    // noble checks the cofactored equation [8][S]B = [8]R + [8][k]A; OpenSSL the cofactorless one. With
    // torsion-free keys (VerifyingKey) they differ only when R has a torsion component, which only the
    // key holder can craft; refusing such R makes both accept exactly the same signatures.
    return ed25519.Point.fromBytes(signature.subarray(0, 32), false).isTorsionFree();
  },
};
