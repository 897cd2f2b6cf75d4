// Writes test/golden/bundles.json: the golden bundle cases with the verdict today's verifier gives.
// Run only when a case is added on purpose (npx tsx test/golden/build-golden-bundles.ts), then read the
// diff: the frozen verdicts are what every later verifier, in Node and in the browser, must repeat.
import { writeFileSync } from 'node:fs';
import { readTrustAnchors, verifyBundle } from '../../shared/verifier/src/index.ts';
import { type GoldenBundleCase, goldenBundleCases } from './golden-bundles.ts';

const cases: GoldenBundleCase[] = goldenBundleCases().map((c) => {
  const report = verifyBundle(c.bundle, readTrustAnchors(c.anchors));
  return { ...c, expect: { ok: report.ok, failed: report.checks.filter((k) => !k.ok).map((k) => k.what) } };
});
writeFileSync(new URL('./bundles.json', import.meta.url), `${JSON.stringify(cases, null, 2)}\n`);
for (const c of cases)
  console.log(`${c.name}: ${c.expect.ok ? 'verifies' : `fails ${c.expect.failed.join(', ')}`}`);
