// Seeded byte flips for the tamper test: the same seed damages the same bytes on every run, so a miss
// can be reproduced and named.

/** mulberry32: a small seeded PRNG; returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** An integer in [0, n). */
export function pick(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/** One damaged byte: where, and what it was XORed with (never 0, so the byte always changes). */
export interface Flip {
  at: number;
  mask: number;
}

/** A random flip inside bytes [from, to) of a value. */
export function randomFlip(random: () => number, from: number, to: number): Flip {
  return { at: from + pick(random, to - from), mask: 1 + pick(random, 255) };
}

/** A copy of `bytes` with `flip` applied. */
export function flipped(bytes: Uint8Array, flip: Flip): Buffer {
  if (flip.at < 0 || flip.at >= bytes.length) {
    throw new RangeError(`flip at ${flip.at} is outside a value of ${bytes.length} bytes`);
  }
  const copy = Buffer.from(bytes);
  copy[flip.at]! ^= flip.mask;
  return copy;
}
