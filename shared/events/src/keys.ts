import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64, toHex } from '@rxledger/tlog';
import { KeyError } from './errors.ts';

const P = 2n ** 255n - 19n;
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The key id of a raw Ed25519 public key: lowercase hex of the first 8 bytes of SHA-256(publicKey),
 * 16 characters. Derived, never chosen, so a key id names exactly one key.
 * @example keyIdOf(publicKey) // 'a1b2c3d4e5f60718'
 */
export function keyIdOf(publicKey: Uint8Array): string {
  return toHex(sha256(publicKey).subarray(0, 8));
}

/**
 * An Ed25519 public key that both implementations treat identically: 32 bytes, canonical encoding,
 * not of small order and free of torsion. OpenSSL accepts e.g. the identity key with the all-zero
 * signature for every message, so keys are checked here, once, instead of trusting either library.
 */
export class VerifyingKey {
  /** Raw 32-byte public key. */
  readonly bytes: Uint8Array;
  readonly keyId: string;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.keyId = keyIdOf(bytes);
  }

  /** Checks and wraps a raw 32-byte public key; throws KeyError saying what is wrong with it. */
  static fromBytes(raw: Uint8Array): VerifyingKey {
    if (!(raw instanceof Uint8Array) || raw.length !== 32) {
      throw new KeyError('BAD_KEY_LENGTH', `an Ed25519 public key is 32 bytes, got ${describeLength(raw)}`);
    }
    let y = 0n;
    for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt((raw[i] as number) & (i === 31 ? 0x7f : 0xff));
    if (y >= P)
      throw new KeyError(
        'NON_CANONICAL_KEY',
        'public key encodes y >= 2^255-19 (not canonical, RFC 8032 §5.1.3)',
      );
    let point: ReturnType<typeof ed25519.Point.fromBytes>;
    try {
      point = ed25519.Point.fromBytes(raw, false);
    } catch (err) {
      // x = 0 happens only for y = ±1, whose "negative x" encodings are the non-canonical ones.
      if (y === 1n || y === P - 1n) {
        throw new KeyError('NON_CANONICAL_KEY', 'public key has x = 0 with the sign bit set (not canonical)');
      }
      throw new KeyError('NOT_ON_CURVE', 'public key is not a point on edwards25519', { cause: err });
    }
    if (point.isSmallOrder()) throw new KeyError('SMALL_ORDER_KEY', 'public key is a point of small order');
    if (!point.isTorsionFree()) {
      throw new KeyError(
        'MIXED_ORDER_KEY',
        'public key has a torsion component (not in the prime-order subgroup)',
      );
    }
    return new VerifyingKey(new Uint8Array(raw));
  }

  /** The raw key in standard base64, as credentials files carry it. */
  toBase64(): string {
    return toBase64(this.bytes);
  }

  /** Public data only. */
  toJSON(): { keyId: string; publicKey: string } {
    return { keyId: this.keyId, publicKey: this.toBase64() };
  }
}

/**
 * An Ed25519 private key (the 32-byte RFC 8032 seed). The seed sits in a private field and is left
 * out of JSON, `util.inspect` and `toString`, so logging a key object never leaks it.
 */
export class SigningKey {
  readonly verifyingKey: VerifyingKey;
  readonly keyId: string;
  readonly #seed: Uint8Array;

  private constructor(seed: Uint8Array) {
    this.#seed = new Uint8Array(seed);
    this.verifyingKey = VerifyingKey.fromBytes(ed25519.getPublicKey(this.#seed));
    this.keyId = this.verifyingKey.keyId;
  }

  /** The key with this 32-byte seed. */
  static fromSeed(seed: Uint8Array): SigningKey {
    if (!(seed instanceof Uint8Array) || seed.length !== 32) {
      throw new KeyError(
        'BAD_KEY_LENGTH',
        `an Ed25519 private key seed is 32 bytes, got ${describeLength(seed)}`,
      );
    }
    return new SigningKey(seed);
  }

  /** A new key from the platform's CSPRNG. */
  static generate(): SigningKey {
    return new SigningKey(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  }

  /** A copy of the secret seed, for writing a key file; handle with care. */
  exportSeed(): Uint8Array {
    return new Uint8Array(this.#seed);
  }

  /** Public data only; the seed is redacted. */
  toJSON(): { keyId: string; publicKey: string; secret: '[redacted]' } {
    return { keyId: this.keyId, publicKey: this.verifyingKey.toBase64(), secret: '[redacted]' };
  }

  toString(): string {
    return `SigningKey(${this.keyId}, secret redacted)`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}

function describeLength(value: unknown): string {
  return value instanceof Uint8Array ? `${value.length} bytes` : typeof value;
}
