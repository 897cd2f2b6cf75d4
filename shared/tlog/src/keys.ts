import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '#sha256';
import { fromBase64, hasLoneSurrogate, toBase64, utf8 } from './encoding.ts';
import { TlogError } from './errors.ts';

// C2SP signed-note keys, Ed25519 only (signature type 0x01): the only type rxledger signs with, and
// the spec asks implementations to support no more types than their design needs.

/** C2SP signed-note signature type byte for Ed25519. */
export const ED25519_KEY_TYPE = 0x01;
const ED25519_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;

/** A trusted public key that can check note signatures. */
export interface NoteVerifier {
  readonly name: string;
  /** uint32 key ID (C2SP: first four bytes of SHA-256(name || 0x0A || 0x01 || public key), big-endian). */
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** Whether `signature` is a valid strict-RFC 8032 Ed25519 signature of `message` by this key. */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** A private key that signs notes under its name and key ID. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** Ed25519 signature of `message` (64 bytes). */
  sign(message: Uint8Array): Uint8Array;
}

/**
 * Whether `name` is a valid key name: non-empty, no Unicode space and no '+' (signed-note §Format).
 * C0 control characters are refused too, since a note may not contain them.
 */
export function isValidKeyName(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0 || hasLoneSurrogate(name)) return false;
  // \p{White_Space} is the set Go's unicode.IsSpace uses, so both implementations agree on names.
  if (/[\p{White_Space}+]/u.test(name)) return false;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) < 0x20) return false;
  return true;
}

/**
 * C2SP key ID of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || publicKey)[:4] as a big-endian uint32.
 * @example keyId('PeterNeumann', publicKey).toString(16) // 'c74f20a3'
 */
export function keyId(name: string, publicKey: Uint8Array): number {
  checkName(name, 'MALFORMED_KEY');
  checkKeyBytes(publicKey, 'public key');
  const nameBytes = utf8(name, 'key name');
  const buf = new Uint8Array(nameBytes.length + 2 + ED25519_KEY_SIZE);
  buf.set(nameBytes, 0);
  buf[nameBytes.length] = 0x0a;
  buf[nameBytes.length + 1] = ED25519_KEY_TYPE;
  buf.set(publicKey, nameBytes.length + 2);
  const h = sha256(buf);
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

/** A verifier for an Ed25519 public key under `name`; a key that is not a curve point is refused. */
export function ed25519Verifier(name: string, publicKey: Uint8Array): NoteVerifier {
  const id = keyId(name, publicKey);
  const key = Uint8Array.from(publicKey);
  // Refused here rather than failing every verification later: a bad trust anchor is a config error.
  if (!ed25519.utils.isValidPublicKey(key, false)) {
    throw new TlogError('MALFORMED_KEY', `public key of ${name} is not a valid Ed25519 point`);
  }
  return {
    name,
    keyId: id,
    publicKey: key,
    verify(message: Uint8Array, signature: Uint8Array): boolean {
      if (!(message instanceof Uint8Array) || !(signature instanceof Uint8Array)) return false;
      if (signature.length !== ED25519_SIGNATURE_SIZE) return false;
      try {
        // zip215: false = strict RFC 8032, so node:crypto (OpenSSL) and this code accept the same set.
        return ed25519.verify(signature, message, key, { zip215: false });
      } catch {
        return false; // noble throws on malformed signatures; a verifier answers, never throws
      }
    },
  };
}

/** A signer for a 32-byte Ed25519 seed (RFC 8032 private key) under `name`. */
export function ed25519Signer(name: string, seed: Uint8Array): NoteSigner {
  checkName(name, 'MALFORMED_KEY');
  checkKeyBytes(seed, 'seed');
  const secret = Uint8Array.from(seed);
  const publicKey = ed25519.getPublicKey(secret);
  return {
    name,
    keyId: keyId(name, publicKey),
    publicKey,
    sign: (message: Uint8Array) => ed25519.sign(message, secret),
  };
}

/**
 * Verifier key string in C2SP vkey form: `<name>+<8 hex key ID>+<base64(0x01 || public key)>`.
 * @example formatVerifierKey('PeterNeumann', pub) // 'PeterNeumann+c74f20a3+ARpc2QcUPDhM…'
 */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  const id = keyId(name, publicKey);
  return `${name}+${hex8(id)}+${toBase64(withType(publicKey))}`;
}

/**
 * Parses a vkey string (see `formatVerifierKey`) and checks that its key ID matches its name and key.
 * @example parseVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW').name
 */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const { name, publicKey, id, idHex } = splitVerifierKey(vkey, 'verifier key', ED25519_KEY_TYPE);
  const verifier = ed25519Verifier(name, publicKey);
  if (verifier.keyId !== id) {
    throw new TlogError(
      'MALFORMED_KEY',
      `verifier key: key ID ${idHex} does not match the name and key (expected ${hex8(verifier.keyId)})`,
    );
  }
  return verifier;
}

/**
 * The fields of a vkey `<name>+<8 hex key ID>+<base64(type || 32-byte Ed25519 key)>` whose type byte
 * must be `type` (0x01 note keys, 0x04 cosignature keys); the caller checks the key ID, whose
 * derivation depends on the type.
 */
export function splitVerifierKey(
  vkey: unknown,
  what: string,
  type: number,
): { name: string; publicKey: Uint8Array; id: number; idHex: string } {
  if (typeof vkey !== 'string') throw new TlogError('MALFORMED_KEY', `${what}: expected a string`);
  // The base64 key may itself contain '+': only the first two separate fields.
  const fields = chop(vkey, 2);
  if (fields === undefined) throw new TlogError('MALFORMED_KEY', `${what}: expected <name>+<key id>+<key>`);
  const [name, idHex, keyB64] = fields as [string, string, string];
  return { name, idHex, ...parseKeyParts(what, name, idHex, keyB64, type) };
}

/**
 * Signer key string in the form of golang.org/x/mod/sumdb/note:
 * `PRIVATE+KEY+<name>+<8 hex key ID>+<base64(0x01 || seed)>`. It is a secret.
 */
export function formatSignerKey(name: string, seed: Uint8Array): string {
  const signer = ed25519Signer(name, seed);
  return `PRIVATE+KEY+${name}+${hex8(signer.keyId)}+${toBase64(withType(seed))}`;
}

/**
 * Parses a signer key string (see `formatSignerKey`); the key ID must match the derived public key.
 * @example signCheckpoint(checkpoint, parseSignerKey(config.checkpointSignerKey))
 */
export function parseSignerKey(skey: string): NoteSigner {
  // Never echo the key itself in messages: it is a secret and errors get logged.
  if (typeof skey !== 'string') throw new TlogError('MALFORMED_KEY', 'signer key: expected a string');
  const fields = chop(skey, 4);
  const [priv, key, name, idHex, keyB64] = (fields ?? []) as [string, string, string, string, string];
  if (fields === undefined || priv !== 'PRIVATE' || key !== 'KEY') {
    throw new TlogError('MALFORMED_KEY', 'signer key: expected PRIVATE+KEY+<name>+<key id>+<key>');
  }
  const { publicKey: seed, id } = parseKeyParts('signer key', name, idHex, keyB64, ED25519_KEY_TYPE);
  const signer = ed25519Signer(name, seed);
  if (signer.keyId !== id) {
    throw new TlogError(
      'MALFORMED_KEY',
      `signer key: key ID ${idHex} does not match the name and derived public key`,
    );
  }
  return signer;
}

/** A fresh Ed25519 key pair as note key strings (random from `crypto.getRandomValues`). */
export function generateNoteKey(name: string): { signerKey: string; verifierKey: string } {
  checkName(name, 'MALFORMED_KEY');
  const seed = ed25519.utils.randomSecretKey();
  return {
    signerKey: formatSignerKey(name, seed),
    verifierKey: formatVerifierKey(name, ed25519.getPublicKey(seed)),
  };
}

/**
 * A note key ID (a 32-bit unsigned integer) as exactly eight lower-case hex digits, as a key's
 * `<name>+<hex8>` identity and its vkey write it.
 * @example hex8(0xc74f20a3) // 'c74f20a3'
 */
export function hex8(id: number): string {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new TlogError('MALFORMED_KEY', `key ID: expected a 32-bit unsigned integer, got ${id}`);
  }
  return id.toString(16).padStart(8, '0');
}

function parseKeyParts(
  what: string,
  name: string,
  idHex: string,
  keyB64: string,
  type: number,
): { publicKey: Uint8Array; id: number } {
  if (!isValidKeyName(name))
    throw new TlogError('MALFORMED_KEY', `${what}: invalid key name ${JSON.stringify(name)}`);
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) {
    throw new TlogError(
      'MALFORMED_KEY',
      `${what}: key ID must be 8 hex digits, got ${JSON.stringify(idHex)}`,
    );
  }
  let key: Uint8Array;
  try {
    key = fromBase64(keyB64, `${what} base64`);
  } catch (err) {
    throw new TlogError('MALFORMED_KEY', (err as Error).message);
  }
  if (key.length === 0) throw new TlogError('MALFORMED_KEY', `${what}: empty key`);
  if (key[0] !== type) {
    const hex = (t: number) => `0x${t.toString(16).padStart(2, '0')}`;
    throw new TlogError(
      'MALFORMED_KEY',
      `${what}: unsupported signature type ${hex(key[0]!)}, only ${type === ED25519_KEY_TYPE ? 'Ed25519' : 'Ed25519 cosignature'} (${hex(type)})`,
    );
  }
  if (key.length !== 1 + ED25519_KEY_SIZE) {
    throw new TlogError(
      'MALFORMED_KEY',
      `${what}: Ed25519 key is ${key.length - 1} bytes, expected ${ED25519_KEY_SIZE}`,
    );
  }
  return { publicKey: key.subarray(1), id: Number.parseInt(idHex, 16) };
}

/** Splits at the first `n` '+' only, into n + 1 fields; undefined if there are fewer '+'. */
function chop(s: string, n: number): string[] | undefined {
  const out: string[] = [];
  let rest = s;
  for (let i = 0; i < n; i++) {
    const at = rest.indexOf('+');
    if (at < 0) break;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  out.push(rest);
  return out.length === n + 1 ? out : undefined;
}

function withType(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + key.length);
  out[0] = ED25519_KEY_TYPE;
  out.set(key, 1);
  return out;
}

function checkName(name: unknown, code: 'MALFORMED_KEY' | 'MALFORMED_NOTE'): asserts name is string {
  if (!isValidKeyName(name)) {
    throw new TlogError(
      code,
      `invalid key name ${JSON.stringify(name)}: must be non-empty, without spaces, '+' or control characters`,
    );
  }
}

function checkKeyBytes(key: unknown, what: string): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== ED25519_KEY_SIZE) {
    throw new TlogError(
      'MALFORMED_KEY',
      `${what}: expected ${ED25519_KEY_SIZE} bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`,
    );
  }
}
