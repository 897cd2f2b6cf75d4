// Both pages as assistive technology and small screens meet them, in a real Chromium against a whole
// rxledger: an axe-core scan of each main state (0 serious or critical violations), the regulator view
// driven by keyboard alone, and no horizontal scrolling at 360 px wide or on a desktop.
// axe is injected with page.evaluate (DevTools evaluation, which the pages' CSP does not govern), so the
// pages are scanned under their real CSP: no bypassCSP, no inline script tag.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AxeResults, NodeResult } from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GoldenBundleCase } from './golden/golden-bundles.ts';
import { findChromium } from './support/chromium.ts';
import { openPageSession, type PageSession } from './support/page-session.ts';
import { GLN, GTIN, postAccepted, type TestSystem } from './support/system.ts';

const browserFound = findChromium();
if ('reason' in browserFound) console.warn(`page-a11y.e2e: skipped: ${browserFound.reason}`);

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const sgtin = (serial: string) => `(01)${GTIN}(21)${serial}`;
const golden = JSON.parse(
  await readFile(new URL('./golden/bundles.json', import.meta.url), 'utf8'),
) as GoldenBundleCase[];
const goldenCase = (name: string) => golden.find((c) => c.name === name)!;

/** Controls the regulator view must have, whatever panels it grows; the Tab test takes the page's own. */
const REGULATOR_CONTROLS = [
  '#credentials-file',
  '#checkpoint-key',
  '#authority-key',
  '#origin',
  '#token',
  '#search',
  '#bundle-file',
];

/** How an element is named in the Tab test: by its id, else by the start of its markup. */
const NAME_OF = `(e => e.id ? '#' + e.id : e.outerHTML.slice(0, 60))`;
/** Every control a keyboard user must reach, shown and enabled, in document (reading) order. */
const CONTROLS_IN_ORDER = `[...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
  .filter((e) => !e.disabled && e.tabIndex >= 0 && e.checkVisibility())
  .map(${NAME_OF})`;

describe.skipIf(!browserFound.path)('the pages for every reader, in Chromium', () => {
  let session: PageSession;
  let sys: TestSystem;
  let page: Page;

  beforeAll(async () => {
    session = await openPageSession(inject('kafkaBrokers'), browserFound.path!, {
      viewport: { width: 360, height: 800 },
    });
    ({ sys, page } = session);
    const pack = [sgtin('A11Y1')];
    await postAccepted(sys, GLN.maker, [
      { type: 'COMMISSION', items: pack, lot: 'L1', expiry: '281231' },
      { type: 'SHIP', items: pack, to: GLN.pharmacy1 },
    ]);
    await postAccepted(sys, GLN.pharmacy1, [{ type: 'RECEIVE', items: pack, from: GLN.maker }]);
  });

  afterAll(() => session?.close());

  /**
   * The serious and critical axe findings of the page as it is now, one line each, readable: the
   * violations, and the results axe could not decide ("needs review"), which here were real faults (an
   * aria-labelledby naming a heading a redraw had dropped, a name on a span screen readers ignore).
   */
  async function axeFindings(): Promise<string[]> {
    // Each navigation gives a fresh window: inject axe once per document.
    if ((await page.evaluate('typeof window.axe')) !== 'object') await page.evaluate(AXE_SOURCE);
    const results = (await page.evaluate('window.axe.run(document)')) as AxeResults;
    // The one thing axe can never decide: the contrast of a glyph (✓, ✕), which it declines to measure
    // as "only non-text characters". The marks use --ok and --bad on white, 6.2:1 and 7.1:1.
    const undecidable = (n: NodeResult) => n.any.some((c) => /only non-text characters/.test(c.message));
    const incomplete = results.incomplete
      .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !undecidable(n)) }))
      .filter((v) => v.nodes.length > 0);
    return [...results.violations, ...incomplete]
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  async function expectAccessible(state: string): Promise<void> {
    expect(await axeFindings(), state).toEqual([]);
    // Nothing scrolls sideways: the page is no wider than the window.
    const width = page.viewportSize()!.width;
    const scrollWidth = await page.evaluate<number>('document.scrollingElement.scrollWidth');
    expect(scrollWidth, `${state}: page width`).toBeLessThanOrEqual(width);
  }

  async function scan(typed: string, n: number): Promise<void> {
    await page.fill('#scan', typed);
    await page.press('#scan', 'Enter');
    await page.locator(`#answer[data-scan="${n}"]`).waitFor();
  }

  it('the counter, idle, VERIFIED and SUSPECT, at 360 px and on a desktop', async () => {
    await page.goto(`${sys.ledgerUrl}/`);
    await expectAccessible('counter idle');
    await page.keyboard.type(sys.pharmacistToken[GLN.pharmacy1]!);
    await page.keyboard.press('Enter');
    await scan(sgtin('A11Y1'), 1);
    expect(await page.getAttribute('#answer', 'data-tone')).toBe('ok');
    await expectAccessible('counter VERIFIED');
    await scan(sgtin('NEVER1'), 2);
    expect(await page.textContent('#answer .headline')).toBe('SUSPECT');
    await expectAccessible('counter SUSPECT');
    await page.setViewportSize({ width: 1280, height: 900 });
    await expectAccessible('counter SUSPECT, desktop');
    await page.setViewportSize({ width: 360, height: 800 });
  });

  /** Gives the page a golden bundle as a file and waits for its verdict. */
  async function checkFile(name: string, drawn: number): Promise<string> {
    const c = goldenCase(name);
    await page.fill('#checkpoint-key', c.anchors.checkpointKey);
    await page.fill('#authority-key', c.anchors.authorityKey);
    await page.fill('#origin', c.anchors.origin ?? '');
    await page.press('#origin', 'Enter');
    await page.setInputFiles('#bundle-file', {
      name: `${name}.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(c.bundle)),
    });
    const result = page.locator(`#result[data-drawn="${drawn}"]`);
    await result.waitFor();
    return (await result.getAttribute('data-tone'))!;
  }

  it('the regulator view, idle, a verified bundle and a failed one, at 360 px and on a desktop', async () => {
    await page.goto(`${sys.ledgerUrl}/regulator`);
    await expectAccessible('regulator idle');
    expect(await checkFile('v1-pack-a', 1)).toBe('ok');
    await expectAccessible('regulator verified bundle');
    await session.shot('regulator-verified-360');
    expect(await checkFile('v2-pack-c-altered-leaf', 2)).toBe('bad');
    await expectAccessible('regulator failed bundle');
    await session.shot('regulator-failed-360');
    await page.setViewportSize({ width: 1280, height: 900 });
    await expectAccessible('regulator failed bundle, desktop');
    await page.setViewportSize({ width: 360, height: 800 });
  });

  it("the regulator's panels open with their tables: recall scope, rejections, checkpoint", async () => {
    await page.goto(`${sys.ledgerUrl}/regulator`);
    await page.fill('#token', sys.regulatorToken);
    await page.press('#token', 'Enter');
    const open = async (form: string, out: string, fill: Record<string, string> = {}) => {
      await page.click(`details:has(#${form}) > summary`);
      for (const [id, value] of Object.entries(fill)) await page.fill(`#${id}`, value);
      await page.click(`#${form} button[type="submit"]`);
      await page.locator(`#${out}[data-drawn="1"]`).waitFor();
    };
    await open('recall-form', 'recall-out', { 'recall-gtin': GTIN, 'recall-lot': 'L1' });
    expect(await page.locator('#recall-out table tr').count()).toBeGreaterThan(1);
    await open('rejections-form', 'rejections-out');
    await open('checkpoint-form', 'checkpoint-out');
    await expectAccessible('regulator panels open');
    await page.setViewportSize({ width: 1280, height: 900 });
    await expectAccessible('regulator panels open, desktop');
    await page.setViewportSize({ width: 360, height: 800 });
  });

  it('the regulator view by keyboard alone: Tab reaches every control in order, Enter submits', async () => {
    await page.goto(`${sys.ledgerUrl}/regulator`);
    await page.evaluate('localStorage.clear(); sessionStorage.clear()');
    await page.reload();
    const controls = await page.evaluate<string[]>(CONTROLS_IN_ORDER);
    expect(controls).toEqual(expect.arrayContaining(REGULATOR_CONTROLS));
    const reached: string[] = [];
    for (let i = 0; i < controls.length + 5; i += 1) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate<string | null>(
        `(a => a && a !== document.body ? ${NAME_OF}(a) : null)(document.activeElement)`,
      );
      if (at === null || reached.includes(at)) break;
      reached.push(at);
    }
    expect(reached).toEqual(controls);

    // Enter in a field submits its form: the anchors, then the token, then a search.
    const c = goldenCase('v1-pack-a');
    await page.focus('#checkpoint-key');
    await page.keyboard.type(c.anchors.checkpointKey);
    await page.keyboard.press('Tab');
    await page.keyboard.type(c.anchors.authorityKey);
    await page.keyboard.press('Tab');
    await page.keyboard.type(c.anchors.origin ?? '');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#anchors-state')).toMatch(/^Anchors in use/);
    await page.focus('#token');
    await page.keyboard.type(sys.regulatorToken);
    await page.keyboard.press('Enter');
    expect(await page.locator('#search:focus').count()).toBe(1);
    await page.keyboard.type(sgtin('A11Y1'));
    await page.keyboard.press('Enter');
    await page.locator('#result[data-drawn="1"]').waitFor();
    // The anchors are the golden case's, not this ledger's: the answer arrives and is judged.
    expect(await page.getAttribute('#result', 'data-tone')).toBe('bad');
    // The drawn result's download link is reachable too, after the bundle-file input.
    await page.focus('#bundle-file');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.className')).toBe('download');
  });

  it('raised no script error or CSP violation', () => {
    expect(session.problems).toEqual([]);
  });
});
