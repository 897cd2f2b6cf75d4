// The regulator's provenance check in a real Chromium (Debian's chromium, driven by playwright-core)
// against a whole rxledger: a pack's history fetched, verified in the browser by the same verifier as
// `rxledger verify-bundle`, and downloaded; and the golden bundles of test/golden/bundles.json given to
// the page as files, each giving the verdict frozen for it. Screenshots go to test/artifacts/page/.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SigningKey } from '@rxledger/events';
import { cosignatureSigner, generateNoteKey } from '@rxledger/tlog';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_CSP } from '../services/ledger/src/routes/page-routes.ts';
import { verifyBundleCommand } from '../services/ledger/src/cli/verify-bundle-command.ts';
import { type BundleReport, readTrustAnchors, verifyBundleText } from '../shared/verifier/src/index.ts';
import type { GoldenBundleCase } from './golden/golden-bundles.ts';
import { findChromium } from './support/chromium.ts';
import { openPageSession, type PageSession } from './support/page-session.ts';
import { GLN, GTIN, postAccepted, type TestSystem } from './support/system.ts';

const browserFound = findChromium();
if ('reason' in browserFound) console.warn(`page-regulator.e2e: skipped: ${browserFound.reason}`);

const sgtin = (serial: string) => `(01)${GTIN}(21)${serial}`;
const golden = JSON.parse(
  await readFile(new URL('./golden/bundles.json', import.meta.url), 'utf8'),
) as GoldenBundleCase[];

describe.skipIf(!browserFound.path)('the regulator page in Chromium', () => {
  let session: PageSession;
  let sys: TestSystem;
  let page: Page;
  let shot: PageSession['shot'];
  let drawn = 0;

  beforeAll(async () => {
    session = await openPageSession(inject('kafkaBrokers'), browserFound.path!, {
      viewport: { width: 1000, height: 900 },
      acceptDownloads: true,
    });
    ({ sys, page, shot } = session);
    const pack = [sgtin('PROV1')];
    await postAccepted(sys, GLN.maker, [
      { type: 'COMMISSION', items: pack, lot: 'L1', expiry: '281231' },
      { type: 'SHIP', items: pack, to: GLN.distributor },
      { type: 'COMMISSION', items: ['R2C', 'R2B', 'R2A'].map(sgtin), lot: 'R2', expiry: '281231' },
      { type: 'RECALL', gtin: GTIN, lot: 'R2', reason: 'label misprint' },
    ]);
    await postAccepted(sys, GLN.distributor, [
      { type: 'RECEIVE', items: pack, from: GLN.maker },
      { type: 'SHIP', items: pack, to: GLN.pharmacy1 },
    ]);
    await postAccepted(sys, GLN.pharmacy1, [
      { type: 'RECEIVE', items: pack, from: GLN.distributor },
      { type: 'DISPENSE', items: pack },
    ]);
  });

  afterAll(() => session?.close());

  /** Runs `act`, then waits for the result it draws; the result's tone, headline and failed checks. */
  async function resultOf(act: () => Promise<void>) {
    await act();
    drawn += 1;
    const result = page.locator(`#result[data-drawn="${drawn}"]`);
    await result.waitFor();
    return {
      tone: (await result.getAttribute('data-tone'))!,
      text: (await result.textContent())!,
      failed: await result.locator('tr.check--bad').evaluateAll((rows) => rows.map((r) => r.dataset.check)),
      entries: await result.locator('li.entry').evaluateAll((rows) => rows.map((r) => r.className)),
    };
  }

  async function setAnchors(anchors: {
    checkpointKey: string;
    authorityKey: string;
    origin?: string;
    witnessKeys?: string[];
  }) {
    await page.fill('#checkpoint-key', anchors.checkpointKey);
    await page.fill('#authority-key', anchors.authorityKey);
    await page.fill('#origin', anchors.origin ?? '');
    await page.fill('#witness-keys', (anchors.witnessKeys ?? []).join('\n'));
    await page.fill('#witness-quorum', '');
    await page.click('#anchors-form button[type="submit"]');
    await expect.poll(() => page.textContent('#anchors-state')).toMatch(/^Anchors in use/);
  }

  const search = (typed: string) => async () => {
    await page.fill('#search', typed);
    await page.press('#search', 'Enter');
  };

  it('is served with a strict CSP, and verifies nothing before it has trust anchors', async () => {
    const res = await page.goto(`${sys.ledgerUrl}/regulator`);
    expect(res!.status()).toBe(200);
    expect(res!.headers()['content-security-policy']).toBe(PAGE_CSP);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    await page.fill('#token', sys.regulatorToken);
    await page.click('#token-form button[type="submit"]');
    const r = await resultOf(search(sgtin('PROV1')));
    expect(r.tone).toBe('error');
    expect(r.text).toContain('Set the trust anchors first');
  });

  it('takes its anchors and token from a credentials file as npm start writes it', async () => {
    const credentials = {
      ledger: {
        regulatorToken: sys.regulatorToken,
        checkpointKey: sys.checkpointKey,
        checkpointOrigin: 'system.test/custody',
        authorityPublicKey: sys.authorityKey.verifyingKey.toBase64(),
      },
    };
    await page.setInputFiles('#credentials-file', {
      name: 'credentials.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(credentials)),
    });
    await expect
      .poll(() => page.textContent('#anchors-state'))
      .toBe('Anchors in use for the log system.test/custody.');
    expect(await page.inputValue('#token')).toBe(sys.regulatorToken);
    const r = await resultOf(search(sgtin('PROV1')));
    expect(r.tone, r.text).toBe('ok');
  });

  it("verifies a pack's history in the browser against the anchors, entry by entry", async () => {
    await setAnchors({
      checkpointKey: sys.checkpointKey,
      authorityKey: sys.authorityKey.verifyingKey.toBase64(),
    });
    const r = await resultOf(search(sgtin('PROV1')));
    expect(r.tone, r.text).toBe('ok');
    expect(r.failed).toEqual([]);
    expect(r.entries).toHaveLength(6);
    expect(r.entries.every((c) => c.includes('entry--ok'))).toBe(true);
    expect(r.text).toContain('COMMISSION');
    expect(r.text).toContain('DISPENSE');
    await shot('regulator-verified');
  });

  it('downloads the bundle exactly as checked, and it verifies offline in Node too', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#result a.download')]);
    const text = await readFile((await download.path())!, 'utf8');
    const trust = readTrustAnchors({
      checkpointKey: sys.checkpointKey,
      authorityKey: sys.authorityKey.verifyingKey.toBase64(),
    });
    const report = verifyBundleText(text, trust);
    expect(report.ok).toBe(true);
    expect(report.timeline).toHaveLength(6);
    expect(download.suggestedFilename()).toMatch(/^provenance-.*PROV1\.json$/);
  });

  it('a bundle with one byte of one leaf flipped on the way: the page names the failed check, and so does the CLI', async () => {
    // The ledger's real answer, one bit of the last byte of its second entry's leaf flipped.
    let tampered = '';
    let flipped = -1;
    await page.route('**/v1/provenance?**', async (route) => {
      const res = await route.fetch();
      const bundle = JSON.parse(await res.text()) as { entries: Array<{ index: number; leaf: string }> };
      const entry = bundle.entries[1]!;
      const leaf = Buffer.from(entry.leaf, 'base64');
      leaf[leaf.length - 1]! ^= 0x01;
      entry.leaf = leaf.toString('base64');
      flipped = entry.index;
      tampered = JSON.stringify(bundle);
      await route.fulfill({ response: res, body: tampered });
    });
    const r = await resultOf(search(sgtin('PROV1')));
    await page.unroute('**/v1/provenance?**');
    expect(r.tone).toBe('bad');
    // The flipped leaf no longer hashes to the leaf the checkpoint's tree holds.
    expect(r.failed).toContain('entry inclusion');
    const row = page.locator('#result tr[data-check="entry inclusion"]');
    expect(await row.textContent()).toContain(`leaf ${flipped}`);
    await shot('regulator-tampered-in-transit');

    // `rxledger verify-bundle`, in process, given the same bytes and the same anchors.
    const out: string[] = [];
    const status = await verifyBundleCommand(
      [
        '-',
        '--checkpoint-key',
        sys.checkpointKey,
        '--authority-key',
        sys.authorityKey.verifyingKey.toBase64(),
        '--json',
      ],
      (line) => out.push(line),
      (line) => out.push(line),
      () => Promise.resolve(tampered),
    );
    expect(status).toBe(1);
    const report = JSON.parse(out.join('\n')) as BundleReport;
    const cliFailed = new Set(report.checks.filter((c) => !c.ok).map((c) => c.what));
    expect(cliFailed).toContain('entry inclusion');
    expect([...cliFailed].sort()).toEqual([...new Set(r.failed)].sort());
  });

  it("fails the ledger's own answer under an authority key the ledger does not hold", async () => {
    await setAnchors({
      checkpointKey: sys.checkpointKey,
      authorityKey: SigningKey.generate().verifyingKey.toBase64(),
    });
    const r = await resultOf(search(sgtin('PROV1')));
    expect(r.tone).toBe('bad');
    expect(r.failed).toContain('registry signature');
    await shot('regulator-wrong-anchor');
  });

  it('applies a witness policy: a checkpoint no required witness cosigned does not verify', async () => {
    const witness = cosignatureSigner('witness.test/w1', randomBytes(32)).vkey;
    await setAnchors({
      checkpointKey: sys.checkpointKey,
      authorityKey: sys.authorityKey.verifyingKey.toBase64(),
      witnessKeys: [witness],
    });
    expect(await page.textContent('#anchors-state')).toContain('with 1 of 1 witnesses required');
    const r = await resultOf(search(sgtin('PROV1')));
    expect(r.tone).toBe('bad');
    expect(r.failed).toEqual(['witness cosignatures']);
  });

  it('shows the custody picture: each holder in turn, with what happened there', async () => {
    await setAnchors({
      checkpointKey: sys.checkpointKey,
      authorityKey: sys.authorityKey.verifyingKey.toBase64(),
    });
    await resultOf(search(sgtin('PROV1')));
    const stations = await page
      .locator('.custody-picture > li')
      .evaluateAll((li) => li.map((l) => l.querySelector('.station-party')!.textContent));
    expect(stations).toHaveLength(3);
    expect(stations.map((s) => s!.replace(/.*\((\d{13})\)$/, '$1'))).toEqual([
      GLN.maker,
      GLN.distributor,
      GLN.pharmacy1,
    ]);
  });

  /** Opens the panel holding `form`, submits it, and waits until its output `out` is drawn anew. */
  async function panel(form: string, out: string, fill: Record<string, string> = {}) {
    const summary = page.locator(`details:has(#${form}) > summary`);
    if ((await page.locator(`details:has(#${form})`).getAttribute('open')) === null) await summary.click();
    for (const [id, value] of Object.entries(fill)) await page.fill(`#${id}`, value);
    const before = Number((await page.locator(`#${out}`).getAttribute('data-drawn')) ?? 0);
    await page.click(`#${form} button[type="submit"]`);
    await page.locator(`#${out}[data-drawn="${before + 1}"]`).waitFor();
    return page.locator(`#${out}`);
  }

  it("lists a recalled lot's packs and downloads them as CSV", async () => {
    const out = await panel('recall-form', 'recall-out', { 'recall-gtin': GTIN, 'recall-lot': 'R2' });
    expect(await out.textContent()).toContain('Recalled');
    expect(await out.textContent()).toContain('label misprint');
    const rows = await out.locator('table tr').count();
    expect(rows).toBe(4);
    const [download] = await Promise.all([page.waitForEvent('download'), out.locator('a.download').click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toBe(`recall-scope-${GTIN}-R2.csv`);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('"Pack","Status","Held by","At site","In container","In transit to","Anomalies"');
    expect(lines).toHaveLength(4);
    expect(lines.every((l, i) => i === 0 || l.includes('"RECALLED"'))).toBe(true);
    await shot('regulator-recall-scope');
  });

  it('shows the rejection list and checks the current checkpoint against the anchors', async () => {
    const rejections = await panel('rejections-form', 'rejections-out');
    expect(await rejections.textContent()).toMatch(/\d+ rejections in all|No rejected record matches/);
    const checkpoint = await panel('checkpoint-form', 'checkpoint-out');
    expect(await checkpoint.getAttribute('data-tone')).toBe('ok');
    expect(await checkpoint.textContent()).toContain('Signature verified: system.test/custody');
    const stranger = generateNoteKey('system.test/custody').verifierKey;
    await setAnchors({ checkpointKey: stranger, authorityKey: sys.authorityKey.verifyingKey.toBase64() });
    const refused = await panel('checkpoint-form', 'checkpoint-out');
    expect(await refused.getAttribute('data-tone')).toBe('bad');
    expect(await refused.textContent()).toMatch(/^✕ Not verified: /);
  });

  it.each(golden.map((c) => [c.name, c] as const))(
    'golden bundle %s: the browser gives the frozen verdict',
    async (name, c) => {
      await setAnchors(c.anchors);
      const r = await resultOf(() =>
        page.setInputFiles('#bundle-file', {
          name: `${name}.json`,
          mimeType: 'application/json',
          buffer: Buffer.from(JSON.stringify(c.bundle)),
        }),
      );
      expect(r.tone).toBe(c.expect.ok ? 'ok' : 'bad');
      expect([...r.failed].sort()).toEqual([...new Set(c.expect.failed)].sort());
      if (name === 'v2-pack-c-altered-leaf') await shot('regulator-altered-leaf');
    },
  );

  it('raised no script error or CSP violation', () => {
    expect(session.problems).toEqual([]);
  });
});
