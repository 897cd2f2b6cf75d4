// The frozen bundle cases of bundles.json through the verifier in Node; test/page-regulator.e2e.test.ts
// runs the same file through the same verifier built for the browser, in Chromium.
import { readFileSync } from 'node:fs';
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
