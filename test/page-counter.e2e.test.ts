// The counter page in a real Chromium (Debian's chromium, driven by playwright-core) against a whole
// rxledger: packs made genuine, unknown, dispensed, recalled and in transit through the partner
// services, then scanned at the page as a wedge scanner types them. Screenshots of every state go to
// test/artifacts/page/.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGE_CSP } from '../services/ledger/src/routes/page-routes.ts';
import { findChromium } from './support/chromium.ts';
import { openPageSession, PAGE_ARTIFACTS, type PageSession } from './support/page-session.ts';
import { GLN, GTIN, postAccepted, type TestSystem } from './support/system.ts';

const browserFound = findChromium();
if ('reason' in browserFound) console.warn(`page-counter.e2e: skipped: ${browserFound.reason}`);

const GS = '\u001d';
const sgtin = (serial: string) => `(01)${GTIN}(21)${serial}`;

describe.skipIf(!browserFound.path)('the counter page in Chromium', () => {
  let session: PageSession;
  let sys: TestSystem;
  let page: Page;
  let shot: PageSession['shot'];
  let token: string;
  const requested: string[] = [];
  let scans = 0;

  /** Posts events as the scanner of `gln` and waits until the ledger has accepted every one. */
  const post = async (gln: string, events: object[]) => {
    await postAccepted(sys, gln, events);
  };

  beforeAll(async () => {
    // A phone-sized screen: the page must work at 360 px wide.
    session = await openPageSession(inject('kafkaBrokers'), browserFound.path!, {
      viewport: { width: 360, height: 800 },
    });
    ({ sys, page, shot } = session);
    page.on('request', (r) => requested.push(r.url()));
    token = sys.pharmacistToken[GLN.pharmacy1]!;

    const delivered = ['GEN1', 'DISP1', 'REC1', 'GEN2'].map(sgtin);
    const all = [...delivered, sgtin('TRANSIT1')];
    await post(GLN.maker, [
      {
        type: 'COMMISSION',
        items: ['GEN1', 'DISP1', 'TRANSIT1', 'GEN2'].map(sgtin),
        lot: 'L1',
        expiry: '281231',
      },
      { type: 'COMMISSION', items: [sgtin('REC1')], lot: 'R9', expiry: '281231' },
      { type: 'SHIP', items: all, to: GLN.distributor },
    ]);
    await post(GLN.distributor, [
      { type: 'RECEIVE', items: all, from: GLN.maker },
      { type: 'SHIP', items: all, to: GLN.pharmacy1 },
    ]);
    await post(GLN.pharmacy1, [
      { type: 'RECEIVE', items: delivered, from: GLN.distributor },
      { type: 'DISPENSE', items: [sgtin('DISP1')] },
    ]);
    await post(GLN.maker, [
      { type: 'RECALL', gtin: GTIN, lot: 'R9', reason: 'particles found in the batch' },
    ]);
  });

  afterAll(() => session?.close());

  /** Types what the scanner sends, then Enter, by keyboard only; waits until its answer is drawn. */
  async function scan(typed: string): Promise<{ tone: string; headline: string; text: string }> {
    await page.keyboard.type(typed);
    await page.keyboard.press('Enter');
    scans += 1;
    const answer = page.locator(`#answer[data-scan="${scans}"]`);
    await answer.waitFor();
    return {
      tone: (await answer.getAttribute('data-tone'))!,
      headline: (await answer.locator('.headline').textContent())!,
      text: (await answer.textContent())!,
    };
  }

  const alertCodes = () =>
    page.locator('#answer .alert').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
  const background = () =>
    page.locator('#answer').evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).backgroundColor);
  const readyForNextScan = async () => {
    expect(await page.locator('#scan:focus').count()).toBe(1);
    expect(await page.inputValue('#scan')).toBe('');
  };

  it('is served with a strict CSP and no inline script or style, and takes the token by keyboard', async () => {
    const res = await page.goto(`${sys.ledgerUrl}/`);
    expect(res!.status()).toBe(200);
    expect(res!.headers()['content-security-policy']).toBe(PAGE_CSP);
    expect(res!.headers()['x-content-type-options']).toBe('nosniff');
    const html = await res!.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=/i);
    await shot('counter-start');

    // The token field has the focus on a first visit: paste, Enter, and the scan field is next.
    expect(await page.locator('#token:focus').count()).toBe(1);
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    expect(await page.locator('#scan:focus').count()).toBe(1);
    expect(await page.evaluate('[sessionStorage.length, localStorage.length]')).toEqual([1, 0]);
  });

  it('a genuine pack received by this pharmacy, scanned with ASCII 29 and ]d2: green VERIFIED', async () => {
    const answer = await scan(`]d201${GTIN}21GEN1${GS}10L1${GS}17281231`);
    expect(answer).toMatchObject({ tone: 'ok', headline: 'VERIFIED' });
    expect(answer.text).toContain('Genuine and dispensable');
    expect(answer.text).toContain(GTIN);
    expect(answer.text).toContain('GEN1');
    expect(answer.text).toContain('31 Dec 2028 (281231)');
    expect(await alertCodes()).toEqual([]);
    expect(await background()).toBe('rgb(0, 112, 60)');
    // The ledger's counter only verifies: dispensing is the pharmacy service's (the test below).
    expect(await page.locator('#answer button.dispense').count()).toBe(0);
    await readyForNextScan();
    await shot('counter-verified');
  });

  it('a serial never commissioned, bracketed: red SUSPECT, serial never issued', async () => {
    const answer = await scan(sgtin('NEVER1'));
    expect(answer).toMatchObject({ tone: 'bad', headline: 'SUSPECT' });
    expect(await alertCodes()).toEqual(['UNKNOWN_SERIAL']);
    expect(answer.text).toContain('Serial number never issued');
    expect(answer.text).toContain('suspected falsification');
    expect(await background()).toBe('rgb(177, 14, 30)');
    await readyForNextScan();
    await shot('counter-unknown-serial');
  });

  it('a dispensed pack, scanned with <GS>: red SUSPECT, already dispensed', async () => {
    const answer = await scan(`01${GTIN}21DISP1<GS>10L1`);
    expect(answer).toMatchObject({ tone: 'bad', headline: 'SUSPECT' });
    expect(await alertCodes()).toEqual(['ALREADY_DISPENSED']);
    expect(answer.text).toContain('Already dispensed');
    expect(answer.text).toContain('dispensed to a patient');
    await readyForNextScan();
    await shot('counter-dispensed');
  });

  it('a pack of a recalled lot, as a Digital Link URI: amber, batch recalled', async () => {
    const answer = await scan(`https://id.gs1.org/01/${GTIN}/21/REC1`);
    expect(answer).toMatchObject({ tone: 'warn', headline: 'VERIFIED' });
    expect(await alertCodes()).toEqual(['RECALLED']);
    expect(answer.text).toContain('Batch recalled');
    expect(answer.text).toContain('Set the pack aside for return');
    expect(answer.text).toContain('particles found in the batch');
    expect(await background()).toBe('rgb(255, 191, 71)');
    await readyForNextScan();
    await shot('counter-recalled');
  });

  it('a pack shipped here but not booked in, as an EPC URN: amber, book the delivery in', async () => {
    const answer = await scan('urn:epc:id:sgtin:0614141.012345.TRANSIT1');
    expect(answer).toMatchObject({ tone: 'warn', headline: 'VERIFIED' });
    expect(await alertCodes()).toEqual([]);
    expect(answer.text).toContain('Book the delivery in as received');
    await readyForNextScan();
    await shot('counter-in-transit');
  });

  it('a scan with a wrong check digit: the 400 field and reason, plainly', async () => {
    const answer = await scan(`(01)${GTIN.slice(0, 13)}3(21)X1`);
    expect(answer).toMatchObject({ tone: 'error', headline: 'SCAN NOT READ' });
    expect(answer.text).toMatch(/The ledger said: scan: .*check digit/);
    // The field is emptied for the next scan, so the answer shows what was scanned.
    expect(answer.text).toContain(`Scanned: (01)${GTIN.slice(0, 13)}3(21)X1`);
    await readyForNextScan();
    await shot('counter-bad-scan');
  });

  it('the network down: said plainly, the field ready for the next scan', async () => {
    await page.route('**/v1/verify?**', (route) => route.abort('internetdisconnected'));
    const answer = await scan(sgtin('GEN1'));
    await page.unroute('**/v1/verify?**');
    expect(answer).toMatchObject({ tone: 'error', headline: 'NOT CHECKED' });
    expect(answer.text).toContain('could not be reached');
    await readyForNextScan();
    await shot('counter-network-down');
  });

  it('a token the ledger does not accept: said, and the token field focused', async () => {
    await page.fill('#token', 'not-a-token');
    await page.press('#token', 'Enter');
    const answer = await scan(sgtin('GEN1'));
    expect(answer).toMatchObject({ tone: 'error', headline: 'TOKEN NOT ACCEPTED' });
    expect(await page.locator('#token:focus').count()).toBe(1);
    expect(await page.textContent('#token-state')).toBe('The ledger did not accept this token.');
    await shot('counter-token-refused');
  });

  it('on a desktop, the genuine pack again, its separator sent as Ctrl+]; no token in any URL, no CSP or script error', async () => {
    await page.fill('#token', token);
    await page.press('#token', 'Enter');
    // The refused scan was kept in the field: with the token fixed, Enter asks again.
    expect(await page.locator('#scan:focus').count()).toBe(1);
    expect(await page.inputValue('#scan')).toBe(sgtin('GEN1'));
    expect(await scan('')).toMatchObject({ tone: 'ok', headline: 'VERIFIED' });
    await page.setViewportSize({ width: 1280, height: 900 });
    // A wedge scanner types ASCII 29 as the chord Ctrl+]: the field shows it as <GS>.
    await page.keyboard.type(`01${GTIN}21GEN1`);
    await page.keyboard.press('Control+BracketRight');
    await page.keyboard.type('10L1');
    expect(await page.inputValue('#scan')).toBe(`01${GTIN}21GEN1<GS>10L1`);
    const answer = await scan('');
    expect(answer).toMatchObject({ tone: 'ok', headline: 'VERIFIED' });
    await shot('counter-verified-desktop');
    expect(requested.filter((u) => u.includes(token) || u.includes('not-a-token'))).toEqual([]);
    expect(requested.filter((u) => u.includes('/v1/verify')).length).toBe(scans);
    expect(session.problems).toEqual([]);
  });

  it("at the pharmacy service's own counter: verified, dispensed with the scanner's key, no longer dispensable, then undone and dispensable again", async () => {
    const counter = await session.context.newPage();
    await counter.goto(`${sys.urls.pharmacy}/`);
    await expect.poll(() => counter.textContent('#token-label')).toBe('Counter scanner key');
    expect(await counter.locator('a[href="/regulator"]').count()).toBe(0);
    await counter.fill('#token', sys.scanner[GLN.pharmacy1]!);
    await counter.press('#token', 'Enter');
    await counter.fill('#scan', sgtin('GEN2'));
    await counter.press('#scan', 'Enter');
    await counter.locator('#answer[data-scan="1"]').waitFor();
    expect(await counter.getAttribute('#answer', 'data-tone')).toBe('ok');
    await counter.click('#answer button.dispense');
    await counter.locator('#answer[data-dispensed="yes"]').waitFor();
    expect(await counter.textContent('#answer .dispense-status')).toMatch(
      /^Dispensed: the ledger has recorded it/,
    );
    await counter.screenshot({ path: join(PAGE_ARTIFACTS, 'counter-dispensed-here.png'), fullPage: true });
    await counter.fill('#scan', sgtin('GEN2'));
    await counter.press('#scan', 'Enter');
    await counter.locator('#answer[data-scan="2"]').waitFor();
    expect(await counter.getAttribute('#answer', 'data-tone')).not.toBe('ok');
    expect(await counter.locator('#answer button.dispense').count()).toBe(0);
    const codes = await counter
      .locator('#answer li.alert')
      .evaluateAll((li) => li.map((l) => l.dataset.code));
    expect(codes).toContain('ALREADY_DISPENSED');

    // Dispensed here, minutes ago: the counter may undo it (EU 2016/161 Art. 13) until its deadline.
    expect(await counter.textContent('#answer .undo-until')).toMatch(/may undo that until /);
    await counter.click('#answer button.undo');
    await counter.locator('#answer[data-undone="yes"]').waitFor();
    expect(await counter.textContent('#answer .undo-status')).toMatch(
      /^Returned to stock: the ledger has recorded/,
    );
    await counter.screenshot({ path: join(PAGE_ARTIFACTS, 'counter-undone-here.png'), fullPage: true });
    await counter.fill('#scan', sgtin('GEN2'));
    await counter.press('#scan', 'Enter');
    await counter.locator('#answer[data-scan="3"]').waitFor();
    expect(await counter.getAttribute('#answer', 'data-tone')).toBe('ok');
    expect(await counter.locator('#answer button.dispense').count()).toBe(1);
    expect(await counter.locator('#answer button.undo').count()).toBe(0);
    await counter.close();
  });

  it("at the pharmacy service's counter, a serial never commissioned raises an alert: its id to quote and its status, the same on a rescan", async () => {
    const counter = await session.context.newPage();
    await counter.goto(`${sys.urls.pharmacy}/`);
    await counter.fill('#token', sys.scanner[GLN.pharmacy1]!);
    await counter.press('#token', 'Enter');
    const scanAndRecord = async (n: number) => {
      await counter.fill('#scan', sgtin('NEVER7'));
      await counter.press('#scan', 'Enter');
      await counter.locator(`#answer[data-scan="${n}"]`).waitFor();
      const record = counter.locator('#answer .alert-record');
      return {
        tone: await counter.getAttribute('#answer', 'data-tone'),
        id: await record.getAttribute('data-alert-id'),
        status: await record.getAttribute('data-alert-status'),
        text: await record.textContent(),
      };
    };
    const first = await scanAndRecord(1);
    expect(first).toMatchObject({ tone: 'bad', status: 'OPEN' });
    expect(first.id).toMatch(new RegExp(`^${GLN.pharmacy1}:`));
    expect(first.text).toContain(`Alert ${first.id} (open, waiting for the manufacturer)`);
    await counter.screenshot({ path: join(PAGE_ARTIFACTS, 'counter-alert-raised.png'), fullPage: true });
    // A rescan joins the open alert: the pharmacist quotes one number.
    expect((await scanAndRecord(2)).id).toBe(first.id);
    await counter.close();
  });
});
