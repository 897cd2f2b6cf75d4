// The counter's words for an alert record (web/verdict.ts): the id to quote and where the alert stands.
import { describe, expect, it } from 'vitest';
import type { VerifyAnswer } from '../../src/answers/judge-verify.ts';
import { answerView } from '../../web/verdict.ts';

const TODAY = new Date('2026-03-01T00:00:00Z');
const answer = (a: Partial<VerifyAnswer>): VerifyAnswer => ({
  verdict: 'VERIFIED',
  dispensable: true,
  status: 'ACTIVE',
  product: { gtin: '00614141123452', serial: 'S1', lot: 'L1', expiry: '281231' },
  alerts: [],
  ...a,
});

describe('the counter and alert records', () => {
  it('names the alert this pharmacy raised, to quote, with where it stands in words', () => {
    const view = answerView(
      answer({
        verdict: 'SUSPECT',
        dispensable: false,
        alerts: [{ code: 'LOT_MISMATCH', message: 'the scanned lot X9 is not the lot' }],
        alert: { id: '5009999000003:alert-1', status: 'INFO_REQUESTED', code: 'LOT_MISMATCH' },
      }),
      TODAY,
    );
    expect(view.tone).toBe('bad');
    expect(view.alertRecord).toEqual({
      id: '5009999000003:alert-1',
      status: 'INFO_REQUESTED',
      text: 'Alert 5009999000003:alert-1 (the manufacturer asks you for information). Quote this number when you are asked about this pack.',
    });
  });

  it('says a genuine pack held by an open alert is on hold, not dispensable', () => {
    const view = answerView(answer({ dispensable: false, onHold: 'ALERT_OPEN' }), TODAY);
    expect(view).toMatchObject({ tone: 'warn', headline: 'ON HOLD' });
    expect(view.advice).toMatch(/Do not hand it out/);
    expect(view.alertRecord).toBeUndefined();
  });
});
