import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { concatBytes } from '@rxledger/tlog';
import type { Ed25519 } from './ed25519.ts';
import { SigningKey, VerifyingKey } from './keys.ts';

// DER headers that turn a raw seed / public key into PKCS#8 / SPKI (RFC 8410), so OpenSSL can import
// them without a round trip through JWK strings.
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

// Importing a key costs more than a verification; each key object is imported once and kept with it.
const privateKeys = new WeakMap<SigningKey, KeyObject>();
const publicKeys = new WeakMap<VerifyingKey, KeyObject>();

function privateKeyObject(key: SigningKey): KeyObject {
  let ko = privateKeys.get(key);
  if (ko === undefined) {
    if (!(key instanceof SigningKey)) throw new TypeError('expected a SigningKey');
    const der = concatBytes(PKCS8_PREFIX, key.exportSeed());
    ko = createPrivateKey({ key: Buffer.from(der.buffer), format: 'der', type: 'pkcs8' });
    der.fill(0);
    privateKeys.set(key, ko);
  }
  return ko;
}

function publicKeyObject(key: VerifyingKey): KeyObject {
  let ko = publicKeys.get(key);
  if (ko === undefined) {
    // Only a VerifyingKey has passed the small-order and canonical checks OpenSSL does not make.
    if (!(key instanceof VerifyingKey)) throw new TypeError('expected a VerifyingKey');
    ko = createPublicKey({
      key: Buffer.from(concatBytes(SPKI_PREFIX, key.bytes).buffer),
      format: 'der',
      type: 'spki',
    });
    publicKeys.set(key, ko);
  }
  return ko;
}

/** Ed25519 on node:crypto (OpenSSL), with key objects imported once per key. */
export const nodeEd25519: Ed25519 = {
  name: 'node:crypto',
  sign(key, message) {
    return new Uint8Array(sign(null, message, privateKeyObject(key)));
  },
  verify(key, message, signature) {
    if (signature.length !== 64) return false;
    // OpenSSL checks S < L and compares R byte for byte ([S]B - [k]A encoded == R): strict already.
    return verify(null, message, publicKeyObject(key), signature);
  },
};
