import type { CustodyEventOf } from '@rxledger/events';
import { describe, expect, it } from 'vitest';
import { holdsPack } from '../../src/alerts/alert-record.ts';
import { openAlert, takeStep } from '../../src/alerts/alert-rules.ts';
import { isEscalated } from '../../src/alerts/alert-view.ts';
import { falsificationCode } from '../../src/alerts/falsification.ts';
import { dueAfterWorkingDays } from '../../src/alerts/working-days.ts';
import type { EntityState } from '../../src/custody/index.ts';

const PHARMACY = '5009999000003';
const ITEM = 'https://id.gs1.org/01/00614141123452/21/S1';
const leaf = { seq: 10, at: Date.parse('2026-06-05T10:00:00Z') };
const raise: CustodyEventOf<'RAISE_ALERT'> = {
  type: 'RAISE_ALERT',
  eventId: 'r1',
  eventTime: leaf.at,
  eventTimeOffsetMinutes: 0,
  party: PHARMACY,
  site: PHARMACY,
  item: ITEM,
  code: 'UNKNOWN_SERIAL',
  lot: 'L1',
  expiry: '',
};
const { alert } = openAlert(raise, '00614141123452', '0614141000005', leaf);
const update = (party: string, status: string, rootCause: string | null = null) =>
  ({
    ...raise,
    type: 'UPDATE_ALERT',
    eventId: 'u',
    party,
    alert: alert.id,
    status,
    rootCause,
    note: '',
  }) as never;

const signer = {
  maker: { party: '0614141000005', roles: ['MANUFACTURER'] as const, ownsGtin: true },
  otherMaker: { party: '4012345000009', roles: ['MANUFACTURER'] as const, ownsGtin: false },
  pharmacy: { party: PHARMACY, roles: ['PHARMACY'] as const, ownsGtin: false },
  otherPharmacy: { party: '5009999000027', roles: ['PHARMACY'] as const, ownsGtin: false },
  regulator: { party: '9000000000025', roles: ['REGULATOR'] as const, ownsGtin: false },
};

describe('who may take which step of an alert', () => {
  const cases: Array<[keyof typeof signer, string, string | null, boolean]> = [
    ['maker', 'INVESTIGATING', null, true],
    ['maker', 'INFO_REQUESTED', null, true],
    ['maker', 'INFO_PROVIDED', null, false],
    ['maker', 'CLOSED', 'CONFIRMED_FALSIFICATION', true],
    ['otherMaker', 'INVESTIGATING', null, false],
    ['pharmacy', 'INFO_PROVIDED', null, true],
    ['pharmacy', 'INVESTIGATING', null, false],
    ['pharmacy', 'CLOSED', 'PHARMACY_PROCEDURAL_ERROR', true],
    ['pharmacy', 'CLOSED', 'MANUFACTURER_DATA_ERROR', false],
    ['otherPharmacy', 'INFO_PROVIDED', null, false],
    ['regulator', 'INFO_PROVIDED', null, true],
    ['regulator', 'CLOSED', 'SYSTEM_ERROR', true],
  ];
  it.each(cases)('%s sets %s (%s): %s', (who, status, rootCause, allowed) => {
    const decided = takeStep(alert, update(signer[who].party, status, rootCause), signer[who], leaf);
    expect(decided.ok).toBe(allowed);
    if (!decided.ok) expect(decided.code).toBe('ALERT_STEP_NOT_ALLOWED');
  });

  it('stops the escalation clock at the first step of the manufacturer or a regulator only', () => {
    const later = { seq: 11, at: leaf.at + 1000 };
    const byPharmacy = takeStep(alert, update(PHARMACY, 'INFO_PROVIDED'), signer.pharmacy, later);
    expect(byPharmacy.ok && byPharmacy.alert.answeredAt).toBeNull();
    const byMaker = takeStep(alert, update(signer.maker.party, 'INVESTIGATING'), signer.maker, later);
    expect(byMaker.ok && byMaker.alert.answeredAt).toBe(later.at);
  });
});

describe('what holds a pack', () => {
  it('an open alert and a confirmed falsification, not an alert closed as an error', () => {
    expect(holdsPack({ status: 'OPEN', rootCause: null })).toBe(true);
    expect(holdsPack({ status: 'INFO_PROVIDED', rootCause: null })).toBe(true);
    expect(holdsPack({ status: 'CLOSED', rootCause: 'MANUFACTURER_DATA_ERROR' })).toBe(false);
    expect(holdsPack({ status: 'CLOSED', rootCause: null })).toBe(false);
    expect(holdsPack({ status: 'CLOSED', rootCause: 'CONFIRMED_FALSIFICATION' })).toBe(true);
  });
});

describe('potential falsifications', () => {
  const state = (s: Partial<EntityState>) => s as EntityState;
  it('take the first code by priority, a dispense elsewhere and a theft only', () => {
    const codes = (...c: string[]) => c.map((code) => ({ code })) as never;
    expect(falsificationCode(codes('EXPIRED', 'RECALLED'), undefined, PHARMACY)).toBeUndefined();
    expect(falsificationCode(codes('CUSTODY_MISMATCH', 'LOT_MISMATCH'), undefined, PHARMACY)).toBe(
      'LOT_MISMATCH',
    );
    const dispensedHere = state({
      dispensedAt: { seq: 1, party: PHARMACY, site: PHARMACY, eventTime: 0, eventId: 'd-1' },
    });
    expect(falsificationCode(codes('ALREADY_DISPENSED'), dispensedHere, PHARMACY)).toBeUndefined();
    expect(falsificationCode(codes('ALREADY_DISPENSED'), dispensedHere, '5009999000027')).toBe(
      'ALREADY_DISPENSED',
    );
    expect(
      falsificationCode(codes('DECOMMISSIONED'), state({ decommissionReason: 'expired' }), PHARMACY),
    ).toBeUndefined();
    expect(
      falsificationCode(codes('DECOMMISSIONED'), state({ decommissionReason: 'stolen' }), PHARMACY),
    ).toBe('DECOMMISSIONED');
  });
});

describe('escalation after working days', () => {
  it('skips weekends', () => {
    // Friday 10:00 + 2 working days = Tuesday 10:00; Saturday + 1 = Monday.
    expect(new Date(dueAfterWorkingDays(leaf.at, 2)).toISOString()).toBe('2026-06-09T10:00:00.000Z');
    expect(new Date(dueAfterWorkingDays(Date.parse('2026-06-06T08:00:00Z'), 1)).toISOString()).toBe(
      '2026-06-08T08:00:00.000Z',
    );
  });
  it('escalates an alert unanswered past its due time, and one answered late', () => {
    const due = dueAfterWorkingDays(leaf.at, 2);
    const opts = { escalationWorkingDays: 2 };
    expect(isEscalated(alert, { ...opts, now: due })).toBe(false);
    expect(isEscalated(alert, { ...opts, now: due + 1 })).toBe(true);
    expect(isEscalated({ ...alert, answeredAt: due - 1 }, { ...opts, now: due + 10 })).toBe(false);
    expect(isEscalated({ ...alert, answeredAt: due + 1 }, { ...opts, now: due + 10 })).toBe(true);
  });
});
