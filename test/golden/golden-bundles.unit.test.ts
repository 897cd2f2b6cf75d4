// The frozen bundle cases of bundles.json through the verifier in Node; test/page-regulator.e2e.test.ts
// runs the same file through the same verifier built for the browser, in Chromium.
import { readFileSync } from 'node:fs';
import { decodeLedgerEntry, decodeSignedEvent } from '@rxledger/events';
import { fromBase64 } from '@rxledger/tlog';
import { describe, expect, it } from 'vitest';
import { readTrustAnchors, verifyBundle } from '../../shared/verifier/src/index.ts';
import { type GoldenBundleCase, goldenBundleCases } from './golden-bundles.ts';

const frozen = JSON.parse(
  readFileSync(new URL('./bundles.json', import.meta.url), 'utf8'),
) as GoldenBundleCase[];

describe('golden bundles (bundles.json)', () => {
  it('are made today from the golden leaves byte for byte as they were frozen', () => {
    const built = goldenBundleCases();
    expect(built.map((c) => c.name)).toEqual(frozen.map((c) => c.name));
    for (const [i, c] of built.entries()) {
      expect(c.bundle, c.name).toEqual(frozen[i]!.bundle);
      expect(c.anchors, c.name).toEqual(frozen[i]!.anchors);
    }
  });

  it('cover a pack whose leaves hold batch-signed records (SignedEvent v2), one leaf of its batch left out', () => {
    const c = frozen.find((x) => x.name === 'v2-pack-e-batch-signed')!;
    const records = c.bundle.entries.map((e) =>
      decodeSignedEvent(decodeLedgerEntry(fromBase64(e.leaf)).signedEvent),
    );
    expect(records.map((r) => r.batch && [r.batch.index, r.batch.size])).toEqual([
      [1, 3],
      [2, 3],
    ]);
    expect(c.expect).toEqual({ ok: true, failed: [] });
  });

  it('cover a bundle that verifies and bundles that fail', () => {
    expect(frozen.filter((c) => c.expect.ok).length).toBeGreaterThan(0);
    expect(frozen.filter((c) => !c.expect.ok).length).toBeGreaterThan(0);
  });

  it.each(frozen.map((c) => [c.name, c] as const))('%s: the verifier repeats the frozen verdict', (_, c) => {
    const report = verifyBundle(c.bundle, readTrustAnchors(c.anchors));
    expect(report.ok).toBe(c.expect.ok);
    expect(report.checks.filter((k) => !k.ok).map((k) => k.what)).toEqual(c.expect.failed);
  });
});
