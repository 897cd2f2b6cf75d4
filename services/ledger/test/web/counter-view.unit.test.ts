// The counter page's words and colours (web/verdict.ts, web/alert-texts.ts), its scan field and its
// verify request, without a browser; test/page-counter.e2e.test.ts drives the page itself in Chromium.
import { describe, expect, it } from 'vitest';
import { ALERT_CODES, type VerifyAnswer } from '../../src/answers/judge-verify.ts';
import { ALERT_TEXTS, alertText } from '../../web/alert-texts.ts';
import { visibleSeparators } from '../../web/scan-field.ts';
import { answerView, expiryText, failureView } from '../../web/verdict.ts';
import { verifyScan } from '../../web/verify-client.ts';

const TODAY = new Date('2026-03-01T00:00:00Z');
const product = { gtin: '00614141123452', serial: 'S1', lot: 'L1', expiry: '281231' };
const answer = (a: Partial<VerifyAnswer>): VerifyAnswer => ({
  verdict: 'VERIFIED',
  dispensable: true,
  status: 'ACTIVE',
  product,
  alerts: [],
  ...a,
});

describe('alert texts', () => {
  it('has words for exactly the ledger ALERT_CODES, each saying what happened and what to do', () => {
    expect(Object.keys(ALERT_TEXTS).sort()).toEqual([...ALERT_CODES].sort());
    for (const code of ALERT_CODES) {
      const t = ALERT_TEXTS[code];
      expect(t.title.length, code).toBeGreaterThan(3);
      expect(t.what, code).toMatch(/\.$/);
      expect(t.todo, code).toMatch(/^Do not dispense/);
      // Plain words: no codes or jargon the pharmacist would have to look up.
      expect(`${t.title} ${t.what} ${t.todo}`, code).not.toMatch(/[A-Z]{2,}_|GTIN|SGTIN|custodian/);
    }
  });

  it('shows a code it does not know yet with the ledger message, never nothing', () => {
    expect(alertText('NEW_CODE', 'something new')).toMatchObject({
      title: 'NEW_CODE',
      what: 'something new',
    });
  });
});

describe('answerView', () => {
  it('green only for VERIFIED and dispensable', () => {
    const v = answerView(answer({}), TODAY);
    expect(v).toMatchObject({ tone: 'ok', headline: 'VERIFIED', alerts: [] });
    expect(v.product).toEqual([
      ['Product (GTIN)', '00614141123452', 'code'],
      ['Serial number', 'S1', 'code'],
      ['Batch (lot)', 'L1', 'code'],
      ['Expiry', '31 Dec 2028 (281231)', 'words'],
      ['Status', 'in stock', 'words'],
    ]);
  });

  it('amber for verified but not dispensable, with each alert in words and the ledger detail', () => {
    const v = answerView(
      answer({
        dispensable: false,
        status: 'RECALLED',
        alerts: [{ code: 'RECALLED', message: "the pack's lot was recalled: dust" }],
      }),
      TODAY,
    );
    expect(v).toMatchObject({ tone: 'warn', headline: 'VERIFIED' });
    expect(v.advice).toMatch(/not dispensable/);
    expect(v.alerts).toEqual([
      { code: 'RECALLED', ...ALERT_TEXTS.RECALLED, detail: "the pack's lot was recalled: dust" },
    ]);
  });

  it('amber for a pack on its way here, telling to book the delivery in', () => {
    const v = answerView(answer({ dispensable: false, status: 'IN_TRANSIT' }), TODAY);
    expect(v).toMatchObject({ tone: 'warn', headline: 'VERIFIED' });
    expect(v.advice).toMatch(/Book the delivery in/);
  });

  it('amber UNKNOWN for an unknown product, red SUSPECT whatever else is true', () => {
    const unknown = { verdict: 'UNKNOWN', dispensable: false, status: 'UNKNOWN' } as const;
    expect(answerView(answer(unknown), TODAY)).toMatchObject({ tone: 'warn', headline: 'UNKNOWN' });
    const suspect = answerView(
      answer({ verdict: 'SUSPECT', dispensable: false, alerts: [{ code: 'LOT_MISMATCH', message: 'm' }] }),
      TODAY,
    );
    expect(suspect).toMatchObject({ tone: 'bad', headline: 'SUSPECT' });
    expect(suspect.advice).toMatch(/^Do not dispense/);
  });

  it('says what the scan did not carry', () => {
    const v = answerView(answer({ product: { gtin: product.gtin, serial: 'S1' } }), TODAY);
    expect(v.product.slice(2, 4)).toEqual([
      ['Batch (lot)', 'not in the scan', 'words'],
      ['Expiry', 'not in the scan', 'words'],
    ]);
  });
});

describe('failureView', () => {
  it("a 400 shows the ledger's field and reason", () => {
    const v = failureView({
      kind: 'http',
      status: 400,
      body: {
        error: { code: 'VALIDATION' },
        errors: [{ field: 'scan', reason: 'AI (01): check digit is 3' }],
      },
    });
    expect(v).toMatchObject({ tone: 'error', headline: 'SCAN NOT READ' });
    expect(v.detail).toBe('The ledger said: scan: AI (01): check digit is 3');
  });

  it('a 401 is "token not accepted"; no token, the network, a timeout, a 503 and a 500 are each said plainly', () => {
    const http = (status: number, body: unknown) => failureView({ kind: 'http', status, body });
    expect(http(401, { error: { message: 'unknown bearer token' } }).headline).toBe('TOKEN NOT ACCEPTED');
    expect(failureView({ kind: 'no-token' }).advice).toMatch(/token first/);
    expect(failureView({ kind: 'network' }).advice).toMatch(/could not be reached/);
    expect(failureView({ kind: 'timeout', seconds: 10 }).advice).toMatch(/within 10 s/);
    expect(http(503, { error: { message: 'catching up' } })).toMatchObject({
      headline: 'NOT CHECKED',
      detail: 'The ledger said: catching up',
    });
    expect(http(502, null)).toMatchObject({ headline: 'NOT CHECKED', detail: 'The ledger said: HTTP 502' });
  });
});

describe('expiryText', () => {
  it('reads YYMMDD as a date, DD 00 as the end of the month, and leaves what it cannot read', () => {
    expect(expiryText('250200', TODAY)).toBe('28 Feb 2025 (250200)');
    expect(expiryText('281231', TODAY)).toBe('31 Dec 2028 (281231)');
    expect(expiryText('281399', TODAY)).toBe('281399');
  });
});

describe('visibleSeparators', () => {
  it('shows each ASCII 29 as <GS> and keeps the caret after what was typed', () => {
    expect(visibleSeparators('01A\u001d21B', 4)).toEqual({ value: '01A<GS>21B', caret: 7 });
    expect(visibleSeparators('\u001d01\u001d', 1)).toEqual({ value: '<GS>01<GS>', caret: 4 });
    expect(visibleSeparators('plain', 2)).toEqual({ value: 'plain', caret: 2 });
  });
});

describe('verifyScan', () => {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetchReturning = (res: () => Response | Promise<Response>) =>
    (async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      return res();
    }) as typeof fetch;

  it('sends the normalised scan in the URL and the token in the header only', async () => {
    calls.length = 0;
    const body = answer({});
    const result = await verifyScan(
      ']d20100614141123452<GS>21S1\r\n',
      'tok-1',
      fetchReturning(() => Response.json(body)),
    );
    expect(result).toEqual({ ok: true, answer: body });
    expect(calls[0]!.url).toBe('/v1/verify?scan=0100614141123452%1D21S1');
    expect(calls[0]!.init!.headers).toMatchObject({ authorization: 'Bearer tok-1' });
    expect(calls[0]!.url).not.toContain('tok-1');
  });

  it('asks nothing without a token, and tells a network failure, a timeout and an error status apart', async () => {
    calls.length = 0;
    expect(
      await verifyScan(
        'x',
        '',
        fetchReturning(() => Response.json({})),
      ),
    ).toEqual({
      ok: false,
      failure: { kind: 'no-token' },
    });
    expect(calls).toEqual([]);
    const failing = (err: Error) => fetchReturning(() => Promise.reject(err));
    expect(await verifyScan('x', 't', failing(new TypeError('fetch failed')))).toMatchObject({
      failure: { kind: 'network' },
    });
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    expect(await verifyScan('x', 't', failing(timeout))).toMatchObject({ failure: { kind: 'timeout' } });
    const refused = { error: { code: 'UNAUTHENTICATED', message: 'unknown bearer token' } };
    expect(
      await verifyScan(
        'x',
        't',
        fetchReturning(() => Response.json(refused, { status: 401 })),
      ),
    ).toEqual({
      ok: false,
      failure: { kind: 'http', status: 401, body: refused },
    });
    expect(
      await verifyScan(
        'x',
        't',
        fetchReturning(() => new Response('<html>proxy error</html>', { status: 502 })),
      ),
    ).toEqual({ ok: false, failure: { kind: 'http', status: 502, body: null } });
  });
});
