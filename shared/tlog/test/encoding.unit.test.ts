import { describe, expect, it } from 'vitest';
import {
  bytesEqual,
  concatBytes,
  fromBase64,
  fromBase64Url,
  fromHex,
  fromUtf8,
  toBase64,
  toBase64Url,
  toHex,
  utf8,
} from '../src/index.ts';
import v from './vectors/encoding.json' with { type: 'json' };

describe('base64 (RFC 4648 §4, canonical only)', () => {
  for (const { text, base64 } of v.base64) {
    it(`encodes and decodes ${JSON.stringify(text)}`, () => {
      expect(toBase64(utf8(text))).toBe(base64);
      expect(fromUtf8(fromBase64(base64))).toBe(text);
    });
  }

  for (const { input, error } of v.badBase64) {
    it(`rejects ${JSON.stringify(input)}`, () => expect(() => fromBase64(input)).toThrow(error));
  }

  it('round-trips every byte value at every length mod 3', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const n of [254, 255, 256]) {
      const bytes = all.subarray(0, n);
      expect(fromBase64(toBase64(bytes))).toEqual(bytes);
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});

describe('hex', () => {
  for (const { bytes, hex } of v.hex) {
    it(`encodes ${hex}`, () => {
      expect(toHex(Uint8Array.from(bytes))).toBe(hex);
      expect(fromHex(hex)).toEqual(Uint8Array.from(bytes));
      expect(fromHex(hex.toUpperCase())).toEqual(Uint8Array.from(bytes));
    });
  }
  for (const { input, error } of v.badHex) {
    it(`rejects ${JSON.stringify(input)}`, () => expect(() => fromHex(input)).toThrow(error));
  }
});

describe('utf8 and bytesEqual', () => {
  it('refuses lone surrogates and invalid UTF-8 instead of substituting U+FFFD', () => {
    expect(fromUtf8(utf8('e\u0300 \u{1F48A}'))).toBe('e\u0300 \u{1F48A}');
    expect(() => utf8('\uDC00')).toThrow('lone UTF-16 surrogate');
    expect(() => fromUtf8(Uint8Array.of(0xc3))).toThrow('not valid UTF-8');
  });

  it('compares bytes', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false);
  });
});

describe('base64url without padding (RFC 4648 §5, as JWK writes keys) and concatenation', () => {
  it('round-trips every length, using - and _ where base64 has + and /', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 251) & 255);
      const text = toBase64Url(bytes);
      expect(text).not.toMatch(/[+/=]/);
      expect(fromBase64Url(text)).toEqual(bytes);
    }
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
  });

  it('refuses padding, the standard alphabet, impossible lengths and non-zero pad bits, naming the field', () => {
    expect(() => fromBase64Url('-_8=', 'x')).toThrow(/^x: /);
    expect(() => fromBase64Url('+/8', 'x')).toThrow(/base64url has no/);
    expect(() => fromBase64Url('AAAAA', 'x')).toThrow(/impossible length/);
    expect(() => fromBase64Url('-_9', 'x')).toThrow(/non-zero padding bits/);
  });

  it('concatenates any number of parts into a new array', () => {
    const a = Uint8Array.of(1, 2);
    expect(concatBytes(a, Uint8Array.of(), Uint8Array.of(3))).toEqual(Uint8Array.of(1, 2, 3));
    expect(concatBytes()).toEqual(new Uint8Array(0));
    expect(concatBytes(a)).not.toBe(a);
  });
});
