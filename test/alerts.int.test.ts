// Alerts end to end through the real services and a real broker: raised at the counter, investigated
// over the partner services, provable in the pack's bundle, healed by a late upload, seen only by the
// parties it concerns.
import type { AlertNotice } from '@rxledger/ledger';
import { verifyBundle } from '@rxledger/verifier';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GLN, GTIN, postAccepted, startSystem, type TestSystem } from './support/system.ts';

const element = (serial: string, lot = 'L1') => `]d201${GTIN}21${serial}\u001d10${lot}\u001d17281231`;

interface Answer {
  verdict: string;
  dispensable: boolean;
  onHold?: string;
  alerts: Array<{ code: string }>;
  alert?: { id: string; status: string; code: string };
}

describe('alerts from the counter to the manufacturer and back', () => {
  let sys: TestSystem;
  const notices: AlertNotice[] = [];
  beforeAll(async () => {
    sys = await startSystem(inject('kafkaBrokers'), { onAlertNotice: (n) => notices.push(n) });
    await postAccepted(sys, GLN.maker, [
      { type: 'COMMISSION', items: [`(01)${GTIN}(21)P1`], lot: 'L1', expiry: '281231' },
      { type: 'SHIP', items: [`(01)${GTIN}(21)P1`], to: GLN.pharmacy1 },
    ]);
    await postAccepted(sys, GLN.pharmacy1, [
      { type: 'RECEIVE', items: [`(01)${GTIN}(21)P1`], from: GLN.maker },
    ]);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  async function counter(pharmacy: string, scan: string): Promise<Answer> {
    const res = await fetch(`${sys.urls.pharmacy}/v1/verify?scan=${encodeURIComponent(scan)}`, {
      headers: { authorization: `Bearer ${sys.scanner[pharmacy]}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Answer;
  }
  const ledger = async (path: string, token: string) => {
    const res = await fetch(`${sys.ledgerUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Waits until the ledger shows the alert (to the regulator) as `done` says it must be. */
  async function alertUntil(id: string, done: (a: Record<string, unknown>) => boolean) {
    for (;;) {
      const { status, body } = await ledger(`/v1/alerts/${id}`, sys.regulatorToken);
      if (status === 200 && done(body)) return body;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const step = (gln: string, alert: string, status: string, rootCause: string | null = null) =>
    postAccepted(sys, gln, [
      { type: 'UPDATE_ALERT', alert, item: `(01)${GTIN}(21)P1`, status, rootCause, note: `${status} step` },
    ]);

  it('raises at the counter, holds the pack through the investigation, and releases it when closed as an error', async () => {
    const wrong = await counter(GLN.pharmacy1, element('P1', 'X9'));
    expect(wrong.verdict).toBe('SUSPECT');
    expect(wrong.alert).toMatchObject({ status: 'OPEN', code: 'LOT_MISMATCH' });
    const id = wrong.alert!.id;
    expect(id).toMatch(new RegExp(`^${GLN.pharmacy1}:`));
    await alertUntil(id, (a) => a.status === 'OPEN');

    // A rescan names the same alert (and raises none); the right lot is not dispensable while the alert is open.
    expect((await counter(GLN.pharmacy1, element('P1', 'X9'))).alert?.id).toBe(id);
    expect(await counter(GLN.pharmacy1, element('P1'))).toMatchObject({
      dispensable: false,
      onHold: 'ALERT_OPEN',
      alert: { id, code: 'LOT_MISMATCH' },
    });

    await step(GLN.maker, id, 'INFO_REQUESTED');
    await step(GLN.pharmacy1, id, 'INFO_PROVIDED');
    await step(GLN.maker, id, 'CLOSED', 'PHARMACY_TECHNICAL_ERROR');
    const closed = await alertUntil(id, (a) => a.status === 'CLOSED');
    expect((closed.steps as Array<{ kind: string }>).map((s) => s.kind)).toEqual([
      'RAISED',
      'INFO_REQUESTED',
      'INFO_PROVIDED',
      'CLOSED',
    ]);
    expect(await counter(GLN.pharmacy1, element('P1'))).toMatchObject({
      verdict: 'VERIFIED',
      dispensable: true,
    });

    // The pack's bundle carries every step of the investigation and verifies offline.
    const { body: bundle } = await ledger(
      `/v1/provenance?item=${encodeURIComponent(`https://id.gs1.org/01/${GTIN}/21/P1`)}`,
      sys.regulatorToken,
    );
    const types = (bundle.timeline as Array<{ type: string }>).map((t) => t.type);
    expect(types.filter((t) => t.endsWith('_ALERT'))).toEqual([
      'RAISE_ALERT',
      'UPDATE_ALERT',
      'UPDATE_ALERT',
      'UPDATE_ALERT',
    ]);
    const report = verifyBundle(bundle as never, {
      checkpointKey: sys.checkpointKey,
      authorityKey: sys.authorityKey.verifyingKey,
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);

    // Every change was told to the pharmacy and the manufacturer, with the leaf that made it.
    const told = notices.filter((n) => n.alertId === id);
    expect(told.map((n) => n.kind)).toEqual([
      'alert.raised',
      'alert.updated',
      'alert.updated',
      'alert.updated',
    ]);
    expect(told.map((n) => n.seq)).toEqual((closed.steps as Array<{ index: number }>).map((s) => s.index));
    expect(told[0]!.audience).toEqual([GLN.pharmacy1, GLN.maker]);
    expect(told[0]!.alert).toMatchObject({ id, code: 'LOT_MISMATCH' });
  });

  it('closes an unknown-serial alert by itself when the late commission arrives', async () => {
    const unknown = await counter(GLN.pharmacy2, element('LATE1'));
    expect(unknown.alerts.map((a) => a.code)).toContain('UNKNOWN_SERIAL');
    const id = unknown.alert!.id;
    await alertUntil(id, (a) => a.status === 'OPEN');

    await postAccepted(sys, GLN.maker, [
      { type: 'COMMISSION', items: [`(01)${GTIN}(21)LATE1`], lot: 'L1', expiry: '281231' },
      { type: 'SHIP', items: [`(01)${GTIN}(21)LATE1`], to: GLN.pharmacy2 },
    ]);
    const healed = await alertUntil(id, (a) => a.status === 'CLOSED');
    expect(healed).toMatchObject({ healed: true, rootCause: null });
    expect((healed.steps as Array<{ kind: string; note: string }>).at(-1)).toMatchObject({
      kind: 'HEALED',
      note: 'explained by late data',
    });
    await postAccepted(sys, GLN.pharmacy2, [
      { type: 'RECEIVE', items: [`(01)${GTIN}(21)LATE1`], from: GLN.maker },
    ]);
    expect(notices.filter((n) => n.alertId === id).map((n) => n.kind)).toEqual([
      'alert.raised',
      'alert.healed',
    ]);
    const after = await counter(GLN.pharmacy2, element('LATE1'));
    expect(after).toMatchObject({ verdict: 'VERIFIED', dispensable: true });
    expect(after.alert).toBeUndefined();
  });

  it("raises nothing on a regulator's verify and shows each party only the alerts that concern it", async () => {
    const direct = await ledger(
      `/v1/verify?gtin=${GTIN}&serial=NOPE1&at=${GLN.pharmacy1}`,
      sys.regulatorToken,
    );
    expect(direct.body).toMatchObject({ verdict: 'SUSPECT', falsification: 'UNKNOWN_SERIAL' });
    // A later event of the pharmacy accepted means the ledger folded anything published before it.
    await postAccepted(sys, GLN.pharmacy1, [{ type: 'DISPENSE', items: [`(01)${GTIN}(21)P1`] }]);

    const ids = async (token: string) =>
      ((await ledger('/v1/alerts', token)).body.alerts as Array<{ id: string; item: string }>).map(
        (a) => a.id,
      );
    const all = await ids(sys.regulatorToken);
    expect(all).toHaveLength(2);
    const [p2, p1] = all as [string, string];
    expect(p1.startsWith(GLN.pharmacy1) && p2.startsWith(GLN.pharmacy2)).toBe(true);
    expect(await ids(sys.partnerToken[GLN.maker]!)).toEqual(all);
    expect(await ids(sys.pharmacistToken[GLN.pharmacy1]!)).toEqual([p1]);
    expect(await ids(sys.partnerToken[GLN.pharmacy2]!)).toEqual([p2]);
    expect(await ids(sys.partnerToken[GLN.distributor]!)).toEqual([]);
    expect((await ledger(`/v1/alerts/${p1}`, sys.pharmacistToken[GLN.pharmacy2]!)).status).toBe(404);
  });

  it('counts alerts on /metrics: none open, one closed by a step, one healed', async () => {
    const text = await (await fetch(`${sys.ledgerUrl}/metrics`)).text();
    expect(text).toMatch(/^ledger_alerts_closed\{how="healed",service="ledger"\} 1$/m);
    expect(text).toMatch(/^ledger_alerts_closed\{how="step",service="ledger"\} 1$/m);
    expect(text).toMatch(/^ledger_alert_time_to_close_seconds_count\{service="ledger",how="step"\} 1$/m);
    expect(text).not.toMatch(/^ledger_alerts_open\{/m);
  });
});
