import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { sha256 as nodeSha256 } from '../src/sha256-node.ts';
import { sha256 as portableSha256 } from '../src/sha256-portable.ts';
import { sha256 } from '../src/index.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('sha256: node:crypto on Node, the same bytes as the portable hash', () => {
  it('gives the FIPS 180-2 known answers', () => {
    const abc = new TextEncoder().encode('abc');
    for (const f of [sha256, nodeSha256, portableSha256]) {
      expect(hex(f(abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(hex(f(new Uint8Array(0)))).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
    }
  });

  it('agrees with @noble/hashes on every length up to 300 and on views into larger buffers', () => {
    const big = new Uint8Array(1024).map((_, i) => (i * 131 + 7) & 0xff);
    for (let n = 0; n <= 300; n++) {
      const view = big.subarray(5, 5 + n);
      expect(hex(nodeSha256(view))).toBe(hex(nobleSha256(view)));
    }
  });

  it('returns a fresh 32-byte Uint8Array the caller may keep', () => {
    const a = nodeSha256(new Uint8Array([1]));
    const b = nodeSha256(new Uint8Array([2]));
    expect(a).toBeInstanceOf(Uint8Array);
    expect(a.length).toBe(32);
    expect(hex(a)).not.toBe(hex(b));
  });
});
