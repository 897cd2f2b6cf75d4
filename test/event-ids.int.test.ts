// eventIds are scoped to the party that signs them (issue 19, finding 7): one party cannot squat
// another's ids, and each scanner learns the fate of its own event, through its own service.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GLN, GTIN, startSystem, type TestSystem } from './support/system.ts';

describe('eventIds scoped to their signing party, end to end', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem(inject('kafkaBrokers'));
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const post = async (url: string, key: string, events: object[]) => {
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(res.status, await res.clone().text()).toBe(202);
  };
  /** Polls the scanner's own service until the event is no longer PENDING. */
  const fate = async (url: string, key: string, id: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`${url}/v1/events/${id}`, { headers: { authorization: `Bearer ${key}` } });
      const body = (await res.json()) as { state?: string; index?: number };
      if (res.status !== 200 || body.state !== 'PENDING') return { status: res.status, ...body };
      if (Date.now() > deadline) throw new Error(`${id} still pending`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('accepts the same eventId from two parties as two events, each answered to its own scanner', async () => {
    const item = `(01)${GTIN}(21)SQUAT1`;
    await post(sys.urls.manufacturer, sys.scanner[GLN.maker]!, [
      { type: 'COMMISSION', eventId: 'shared-1', items: [item], lot: 'L1', expiry: '281231' },
    ]);
    const maker = await fate(sys.urls.manufacturer, sys.scanner[GLN.maker]!, 'shared-1');
    expect(maker).toMatchObject({ status: 200, state: 'ACCEPTED' });

    await post(sys.urls.pharmacy, sys.scanner[GLN.pharmacy1]!, [
      { type: 'DECOMMISSION', eventId: 'shared-1', items: [item], reason: 'damaged' },
    ]);
    const pharmacy = await fate(sys.urls.pharmacy, sys.scanner[GLN.pharmacy1]!, 'shared-1');
    expect(pharmacy).toMatchObject({ status: 200, state: 'ACCEPTED' });
    expect(pharmacy.index).not.toBe(maker.index);

    // Another pharmacy of the same service never sees it as its own.
    expect((await fate(sys.urls.pharmacy, sys.scanner[GLN.pharmacy2]!, 'shared-1')).status).toBe(404);

    // A regulator asking the ledger names the party when the id is ambiguous.
    const regulator = { authorization: `Bearer ${sys.regulatorToken}` };
    const ambiguous = await fetch(`${sys.ledgerUrl}/v1/events/shared-1`, { headers: regulator });
    expect(ambiguous.status).toBe(409);
    const one = await fetch(`${sys.ledgerUrl}/v1/events/shared-1?party=${GLN.maker}`, { headers: regulator });
    expect(await one.json()).toEqual({
      eventId: 'shared-1',
      party: GLN.maker,
      state: 'ACCEPTED',
      index: maker.index,
    });
  });

  it("answers a scanner's ?wait= once the ledger has decided, in one request, not PENDING", async () => {
    const key = sys.scanner[GLN.maker]!;
    const item = `(01)${GTIN}(21)WAIT1`;
    await post(sys.urls.manufacturer, key, [
      { type: 'COMMISSION', eventId: 'wait-1', items: [item], lot: 'L1', expiry: '281231' },
    ]);
    const headers = { authorization: `Bearer ${key}` };
    const held = await fetch(`${sys.urls.manufacturer}/v1/events/wait-1?wait=20`, { headers });
    expect(held.status).toBe(200);
    expect(await held.json()).toMatchObject({ eventId: 'wait-1', state: 'ACCEPTED' });
    const bad = await fetch(`${sys.urls.manufacturer}/v1/events/wait-1?wait=99`, { headers });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('wait');
  });
});
