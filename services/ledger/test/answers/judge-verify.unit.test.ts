import { describe, expect, it } from 'vitest';
import { judgeVerify } from '../../src/answers/judge-verify.ts';

const GTIN = '04012345123456';
const ctx = { today: '2026-01-15', role: 'pharmacist' as const };

describe('judgeVerify: packs the ledger never saw', () => {
  it('a serial its manufacturer never commissioned, of a known product, is SUSPECT with UNKNOWN_SERIAL', () => {
    expect(judgeVerify({ gtin: GTIN, serial: 'FAKE1' }, undefined, { ...ctx, productKnown: true })).toEqual({
      verdict: 'SUSPECT',
      dispensable: false,
      status: 'UNKNOWN',
      product: { gtin: GTIN, serial: 'FAKE1' },
      alerts: [{ code: 'UNKNOWN_SERIAL', message: `serial FAKE1 of GTIN ${GTIN} was never commissioned` }],
    });
  });

  it('a product nobody ever commissioned stays UNKNOWN with UNKNOWN_PRODUCT', () => {
    const answer = judgeVerify({ gtin: GTIN, serial: 'S1' }, undefined, { ...ctx, productKnown: false });
    expect(answer).toMatchObject({ verdict: 'UNKNOWN', dispensable: false, status: 'UNKNOWN' });
    expect(answer.alerts.map((a) => a.code)).toEqual(['UNKNOWN_PRODUCT']);
  });
});
