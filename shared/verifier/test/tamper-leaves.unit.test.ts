// "Fails when any byte of any leaf changes", as a dense sample that runs in seconds: one bit flipped
// at every byte of three entry leaves (no links, two links, one link) and at every fourth byte of the
// genesis; each time the report must fail and name that leaf's inclusion check.
import { fromBase64, toBase64 } from '@rxledger/tlog';
import { afterAll, describe, expect, it } from 'vitest';
import { type ProvenanceBundle, verifyBundle } from '../src/index.ts';
import { memoizeNobleVerify } from './support/memo-signatures.ts';
import { pack, scenario, shortJourney } from './support/scenario.ts';

memoizeNobleVerify();

describe('a bundle with one bit of one leaf flipped', () => {
  const s = scenario(shortJourney);
  const bundle = s.bundle(pack(1));
  afterAll(() => s.close());

  /** Flips one bit at each byte `at` of leaf `list[k]`; returns how many flips were checked. */
  function flipEvery(list: 'entries' | 'registry', k: number, step: number): number {
    const what = list === 'entries' ? 'entry inclusion' : 'registry inclusion';
    const entry = bundle[list][k]!;
    const leaf = fromBase64(entry.leaf);
    let flips = 0;
    for (let at = 0; at < leaf.length; at += step) {
      const bad = structuredClone(bundle) as ProvenanceBundle;
      const flipped = Uint8Array.from(leaf);
      flipped[at]! ^= 1 << (at % 8);
      bad[list][k]!.leaf = toBase64(flipped);
      const report = verifyBundle(bad, s.trust);
      expect(report.ok, `${list}[${k}] byte ${at}`).toBe(false);
      expect(
        report.checks.filter((c) => !c.ok),
        `${list}[${k}] byte ${at}`,
      ).toContainEqual(expect.objectContaining({ what, index: entry.index }));
      flips++;
    }
    return flips;
  }

  it('verifies untouched', () => {
    expect(verifyBundle(bundle, s.trust).ok).toBe(true);
    expect(bundle.entries.map((e) => e.index)).toEqual([1, 2, 3, 4, 5]);
  });

  it('fails at every byte of the COMMISSION leaf (null links)', () => {
    expect(flipEvery('entries', 0, 1)).toBeGreaterThan(200);
  }, 30_000);

  it('fails at every byte of the AGGREGATE leaf (two links)', () => {
    expect(flipEvery('entries', 1, 1)).toBeGreaterThan(200);
  }, 30_000);

  it('fails at every byte of the SHIP leaf (one link)', () => {
    expect(flipEvery('entries', 2, 1)).toBeGreaterThan(200);
  }, 30_000);

  it('fails at every fourth byte of the genesis registry leaf', () => {
    expect(flipEvery('registry', 0, 4)).toBeGreaterThan(150);
  }, 30_000);
});
