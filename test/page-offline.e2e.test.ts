// "Works offline once loaded", in a real Chromium against a whole rxledger: the pages' service worker
// keeps both pages and their assets after one load, so with the network cut (and then with the ledger
// itself stopped) a reload still shows the page, and a scan or a search says the ledger cannot be
// reached. Answers are never kept: nothing under /v1/ is ever in the worker's cache.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findChromium } from './support/chromium.ts';
import { openPageSession, type PageSession } from './support/page-session.ts';
import { GLN, GTIN, postAccepted, type TestSystem } from './support/system.ts';

const browserFound = findChromium();
if ('reason' in browserFound) console.warn(`page-offline.e2e: skipped: ${browserFound.reason}`);

const sgtin = (serial: string) => `(01)${GTIN}(21)${serial}`;

/** Every URL the worker's caches hold, as paths. */
const CACHED_PATHS = `(async () => {
  const paths = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const req of await cache.keys()) paths.push(new URL(req.url).pathname);
  }
  return paths.sort();
})()`;

describe.skipIf(!browserFound.path)('the pages offline once loaded, in Chromium', () => {
  let session: PageSession;
  let sys: TestSystem;
  let context: BrowserContext;
  let page: Page;
  let scans = 0;
  let drawn = 0;

  beforeAll(async () => {
    session = await openPageSession(inject('kafkaBrokers'), browserFound.path!, {
      viewport: { width: 360, height: 800 },
    });
    ({ sys, context, page } = session);
    const pack = [sgtin('OFF1')];
    await postAccepted(sys, GLN.maker, [
      { type: 'COMMISSION', items: pack, lot: 'L1', expiry: '281231' },
      { type: 'SHIP', items: pack, to: GLN.pharmacy1 },
    ]);
    await postAccepted(sys, GLN.pharmacy1, [{ type: 'RECEIVE', items: pack, from: GLN.maker }]);
  });

  afterAll(() => session?.close());

  async function scan(typed: string): Promise<{ headline: string; text: string }> {
    await page.fill('#scan', typed);
    await page.press('#scan', 'Enter');
    const answer = page.locator(`#answer[data-scan="${++scans}"]`);
    await answer.waitFor();
    return {
      headline: (await answer.locator('.headline').textContent())!,
      text: (await answer.textContent())!,
    };
  }

  it('online: the first load installs the worker, which keeps both pages and their assets, and no answer', async () => {
    await page.goto(`${sys.ledgerUrl}/`);
    await expect
      .poll(() => page.evaluate('navigator.serviceWorker.controller !== null'), { timeout: 30_000 })
      .toBe(true);
    await page.fill('#token', sys.pharmacistToken[GLN.pharmacy1]!);
    await page.press('#token', 'Enter');
    expect(await scan(sgtin('OFF1'))).toMatchObject({ headline: 'VERIFIED' });
    const cached = (await page.evaluate(CACHED_PATHS)) as string[];
    expect(cached.filter((p) => !p.startsWith('/assets/'))).toEqual(['/', '/regulator']);
    expect(cached.filter((p) => p.endsWith('.js')).length).toBe(2);
    expect(cached.filter((p) => p.endsWith('.css')).length).toBe(1);
  });

  it('offline: a reload still shows the counter, and a scan says the ledger could not be reached', async () => {
    await context.setOffline(true);
    const res = await page.reload();
    expect(res!.fromServiceWorker()).toBe(true);
    scans = 0;
    await page.locator('#scan').waitFor();
    // The page's script ran from the kept asset: the token is back from the tab's session.
    expect(await page.textContent('#token-state')).toBe('Token in use for this tab.');
    const answer = await scan(sgtin('OFF1'));
    expect(answer.headline).toBe('NOT CHECKED');
    expect(answer.text).toContain('could not be reached');
    await session.shot('counter-offline');
    // The answer to the scan was never kept: the worker holds the pages and their assets only.
    expect(((await page.evaluate(CACHED_PATHS)) as string[]).filter((p) => p.startsWith('/v1/'))).toEqual([]);
  });

  it('offline: the regulator page, never opened before, opens and says the ledger cannot be reached', async () => {
    const res = await page.goto(`${sys.ledgerUrl}/regulator`);
    expect(res!.fromServiceWorker()).toBe(true);
    await page.fill('#token', sys.regulatorToken);
    await page.press('#token', 'Enter');
    await page.fill('#search', sgtin('OFF1'));
    await page.press('#search', 'Enter');
    const result = page.locator(`#result[data-drawn="${++drawn}"]`);
    await result.waitFor();
    expect(await result.getAttribute('data-tone')).toBe('error');
    expect(await result.textContent()).toContain('The ledger cannot be reached.');
  });

  it('with the network back but the ledger stopped: the page is still shown, from what the worker kept', async () => {
    await context.setOffline(false);
    await session.stopSystem();
    const res = await page.goto(`${sys.ledgerUrl}/`);
    expect(res!.fromServiceWorker()).toBe(true);
    expect(res!.status()).toBe(200);
    scans = 0;
    expect(await scan(sgtin('OFF1'))).toMatchObject({ headline: 'NOT CHECKED' });
  });
});
