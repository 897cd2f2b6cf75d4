import { describe, expect, it } from 'vitest';
import { bytesEqual, fromBase64, fromHex, fromUtf8, toBase64, toHex, utf8 } from '../src/index.ts';
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
