// The undo of a dispense (EU 2016/161 Art. 13) through the real pharmacy service, ledger and broker:
// the counter is told it may undo, the undo returns the pack to stock, the pack can be dispensed
// again, and an undo outside the rule is REJECTED with its reason on GET /v1/events/{id}.
//
// A late undo (more than 10 days after the dispense) cannot be produced here: the ledger refuses a
// dispense dated more than 7 days before the broker's clock, and the broker stamps the undo with
// now. UNDO_TOO_LATE is proven on a real SQLite ledger with chosen broker times instead
// (services/ledger/test/undo-admission.int.test.ts).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GLN, GTIN, postAccepted, startSystem, type TestSystem } from './support/system.ts';

const DAY = 86_400_000;
const packUri = (serial: string) => `https://id.gs1.org/01/${GTIN}/21/${serial}`;

describe('undo of a dispense over HTTP', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem(inject('kafkaBrokers'));
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const headers = (gln: string) => ({
    authorization: `Bearer ${sys.scanner[gln]}`,
    'content-type': 'application/json',
  });

  /** The counter scanner of `pharmacy` verifying `serial`, through the pharmacy service. */
  async function counter(pharmacy: string, serial: string) {
    const res = await fetch(`${sys.urls.pharmacy}/v1/verify?gtin=${GTIN}&serial=${serial}`, {
      headers: headers(pharmacy),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      verdict: string;
      dispensable: boolean;
      status: string;
      alerts: Array<{ code: string }>;
      undo?: { dispense: string; until: string };
    };
  }

  /** Posts one event as `pharmacy` and waits until the ledger has judged it: its final event state. */
  async function judged(pharmacy: string, event: object) {
    const res = await fetch(`${sys.urls.pharmacy}/v1/events`, {
      method: 'POST',
      headers: headers(pharmacy),
      body: JSON.stringify({ events: [event] }),
    });
    const body = (await res.json()) as { eventIds: string[] };
    expect(res.status, JSON.stringify(body)).toBe(202);
    const id = body.eventIds[0]!;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const state = (await (
        await fetch(`${sys.urls.pharmacy}/v1/events/${id}`, { headers: headers(pharmacy) })
      ).json()) as {
        state: string;
        reason?: { code: string; message: string };
      };
      if (state.state !== 'PENDING') return { id, ...state };
      if (Date.now() > deadline) throw new Error(`${id} still pending`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('dispense, undo, verify dispensable, dispense again; an undo by another pharmacy or after a recall is REJECTED with its reason', async () => {
    const p = packUri('UNDO1');
    await postAccepted(sys, GLN.maker, [{ type: 'COMMISSION', items: [p], lot: 'L1', expiry: '281231' }]);
    await postAccepted(sys, GLN.maker, [{ type: 'SHIP', items: [p], to: GLN.pharmacy1 }]);
    await postAccepted(sys, GLN.pharmacy1, [{ type: 'RECEIVE', items: [p], from: GLN.maker }]);
    const [dispense] = await postAccepted(sys, GLN.pharmacy1, [{ type: 'DISPENSE', items: [p] }]);

    const dispensed = await counter(GLN.pharmacy1, 'UNDO1');
    expect(dispensed).toMatchObject({ status: 'DISPENSED', dispensable: false, undo: { dispense } });
    const until = Date.parse(dispensed.undo!.until);
    expect(until).toBeGreaterThan(Date.now() + 9 * DAY);
    expect(until).toBeLessThanOrEqual(Date.now() + 10 * DAY);
    expect((await counter(GLN.pharmacy2, 'UNDO1')).undo).toBeUndefined();

    const stranger = await judged(GLN.pharmacy2, { type: 'UNDO_DISPENSE', dispense, items: [p] });
    expect(stranger).toMatchObject({ state: 'REJECTED', reason: { code: 'UNDO_OTHER_PARTY' } });

    const undone = await judged(GLN.pharmacy1, { type: 'UNDO_DISPENSE', dispense, items: [p] });
    expect(undone.state).toBe('ACCEPTED');
    const back = await counter(GLN.pharmacy1, 'UNDO1');
    expect(back).toMatchObject({ verdict: 'VERIFIED', dispensable: true, status: 'ACTIVE', alerts: [] });
    expect(back.undo).toBeUndefined();

    const [again] = await postAccepted(sys, GLN.pharmacy1, [{ type: 'DISPENSE', items: [p] }]);
    expect(await counter(GLN.pharmacy1, 'UNDO1')).toMatchObject({
      status: 'DISPENSED',
      undo: { dispense: again },
    });

    await postAccepted(sys, GLN.maker, [{ type: 'RECALL', gtin: GTIN, lot: 'L1', reason: 'contamination' }]);
    expect((await counter(GLN.pharmacy1, 'UNDO1')).undo).toBeUndefined();
    const recalled = await judged(GLN.pharmacy1, { type: 'UNDO_DISPENSE', dispense: again, items: [p] });
    expect(recalled).toMatchObject({ state: 'REJECTED', reason: { code: 'UNDO_RECALLED' } });
    expect(recalled.reason!.message).toContain(p);
    expect((await counter(GLN.pharmacy1, 'UNDO1')).status).toBe('DISPENSED');
  });
});
