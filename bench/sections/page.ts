// The pages as a browser meets them: the JavaScript each page loads first, gzipped, from a fresh build
// (infra/build-web.mjs into a temporary folder), and the time the regulator page's verifier takes in
// Chromium over a real 10-entry bundle (a ledger folded in process by the ledger's own LedgerFolder,
// the bundle assembled by the code behind GET /v1/provenance).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { toBase64 } from '@rxledger/tlog';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { BROWSER_OPTIONS, buildWeb } from '../../infra/build-web.mjs';
import type { TestChain } from '../../services/ledger/test/support/test-chain.ts';
import { journey, pack, scenario } from '../../shared/verifier/test/support/scenario.ts';
import { findChromium } from '../../test/support/chromium.ts';
import { percentile } from '../stats.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface PageWeight {
  page: string;
  /** The scripts a first visit loads: the page's own, and the service worker it registers. */
  scripts: string[];
  bytes: number;
  gzipBytes: number;
}

/** The JavaScript of a first visit to each page, as built now, raw and gzipped (level 9). */
export async function pageWeights(): Promise<PageWeight[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rxledger-bench-web-'));
  try {
    await buildWeb(dir);
    const weights: PageWeight[] = [];
    for (const [page, html] of [
      ['counter (/)', 'index.html'],
      ['regulator (/regulator)', 'regulator.html'],
    ] as const) {
      const text = await readFile(join(dir, html), 'utf8');
      const scripts = [...text.matchAll(/<script[^>]*\ssrc="\/([^"]+)"/g)].map((m) => m[1]!);
      // Both pages register the service worker on their first load: its script is fetched then too.
      scripts.push('sw.js');
      let bytes = 0;
      let gzipBytes = 0;
      for (const s of scripts) {
        const body = await readFile(join(dir, s));
        bytes += body.length;
        gzipBytes += gzipSync(body, { level: 9 }).length;
      }
      weights.push({ page, scripts, bytes, gzipBytes });
    }
    return weights;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type BrowserVerify =
  | { skipped: string }
  | { entries: number; bundleBytes: number; runs: number; firstMs: number; medianMs: number; p95Ms: number };

/** pack(1)'s journey without the lot's recall: commissioned, packed twice, shipped, received, unpacked
 * twice, shipped, received, dispensed: ten leaves in its bundle. */
const tenEntries = (c: TestChain) => journey(c).slice(0, -1);

// What the page bundles of the verifier, exposed for timing: the same entry point, the same options.
// The page runs warmVerifier() (its self-test) as soon as it loads, long before a regulator's first
// search can arrive; the harness does the same before it times the first verification.
const HARNESS = `import { readTrustAnchors, verifyBundleText, warmVerifier } from '@rxledger/verifier';
if (!warmVerifier()) throw new Error('the verifier failed its self-test');
globalThis.timeVerify = (text, anchors, runs) => {
  const trust = readTrustAnchors(anchors);
  const ms = [];
  let ok = true;
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    ok = verifyBundleText(text, trust).ok && ok;
    ms.push(performance.now() - t0);
  }
  return { ok, ms };
};`;

/** verifyBundleText of a real 10-entry bundle in Chromium, `runs` times in one page: first run apart. */
export async function browserVerify(runs = 50): Promise<BrowserVerify> {
  const found = findChromium();
  if ('reason' in found) return { skipped: found.reason };
  const ledger = scenario(tenEntries);
  const bundle = ledger.bundle(pack(1));
  ledger.close();
  if (bundle.entries.length !== 10) throw new Error(`bench page: ${bundle.entries.length} entries, not 10`);
  const text = JSON.stringify(bundle);
  const anchors = {
    checkpointKey: ledger.trust.checkpointKey,
    authorityKey: toBase64(ledger.trust.authorityKey as Uint8Array),
    origin: ledger.trust.origin,
  };
  const harness = await build({
    ...BROWSER_OPTIONS,
    stdin: { contents: HARNESS, resolveDir: root, loader: 'js' },
    format: 'iife',
    write: false,
  });
  const browser = await chromium.launch({ executablePath: found.path, headless: true });
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ content: harness.outputFiles[0]!.text });
    const { ok, ms } = (await page.evaluate(
      `timeVerify(${JSON.stringify(text)}, ${JSON.stringify(anchors)}, ${runs})`,
    )) as { ok: boolean; ms: number[] };
    if (!ok) throw new Error('bench page: the 10-entry bundle did not verify in Chromium');
    const warm = ms.slice(1);
    return {
      entries: bundle.entries.length,
      bundleBytes: text.length,
      runs,
      firstMs: ms[0]!,
      medianMs: percentile(warm, 50),
      p95Ms: percentile(warm, 95),
    };
  } finally {
    await browser.close();
  }
}
