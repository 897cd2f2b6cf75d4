import { describe, expect, it } from 'vitest';
import { BatchRejectedError } from '../src/batch-rejected-error.ts';
import { type BatchContext, MAX_BATCH_EVENTS, prepareBatch } from '../src/prepare-batch.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
let ids = 0;
const ctx: BatchContext = {
  service: 'manufacturer',
  party: '4012345000009',
  site: '4012345000016',
  now: NOW,
  acceptTypes: ['COMMISSION', 'AGGREGATE', 'DISAGGREGATE', 'SHIP', 'DECOMMISSION', 'RECALL'],
  newEventId: () => `minted-${++ids}`,
};
const GTIN = '04012345123456';
const commission = (serial: string, extra: Record<string, unknown> = {}) => ({
  type: 'COMMISSION',
  items: [`(01)${GTIN}(21)${serial}`],
  lot: 'L1',
  expiry: '271231',
  ...extra,
});

async function rejection(body: unknown, context = ctx): Promise<BatchRejectedError> {
  try {
    await prepareBatch(body, context);
  } catch (err) {
    if (err instanceof BatchRejectedError) return err;
    throw err;
  }
  throw new Error('expected the batch to be refused');
}

describe('prepareBatch', () => {
  it('refuses at the door what the ledger would refuse for its time: before 2000, older than the lateness window', async () => {
    const at = (iso: string) => ({ events: [commission('T1', { eventTime: iso })] });
    for (const [time, reason] of [
      ['1999-12-31T23:59:59Z', /before 2000-01-01/],
      ['0001-01-01T00:00:00Z', /before 2000-01-01/],
      [new Date(NOW - 7 * 86_400_000 - 1_000).toISOString(), /more than 7 days before/],
    ] as const) {
      const err = await rejection(at(time));
      expect(err.status).toBe(400);
      expect(err.issues).toEqual([{ index: 0, field: 'eventTime', reason: expect.stringMatching(reason) }]);
    }
    expect(await prepareBatch(at(new Date(NOW - 6 * 86_400_000).toISOString()), ctx)).toHaveLength(1);
  });

  it('normalizes every event and fills eventId, eventTime, party and site', async () => {
    const [a, b] = await prepareBatch(
      { events: [commission('A1'), commission('A2', { eventId: 'mine-1', site: '4012345000009' })] },
      { ...ctx, sites: [ctx.site, '4012345000009'] }, // a scanner whose entry lists a second site
    );
    expect(a!.event).toMatchObject({
      type: 'COMMISSION',
      eventTime: NOW,
      party: ctx.party,
      site: ctx.site,
      items: [`https://id.gs1.org/01/${GTIN}/21/A1`],
    });
    expect(a!.event.eventId).toMatch(/^minted-/);
    expect(b!.event.eventId).toBe('mine-1');
    expect(b!.event.site).toBe('4012345000009');
  });

  it.each([
    [null, '(body)', /JSON object/],
    [[], '(body)', /JSON object/],
    [{}, 'events', /required/],
    [{ events: {} }, 'events', /array/],
    [{ events: [] }, 'events', /at least one/],
    [{ events: [commission('A')], extra: 1 }, 'extra', /not a field/],
  ])('refuses the batch shape %j with 400 naming %s', async (body, field, reason) => {
    const err = await rejection(body);
    expect(err.status).toBe(400);
    expect(err.issues).toEqual([{ field, reason: expect.stringMatching(reason) }]);
  });

  it(`refuses more than ${MAX_BATCH_EVENTS} events`, async () => {
    const events = Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => ({}));
    const err = await rejection({ events });
    expect(err.status).toBe(400);
    expect(err.issues[0]!.reason).toMatch(/10001 events; at most 10000/);
  });

  it('answers 403 naming each event type the service does not take, before validating anything', async () => {
    const err = await rejection({
      events: [
        commission('A'),
        { type: 'DISPENSE', items: ['garbage'] },
        { type: 'REGISTRY' },
        { type: 'NOPE' },
      ],
    });
    expect(err.status).toBe(403);
    expect(err.code).toBe('EVENT_TYPE_NOT_ACCEPTED');
    expect(err.message).toMatch(/manufacturer service does not take DISPENSE, REGISTRY events/);
    expect(err.issues.map((i) => [i.index, i.field])).toEqual([
      [1, 'type'],
      [2, 'type'],
    ]);
  });

  it('lists every problem of every event by index, field and reason (400)', async () => {
    const err = await rejection({
      events: [
        commission('OK'),
        commission('B', { lot: undefined, expiry: '271399' }),
        { type: 'SHIP', items: [`(01)${GTIN.slice(0, 13)}9(21)X`], to: '4012345000001' },
        'not an event',
        { type: 'NOPE' },
      ],
    });
    expect(err.status).toBe(400);
    const fields = err.issues.map((i) => `${i.index}:${i.field}`);
    expect(fields).toEqual(['1:lot', '1:expiry', '2:items[0]', '2:to', '3:(event)', '4:type']);
    for (const issue of err.issues) expect(issue.reason.length).toBeGreaterThan(5);
    expect(err.message).toMatch(/4 of 5 events are invalid; nothing was published/);
  });

  it('gives the same fingerprint to a re-post without eventTime, whatever the clock says', async () => {
    const input = { events: [commission('A', { eventId: 'e1' })] };
    const first = (await prepareBatch(input, ctx))[0]!;
    const later = (await prepareBatch(input, { ...ctx, now: NOW + 60_000 }))[0]!;
    expect(later.event.eventTime).toBe(NOW + 60_000);
    expect(later.fingerprint).toBe(first.fingerprint);
  });

  it('compares identifiers normalized: a Digital Link and an element string of one pack are the same content', async () => {
    const a = (await prepareBatch({ events: [commission('A', { eventId: 'e1' })] }, ctx))[0]!;
    const b = (
      await prepareBatch(
        {
          events: [{ ...commission('A', { eventId: 'e1' }), items: [`https://example.com/01/${GTIN}/21/A`] }],
        },
        ctx,
      )
    )[0]!;
    expect(b.fingerprint).toBe(a.fingerprint);
  });

  it('gives a different fingerprint to other content or an explicit time', async () => {
    const base = (await prepareBatch({ events: [commission('A', { eventId: 'e1' })] }, ctx))[0]!;
    const otherLot = (
      await prepareBatch({ events: [commission('A', { eventId: 'e1', lot: 'L2' })] }, ctx)
    )[0]!;
    const timed = (
      await prepareBatch(
        { events: [commission('A', { eventId: 'e1', eventTime: new Date(NOW).toISOString() })] },
        ctx,
      )
    )[0]!;
    expect(otherLot.fingerprint).not.toBe(base.fingerprint);
    expect(timed.fingerprint).not.toBe(base.fingerprint);
  });
});
