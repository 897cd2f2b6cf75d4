// The verifier and the events library's portable entry run unchanged in a browser: bundled for the
// browser platform (as infra/build-web.mjs bundles the regulator page), they reach no Node built-in
// and no file, and the bundle verifies the golden bundles when run (here, in Node's VM without Buffer
// or process in scope: the page test runs it in Chromium).
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { GoldenBundleCase } from '../../../test/golden/golden-bundles.ts';

const golden = JSON.parse(
  readFileSync(new URL('../../../test/golden/bundles.json', import.meta.url), 'utf8'),
) as GoldenBundleCase[];

async function browserBundle(contents: string) {
  return build({
    stdin: { contents, resolveDir: new URL('../../..', import.meta.url).pathname, loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'portable',
    write: false,
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_DEBUG': 'undefined' },
  });
}

describe('the portable verifier', () => {
  it('bundles for the browser without a Node built-in', async () => {
    const result = await browserBundle(
      "export * from '@rxledger/verifier'; export * from '@rxledger/events/portable';",
    );
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.startsWith('node:'))).toEqual([]);
    expect(inputs.some((i) => i.includes('shared/events/src/ed25519-node.ts'))).toBe(false);
    expect(inputs.some((i) => i.includes('shared/events/src/key-file.ts'))).toBe(false);
  });

  it('gives the frozen verdict of every golden bundle outside Node, with no Buffer or process', async () => {
    const result = await browserBundle(
      "export { readTrustAnchors, verifyBundle } from '@rxledger/verifier';",
    );
    const context: Record<string, unknown> = {
      TextEncoder,
      TextDecoder,
      Uint8Array,
      DataView,
      crypto: globalThis.crypto,
    };
    runInNewContext(result.outputFiles[0]!.text, context);
    const portable = context.portable as typeof import('@rxledger/verifier');
    expect(context.Buffer).toBeUndefined();
    for (const c of golden) {
      const report = portable.verifyBundle(c.bundle, portable.readTrustAnchors(c.anchors));
      expect(report.ok, c.name).toBe(c.expect.ok);
      expect(
        report.checks.filter((k) => !k.ok).map((k) => k.what),
        c.name,
      ).toEqual(c.expect.failed);
    }
  });
});
