import { TlogError } from './errors.ts';

// Own codecs rather than atob/btoa or Buffer: those are lenient (whitespace, missing padding,
// non-zero pad bits) or Node-only, and a verifier must accept exactly one encoding of each value.

const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  checkBytes(bytes, 'toHex');
  let out = '';
  for (const b of bytes) out += HEX[b >> 4]! + HEX[b & 15]!;
  return out;
}

/**
 * Bytes of a hex string (either case, even length, nothing else).
 * @example fromHex('00ff') // Uint8Array [0, 255]
 */
export function fromHex(hex: string, what = 'hex'): Uint8Array {
  if (typeof hex !== 'string') throw new TlogError('INVALID_ENCODING', `${what}: expected a string`);
  if (hex.length % 2 !== 0)
    throw new TlogError('INVALID_ENCODING', `${what}: odd number of hex digits (${hex.length})`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(hex.charCodeAt(2 * i));
    const lo = hexDigit(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      throw new TlogError(
        'INVALID_ENCODING',
        `${what}: not a hex digit at offset ${hi < 0 ? 2 * i : 2 * i + 1}`,
      );
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Standard base64 with padding (RFC 4648 §4), as used by signed notes, checkpoints and the HTTP API. */
export function toBase64(bytes: Uint8Array): string {
  checkBytes(bytes, 'toBase64');
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${B64[n >> 18]!}${B64[(n >> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${B64[n >> 18]!}${B64[(n >> 12) & 63]!}${B64[(n >> 6) & 63]!}=`;
  }
  return out;
}

/**
 * Bytes of canonical standard base64: padded, no whitespace, zero pad bits. Anything else is
 * rejected so that one value has exactly one encoding (signature lines and roots are compared as text).
 * @example fromBase64('AAE=') // Uint8Array [0, 1]
 */
export function fromBase64(b64: string, what = 'base64'): Uint8Array {
  if (typeof b64 !== 'string') throw new TlogError('INVALID_ENCODING', `${what}: expected a string`);
  if (b64.length % 4 !== 0) {
    throw new TlogError('INVALID_ENCODING', `${what}: length ${b64.length} is not a multiple of 4`);
  }
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((b64.length / 4) * 3 - pad);
  const sextet = (i: number): number => {
    const c = b64.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c]! : -1;
    if (v < 0) throw new TlogError('INVALID_ENCODING', `${what}: invalid character at offset ${i}`);
    return v;
  };
  let o = 0;
  for (let i = 0; i < b64.length; i += 4) {
    const last = i + 4 === b64.length;
    const a = sextet(i);
    const b = sextet(i + 1);
    if (last && pad === 2) {
      if ((b & 15) !== 0) throw new TlogError('INVALID_ENCODING', `${what}: non-zero padding bits`);
      out[o] = (a << 2) | (b >> 4);
      break;
    }
    const c = sextet(i + 2);
    if (last && pad === 1) {
      if ((c & 3) !== 0) throw new TlogError('INVALID_ENCODING', `${what}: non-zero padding bits`);
      out[o++] = (a << 2) | (b >> 4);
      out[o] = ((b & 15) << 4) | (c >> 2);
      break;
    }
    const d = sextet(i + 3);
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o++] = ((c & 3) << 6) | d;
  }
  return out;
}

/** Base64url without padding (RFC 4648 §5), as JWK (RFC 7517) writes keys. */
export function toBase64Url(bytes: Uint8Array): string {
  checkBytes(bytes, 'toBase64Url');
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes of base64url without padding, canonical as fromBase64 requires (zero pad bits). */
export function fromBase64Url(text: string, what = 'base64url'): Uint8Array {
  if (typeof text !== 'string') throw new TlogError('INVALID_ENCODING', `${what}: expected a string`);
  if (/[+/=]/.test(text)) {
    throw new TlogError('INVALID_ENCODING', `${what}: base64url has no "+", "/" or "=" padding`);
  }
  if (text.length % 4 === 1)
    throw new TlogError('INVALID_ENCODING', `${what}: impossible length ${text.length}`);
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(std + '='.repeat((4 - (std.length % 4)) % 4), what);
}

/** The bytes of `parts`, one after another, in a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  for (const p of parts) checkBytes(p, 'concatBytes');
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** UTF-8 bytes of a string; lone surrogates are refused rather than silently replaced. */
export function utf8(text: string, what = 'text'): Uint8Array {
  if (typeof text !== 'string') throw new TlogError('INVALID_ARGUMENT', `${what}: expected a string`);
  if (hasLoneSurrogate(text)) {
    throw new TlogError(
      'INVALID_ENCODING',
      `${what}: contains a lone UTF-16 surrogate, not encodable as UTF-8`,
    );
  }
  return utf8Encoder.encode(text);
}

/** Whether `text` has an unpaired UTF-16 surrogate, i.e. is not well-formed Unicode (internal). */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** The string of strict UTF-8 bytes; invalid sequences are refused rather than replaced with U+FFFD. */
export function fromUtf8(bytes: Uint8Array, what = 'text'): string {
  checkBytes(bytes, what);
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new TlogError('INVALID_ENCODING', `${what}: not valid UTF-8`);
  }
}

/** Whether two byte arrays are equal. Not constant-time: it compares public hashes only. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  checkBytes(a, 'bytesEqual');
  checkBytes(b, 'bytesEqual');
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function checkBytes(value: unknown, what: string): void {
  if (!(value instanceof Uint8Array))
    throw new TlogError('INVALID_ARGUMENT', `${what}: expected a Uint8Array`);
}
