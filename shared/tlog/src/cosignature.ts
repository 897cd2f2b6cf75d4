import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '#sha256';
import { parseCheckpoint } from './checkpoint.ts';
import { toBase64, utf8 } from './encoding.ts';
import { TlogError } from './errors.ts';
import { hex8, isValidKeyName, splitVerifierKey } from './keys.ts';
import { type NoteSignature, parseNote } from './note.ts';

// C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), the Ed25519 `cosignature/v1` type only:
// a note signature line whose signature is `u64 timestamp (big-endian) || Ed25519 signature` over
//   "cosignature/v1\ntime <timestamp>\n" || <the checkpoint's note text>
// by a key whose ID is SHA-256(name || 0x0A || 0x04 || public key)[:4]. Checked byte for byte
// against filippo.io/torchwood (test/vectors/cosignature.json).

/** The vkey signature type byte of an Ed25519 cosignature key. */
export const COSIGNATURE_KEY_TYPE = 0x04;
const TIMESTAMP_SIZE = 8;
const SIGNATURE_SIZE = 64;
const MAX_TIMESTAMP = 2n ** 63n - 1n;

/** A witness's (cosigner's) public key, as a verifier of its cosignatures. */
export interface CosignatureVerifier {
  readonly name: string;
  /** uint32 key ID: the first four bytes of SHA-256(name || 0x0A || 0x04 || public key), big-endian. */
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** The key in C2SP vkey form, `<name>+<key id>+<base64(0x04 || key)>`. */
  readonly vkey: string;
  /**
   * The cosignature's timestamp (POSIX seconds) when `signature` (timestamp || Ed25519 signature, the
   * bytes after the key ID) is a valid cosignature of the checkpoint note text `text`; else undefined.
   */
  verify(text: string, signature: Uint8Array): number | undefined;
}

/** A witness's private key, making cosignatures. */
export interface CosignatureSigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  readonly vkey: string;
  /** The cosignature of checkpoint note text `text` at `timestamp` (POSIX seconds). */
  cosign(text: string, timestamp: number): NoteSignature;
}

/**
 * C2SP key ID of an Ed25519 cosignature key (type byte 0x04, not the note keys' 0x01).
 * @example hex8(cosignatureKeyId('witness.example/w1', publicKey))
 */
export function cosignatureKeyId(name: string, publicKey: Uint8Array): number {
  checkName(name);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new TlogError('MALFORMED_KEY', `cosignature key of ${name}: expected 32 bytes`);
  }
  const h = sha256(new Uint8Array([...utf8(name, 'key name'), 0x0a, COSIGNATURE_KEY_TYPE, ...publicKey]));
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

/**
 * The exact bytes a cosigner signs: the `cosignature/v1` header line, the `time` line, then the
 * checkpoint's note text. The text must be a well-formed checkpoint body (as torchwood requires).
 * @example cosignedMessage('example.com/log\n7\n<root>\n', 1679315147)
 */
export function cosignedMessage(text: string, timestamp: number | bigint): Uint8Array {
  parseCheckpoint(text);
  const t = BigInt(timestamp);
  if (t < 0n || t > MAX_TIMESTAMP) {
    throw new TlogError('INVALID_ARGUMENT', `cosignature timestamp ${t} is outside [0, 2^63-1]`);
  }
  return utf8(`cosignature/v1\ntime ${t}\n${text}`);
}

/** A verifier for a witness's Ed25519 public key under `name`; a key off the curve is refused. */
export function cosignatureVerifier(name: string, publicKey: Uint8Array): CosignatureVerifier {
  const keyId = cosignatureKeyId(name, publicKey);
  const key = Uint8Array.from(publicKey);
  if (!ed25519.utils.isValidPublicKey(key, false)) {
    throw new TlogError('MALFORMED_KEY', `cosignature key of ${name} is not a valid Ed25519 point`);
  }
  return {
    name,
    keyId,
    publicKey: key,
    vkey: `${name}+${hex8(keyId)}+${toBase64(new Uint8Array([COSIGNATURE_KEY_TYPE, ...key]))}`,
    verify(text, signature) {
      if (typeof text !== 'string' || !(signature instanceof Uint8Array)) return undefined;
      if (signature.length !== TIMESTAMP_SIZE + SIGNATURE_SIZE) return undefined;
      const t = new DataView(signature.buffer, signature.byteOffset).getBigUint64(0);
      if (t > MAX_TIMESTAMP) return undefined;
      try {
        const message = cosignedMessage(text, t);
        // zip215: false = strict RFC 8032, the same set of signatures as Go's crypto/ed25519.
        const ok = ed25519.verify(signature.subarray(TIMESTAMP_SIZE), message, key, { zip215: false });
        return ok ? Number(t) : undefined;
      } catch {
        return undefined; // not a checkpoint, or a malformed signature: a verifier answers, never throws
      }
    },
  };
}

/**
 * Parses a witness key in C2SP vkey form with signature type 0x04, checking its key ID.
 * @example parseCosignatureVerifierKey('witness.example/w1+3a2c7468+BO3PADh3…').name // 'witness.example/w1'
 */
export function parseCosignatureVerifierKey(vkey: string): CosignatureVerifier {
  const what = 'witness key';
  const { name, publicKey, id, idHex } = splitVerifierKey(vkey, what, COSIGNATURE_KEY_TYPE);
  const verifier = cosignatureVerifier(name, publicKey);
  if (verifier.keyId !== id) {
    throw new TlogError(
      'MALFORMED_KEY',
      `${what}: key ID ${idHex} does not match the name and key (expected ${hex8(verifier.keyId)})`,
    );
  }
  return verifier;
}

/** A cosigner for a 32-byte Ed25519 seed under `name`. */
export function cosignatureSigner(name: string, seed: Uint8Array): CosignatureSigner {
  checkName(name);
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new TlogError('MALFORMED_KEY', `cosignature seed of ${name}: expected 32 bytes`);
  }
  const secret = Uint8Array.from(seed);
  const verifier = cosignatureVerifier(name, ed25519.getPublicKey(secret));
  return {
    name,
    keyId: verifier.keyId,
    publicKey: verifier.publicKey,
    vkey: verifier.vkey,
    cosign(text, timestamp) {
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
        throw new TlogError('INVALID_ARGUMENT', `cosignature timestamp ${timestamp} is not a POSIX time`);
      }
      const sig = ed25519.sign(cosignedMessage(text, timestamp), secret);
      const out = new Uint8Array(TIMESTAMP_SIZE + SIGNATURE_SIZE);
      new DataView(out.buffer).setBigUint64(0, BigInt(timestamp));
      out.set(sig, TIMESTAMP_SIZE);
      return { name, keyId: verifier.keyId, signature: out };
    },
  };
}

/** What one witness's cosignature on a note says. */
export type CosignatureStatus =
  | { readonly witness: CosignatureVerifier; readonly status: 'cosigned'; readonly timestamp: number }
  | { readonly witness: CosignatureVerifier; readonly status: 'missing' | 'invalid' };

/**
 * Which of `witnesses` validly cosigned the signed checkpoint `note`, one answer per witness in the
 * given order. Lines by other keys are ignored (the note spec's rule); a line by a witness's name and
 * key ID that does not verify is `invalid`. The note's own log signature is NOT checked here.
 * @example cosignatures(note, policyKeys).filter((c) => c.status === 'cosigned').length >= quorum
 */
export function cosignatures(
  note: string | Uint8Array,
  witnesses: readonly CosignatureVerifier[],
): CosignatureStatus[] {
  const { text, signatures } = parseNote(note);
  return witnesses.map((witness) => {
    const lines = signatures.filter((s) => s.name === witness.name && s.keyId === witness.keyId);
    if (lines.length === 0) return { witness, status: 'missing' };
    for (const line of lines) {
      const timestamp = witness.verify(text, line.signature);
      if (timestamp !== undefined) return { witness, status: 'cosigned', timestamp };
    }
    return { witness, status: 'invalid' };
  });
}

function checkName(name: unknown): asserts name is string {
  if (!isValidKeyName(name)) {
    throw new TlogError(
      'MALFORMED_KEY',
      `invalid witness name ${JSON.stringify(name)}: must be non-empty, without spaces, '+' or control characters`,
    );
  }
}
