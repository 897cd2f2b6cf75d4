// The regulator page's reading of a verifier report (web/bundle-view.ts), without a browser, on the
// golden bundles; test/page-regulator.e2e.test.ts drives the page itself in Chromium.
import { readFileSync } from 'node:fs';
import { readTrustAnchors, verifyBundle } from '@rxledger/verifier';
import { describe, expect, it } from 'vitest';
import type { GoldenBundleCase } from '../../../../test/golden/golden-bundles.ts';
import { anomaliesOf, bundleView } from '../../web/bundle-view.ts';

const golden = JSON.parse(
  readFileSync(new URL('../../../../test/golden/bundles.json', import.meta.url), 'utf8'),
) as GoldenBundleCase[];
const viewOf = (name: string, anomalies?: Map<number, string[]>) => {
  const c = golden.find((g) => g.name === name)!;
  return bundleView(verifyBundle(c.bundle, readTrustAnchors(c.anchors)), anomalies);
};

describe('bundleView', () => {
  it('says Verified only when every check passed, with one row per kind of check', () => {
    const v = viewOf('v2-pack-c-rotated-key');
    expect(v.tone).toBe('ok');
    expect(v.headline).toBe('Verified');
    expect(v.checks.every((c) => c.mark === 'ok' && c.passed === c.total)).toBe(true);
    expect(new Set(v.checks.map((c) => c.what)).size).toBe(v.checks.length);
    expect(v.timeline.map((t) => t.index)).toEqual([13, 14, 15]);
  });

  it('names each party as the verified registry names it', () => {
    const v = viewOf('v1-pack-a');
    expect(v.timeline[0]!.party).toMatch(/^.+ \(\d{13}\)$/);
  });

  it('counts the failures, gives the first failure of each kind, and keeps an unreadable leaf in place', () => {
    const v = viewOf('v2-pack-c-altered-leaf');
    expect(v.tone).toBe('bad');
    expect(v.headline).toMatch(/^Not verified: 4 of \d+ checks failed$/);
    const inclusion = v.checks.find((c) => c.what === 'entry inclusion')!;
    expect(inclusion).toMatchObject({ mark: 'bad', passed: 2, total: 3 });
    expect(inclusion.detail).toMatch(/^leaf 14: /);
    expect(v.timeline.map((t) => [t.index, t.mark])).toEqual([
      [13, 'ok'],
      [14, 'bad'],
      [15, 'bad'],
    ]);
    expect(v.timeline[1]!.what).toBe('UNREADABLE');
  });

  it("shows the ledger's anomaly notes at their leaf, and ignores malformed ones", () => {
    const notes = anomaliesOf({
      timeline: [{ index: 14, anomalies: ['CUSTODY_MISMATCH: not held', 7] }, { index: 'x' }, null],
    });
    expect([...notes]).toEqual([[14, ['CUSTODY_MISMATCH: not held']]]);
    expect(viewOf('v2-pack-c-rotated-key', notes).timeline[1]!.anomalies).toEqual([
      'CUSTODY_MISMATCH: not held',
    ]);
    expect(anomaliesOf('not an answer').size).toBe(0);
  });
});
