import { randomBytes } from 'node:crypto';
import { getHeapSnapshot } from 'node:v8';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { type TokenFile, TokenRegistry, tokenFileSchema, tokenHash } from '../../src/auth/principal.ts';

const PHARMACY = '5009999000003';
const OTHER = '5009999000027';

/** A request carrying `authorization`, as far as TokenRegistry reads one. */
const request = (authorization?: string) =>
  ({
    get: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : undefined),
  }) as Request;

/**
 * Whether any string on the heap holds `needle` (V8 collects garbage before it takes a snapshot).
 * The needle is bytes, off the heap, so that looking for it does not put it there.
 */
async function heapHolds(needle: Buffer): Promise<boolean> {
  let tail = Buffer.alloc(0);
  for await (const chunk of getHeapSnapshot()) {
    // Keep a tail as long as the needle, so that a match split between two chunks is still found.
    const window = Buffer.concat([tail, Buffer.from(String(chunk))]);
    if (window.includes(needle)) return true;
    tail = window.subarray(Math.max(0, window.length - needle.length));
  }
  return false;
}

/** A token's UTF-8 bytes, made in a function so that no string of the whole token outlives it. */
const tokenBytes = (random: Buffer) => Buffer.from(`rxt_${random.toString('hex')}`);

describe('TokenRegistry keeps token hashes only', () => {
  it('authenticates by hash and keeps no raw token in memory after the requests are gone', async () => {
    const random = randomBytes(24);
    // Everything that holds the token as a string lives in this function, and only the registry leaves it.
    const registry = (() => {
      const token = tokenBytes(random).toString();
      const made = new TokenRegistry({
        tokens: [{ hash: tokenHash(token), role: 'partner', glns: [PHARMACY] }],
      });
      for (let i = 0; i < 3; i++) {
        expect(made.authenticate(request(`Bearer ${token}`))).toEqual({ role: 'partner', glns: [PHARMACY] });
      }
      return made;
    })();
    // RegExp's legacy statics (RegExp.lastMatch) keep the last subject matched: move them on.
    expect(/x/.exec('x')).not.toBeNull();
    expect(await heapHolds(tokenBytes(random))).toBe(false);
    // The check can see a token that is held: the registry answers a header still alive here.
    const held = `Bearer ${tokenBytes(random).toString()}`;
    expect(registry.authenticate(request(held)).role).toBe('partner');
    expect(await heapHolds(tokenBytes(random))).toBe(true);
  }, 60_000); // a heap snapshot takes seconds on a busy machine: no timing is asserted here

  it('answers 401 for a missing or unknown token', () => {
    const registry = new TokenRegistry({
      tokens: [{ hash: tokenHash('known'), role: 'regulator', glns: [] }],
    });
    expect(() => registry.authenticate(request())).toThrow(/missing Authorization/);
    expect(() => registry.authenticate(request('Bearer unknown'))).toThrow(/unknown bearer token/);
  });
});

describe('the tokens file', () => {
  const parse = (tokens: unknown[]) => tokenFileSchema.safeParse({ tokens });
  const issues = (tokens: unknown[]) => {
    const r = parse(tokens);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const hash = tokenHash('t');

  it('refuses a raw token, so that no config the ledger reads holds one', () => {
    expect(issues([{ hash, role: 'regulator', glns: [], token: 'rxr_secret' }])).toEqual([
      expect.stringMatching(/^tokens\.0: .*token/),
    ]);
  });

  it('is checked when a registry is built from a value too, not only from the file', () => {
    const two = { tokens: [{ hash, role: 'partner' as const, glns: [PHARMACY, OTHER] }] };
    expect(() => new TokenRegistry(two)).toThrow(
      /tokens\.0\.glns: a partner token acts for exactly one party/,
    );
  });

  it('binds a partner or pharmacist token to exactly one party GLN, and a regulator token to none', () => {
    expect(
      parse([{ hash, role: 'partner', glns: [PHARMACY] } satisfies TokenFile['tokens'][number]]).success,
    ).toBe(true);
    expect(issues([{ hash, role: 'partner', glns: [PHARMACY, OTHER] }])).toEqual([
      'tokens.0.glns: a partner token acts for exactly one party: give one GLN (one token per party)',
    ]);
    expect(issues([{ hash, role: 'pharmacist', glns: [] }])).toEqual([
      'tokens.0.glns: a pharmacist token acts for exactly one party: give one GLN (one token per party)',
    ]);
    expect(issues([{ hash, role: 'regulator', glns: [PHARMACY] }])).toEqual([
      'tokens.0.glns: a regulator token acts for no party: leave glns empty',
    ]);
  });
});
