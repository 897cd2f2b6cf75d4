import { afterAll, describe, expect, it } from 'vitest';
import { formatReport, verifyBundle } from '../src/index.ts';
import { GLN, pack, scenario, shortJourney, sscc } from './support/scenario.ts';

describe('formatReport', () => {
  const s = scenario(shortJourney);
  const bundle = s.bundle(pack(1));
  afterAll(() => s.close());

  it('prints one ✓ line per leaf with time, type, party, site and effect, a tally and the verdict', () => {
    const lines = formatReport(verifyBundle(bundle, s.trust));
    expect(lines[0]).toBe(`Provenance bundle of ${pack(1)}`);
    expect(lines).toContain(
      `✓      3  2026-06-01T10:00:03+02:00  SHIP          party ${GLN.maker}  site ${GLN.maker}  shipped to ${GLN.distributor} via ${sscc(1)}`,
    );
    expect(lines.filter((l) => /^✓ +\d+ {2}/.test(l))).toHaveLength(6);
    expect(lines.at(-2)).toMatch(/^Checks: ✓ bundle shape 1\/1 {2}✓ checkpoint 1\/1 .* ✓ leaf seq 6\/6$/);
    expect(lines.at(-1)).toMatch(
      /^✓ VERIFIED: all \d+ checks passed against verifier\.test\.rxledger\.dev\/custody at tree size 6$/,
    );
  });

  it('marks the failing leaf ✗ and says why under it', () => {
    const lines = formatReport(
      verifyBundle({ ...bundle, entries: bundle.entries.filter((e) => e.index !== 2) }, s.trust),
    );
    const at = lines.findIndex((l) => l.startsWith('✗      5  '));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {11}✗ hash links: item .*between 1 and 5 is missing$/);
    expect(lines.at(-1)).toMatch(/^✗ NOT VERIFIED: 1 of \d+ checks failed/);
  });

  it('lists the checks of a malformed bundle', () => {
    expect(formatReport(verifyBundle({ item: 1 }, s.trust))).toEqual([
      'Provenance bundle of (unknown item)',
      "✗ bundle shape: item: expected the item's URI as a string, got 1",
      '✗ bundle shape: checkpoint: expected the signed checkpoint note as a string, got nothing',
      '✗ bundle shape: entries: expected an array of { index, leaf, proof }, got nothing',
      '✗ bundle shape: registry: expected an array of { index, leaf, proof }, got nothing',
      '✗ bundle shape: schemas: expected an object of fingerprint → schema, got nothing',
      '',
      'Checks: ✗ bundle shape 0/5',
      '✗ NOT VERIFIED: 5 of 5 checks failed',
    ]);
  });
});
