import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRoutesServer } from '../support/routes-server.ts';
import { tempLedger } from '../support/temp-ledger.ts';
import { GLN, pack } from '../support/test-chain.ts';
import { bearer, type TOKENS } from '../support/test-tokens.ts';
import { AlertChain } from './alert-chain.ts';

describe('alerts in verify answers and at GET /v1/alerts', () => {
  let chain: AlertChain;
  let ledger: ReturnType<typeof tempLedger>;
  let server: Awaited<ReturnType<typeof startRoutesServer>>;
  const alertId = `${GLN.pharmacy}:r1`;

  beforeEach(async () => {
    chain = new AlertChain();
    ledger = tempLedger(chain.authority.verifyingKey);
    // Pack 1 reaches the pharmacy: dispensable there.
    ledger.folder.fold([
      chain.genesisRecord(),
      chain.commission([pack(1), pack(2)]),
      chain.event(chain.maker, { type: 'SHIP', items: [pack(1)], to: GLN.pharmacy } as never),
      chain.event(chain.pharmacy, { type: 'RECEIVE', items: [pack(1)], from: GLN.maker } as never),
    ]);
    server = await startRoutesServer(ledger);
  });
  afterEach(async () => {
    await server.stop();
    ledger.close();
  });

  const get = async (path: string, who: keyof typeof TOKENS) => {
    const res = await fetch(`${server.url}${path}`, { headers: bearer(who) });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read by shape in each test
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const verify = (lot: string, who: keyof typeof TOKENS = 'pharmacist') =>
    get(`/v1/verify?gtin=00614141123452&serial=S1&lot=${lot}`, who);
  const step = (key: AlertChain['maker'], eventId: string, status: string, rootCause: string | null = null) =>
    ledger.folder.fold([chain.update(key, alertId, { eventId, item: pack(1), status, rootCause } as never)]);

  it('holds a pack while its alert is open, names the alert to its pharmacy, releases it when closed as an error', async () => {
    const wrongLot = await verify('X9');
    expect(wrongLot.body).toMatchObject({ verdict: 'SUSPECT', falsification: 'LOT_MISMATCH' });
    expect(wrongLot.body.alert).toBeUndefined();
    ledger.folder.fold([chain.raise(chain.pharmacy, pack(1), 'LOT_MISMATCH', 'r1', 'X9')]);

    const held = await verify('L1');
    expect(held.body).toMatchObject({
      verdict: 'VERIFIED',
      dispensable: false,
      onHold: 'ALERT_OPEN',
      alert: { id: alertId, status: 'OPEN', code: 'LOT_MISMATCH' },
    });
    expect(held.body.falsification).toBeUndefined();
    // Another pharmacy learns the pack is held, not whose alert holds it.
    const elsewhere = await verify('L1', 'pharmacist2');
    expect(elsewhere.body).toMatchObject({ dispensable: false, onHold: 'ALERT_OPEN' });
    expect(elsewhere.body.alert).toBeUndefined();

    step(chain.maker, 'u1', 'INFO_REQUESTED');
    expect((await verify('L1')).body.alert).toEqual({
      id: alertId,
      status: 'INFO_REQUESTED',
      code: 'LOT_MISMATCH',
    });
    step(chain.maker, 'u2', 'CLOSED', 'PHARMACY_TECHNICAL_ERROR');
    const released = await verify('L1');
    expect(released.body).toMatchObject({ verdict: 'VERIFIED', dispensable: true });
    expect(released.body.onHold).toBeUndefined();
  });

  it('keeps a pack closed as a confirmed falsification SUSPECT for good', async () => {
    ledger.folder.fold([chain.raise(chain.pharmacy, pack(1), 'LOT_MISMATCH', 'r1', 'X9')]);
    step(chain.regulator, 'u1', 'CLOSED', 'CONFIRMED_FALSIFICATION');
    expect((await verify('L1')).body).toMatchObject({
      verdict: 'SUSPECT',
      dispensable: false,
      onHold: 'CONFIRMED_FALSIFICATION',
    });
  });

  it('shows each party only its own alerts, filtered and paged', async () => {
    ledger.folder.fold([
      chain.raise(chain.pharmacy, pack(1), 'LOT_MISMATCH', 'r1', 'X9'),
      chain.raise(chain.pharmacy2, pack(2), 'CUSTODY_MISMATCH', 'r2'),
    ]);
    const ids = async (path: string, who: keyof typeof TOKENS) =>
      ((await get(path, who)).body.alerts as Array<{ id: string }>).map((a) => a.id);
    const other = `${GLN.pharmacy2}:r2`;
    expect(await ids('/v1/alerts', 'regulator')).toEqual([other, alertId]);
    expect(await ids('/v1/alerts', 'maker')).toEqual([other, alertId]);
    expect(await ids('/v1/alerts', 'pharmacist')).toEqual([alertId]);
    expect(await ids('/v1/alerts', 'pharmacy2Service')).toEqual([other]);
    expect(await ids('/v1/alerts', 'distributor')).toEqual([]);
    expect(await ids('/v1/alerts?code=LOT_MISMATCH', 'regulator')).toEqual([alertId]);
    expect(await ids('/v1/alerts?status=CLOSED', 'regulator')).toEqual([]);
    expect(await ids('/v1/alerts?gtin=614141123452', 'maker')).toEqual([other, alertId]);

    const first = await get('/v1/alerts?limit=1', 'regulator');
    expect(first.body.alerts.map((a: { id: string }) => a.id)).toEqual([other]);
    const second = await get(`/v1/alerts?limit=1&before=${first.body.next}`, 'regulator');
    expect(second.body.alerts.map((a: { id: string }) => a.id)).toEqual([alertId]);
    expect(second.body.next).toBeUndefined();
    expect((await get('/v1/alerts?limit=201', 'regulator')).status).toBe(400);

    expect((await get(`/v1/alerts/${alertId}`, 'pharmacist2')).status).toBe(404);
    expect((await get(`/v1/alerts/${alertId}`, 'distributor')).status).toBe(404);
    expect((await get(`/v1/alerts/${GLN.pharmacy}:nope`, 'regulator')).status).toBe(404);
    const mine = await get(`/v1/alerts/${alertId}`, 'pharmacist');
    expect(mine.body).toMatchObject({ id: alertId, status: 'OPEN', scanned: { lot: 'X9', expiry: null } });
    expect(mine.body.escalated).toBeUndefined();
    expect(mine.body.steps).toEqual([
      expect.objectContaining({ kind: 'RAISED', party: GLN.pharmacy, eventId: 'r1', index: 4 }),
    ]);
  });

  it('tells regulators which alerts escalated: unanswered within 2 working days of the raise', async () => {
    ledger.folder.fold([
      chain.raise(chain.pharmacy, pack(1), 'LOT_MISMATCH', 'r1', 'X9'),
      chain.raise(chain.pharmacy2, pack(2), 'CUSTODY_MISMATCH', 'r2'),
    ]);
    // The maker answers r2 at once (same broker time); r1 stays unanswered since June 2026.
    ledger.folder.fold([
      chain.update(chain.maker, `${GLN.pharmacy2}:r2`, {
        eventId: 'u1',
        item: pack(2),
        status: 'INVESTIGATING',
      } as never),
    ]);
    const all = (await get('/v1/alerts', 'regulator')).body.alerts as Array<{
      id: string;
      escalated: boolean;
    }>;
    expect(Object.fromEntries(all.map((a) => [a.id, a.escalated]))).toEqual({
      [alertId]: true,
      [`${GLN.pharmacy2}:r2`]: false,
    });
  });
});
