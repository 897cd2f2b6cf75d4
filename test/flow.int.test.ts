// A realistic flow through the real services and a real broker: 1,000 packs commissioned, cased,
// palletised, shipped, received, taken apart and sent on to two pharmacies, one pack dispensed; the
// answers pharmacists, regulators and partners get are checked at every step.
import { verifyBundle } from '@rxledger/verifier';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GLN, GTIN, postAccepted, startSystem, type TestSystem } from './support/system.ts';

const PACKS = 1_000;
const serial = (i: number) => `P${String(i).padStart(4, '0')}`;
const pack = (i: number) => `(01)${GTIN}(21)${serial(i)}`;
const packUri = (i: number) => `https://id.gs1.org/01/${GTIN}/21/${serial(i)}`;
function sscc(n: number): string {
  const body = `00614141${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[16 - i]) * (i % 2 === 0 ? 3 : 1);
  return `(00)${body}${(10 - (sum % 10)) % 10}`;
}
const CASES = Array.from({ length: 10 }, (_, i) => sscc(100 + i));
const PALLET = sscc(999);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('a realistic flow over HTTP', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startSystem(inject('kafkaBrokers'));
  });
  afterAll(async () => {
    await sys?.stop();
  });

  /** Posts events as the scanner of `gln` and waits until the ledger has accepted every one of them. */
  const scan = (gln: string, events: object[]) => postAccepted(sys, gln, events);

  /** The pharmacy's counter scanner verifying a pack, through the pharmacy service. */
  async function counter(pharmacy: string, i: number) {
    const res = await fetch(
      `${sys.urls.pharmacy}/v1/verify?scan=${encodeURIComponent(`]d201${GTIN}21${serial(i)}\u001d10L1\u001d17281231`)}`,
      {
        headers: { authorization: `Bearer ${sys.scanner[pharmacy]}` },
      },
    );
    expect(res.status).toBe(200);
    return (await res.json()) as {
      verdict: string;
      dispensable: boolean;
      status: string;
      alerts: Array<{ code: string }>;
    };
  }

  const regulator = async (path: string) => {
    const res = await fetch(`${sys.ledgerUrl}${path}`, {
      headers: { authorization: `Bearer ${sys.regulatorToken}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const scope = async () =>
    (await regulator(`/v1/recalls/scope?gtin=${GTIN}&lot=L1`)) as {
      count: number;
      packs: Array<{
        item: string;
        status: string;
        custodian: string;
        parent?: string;
        inTransitTo?: string;
      }>;
    };
  const codes = (a: { alerts: Array<{ code: string }> }) => a.alerts.map((x) => x.code);

  it('commission 1,000 packs and their cases and pallet', async () => {
    await scan(GLN.maker, [
      { type: 'COMMISSION', items: range(0, PACKS).map(pack), lot: 'L1', expiry: '281231' },
      { type: 'COMMISSION', items: [...CASES, PALLET], lot: 'L1', expiry: '281231' },
    ]);
    const s = await scope();
    expect(s.count).toBe(PACKS);
    expect(new Set(s.packs.map((p) => `${p.status}@${p.custodian}`))).toEqual(
      new Set([`ACTIVE@${GLN.maker}`]),
    );
    // Not at any pharmacy yet.
    expect(await counter(GLN.pharmacy1, 7)).toMatchObject({
      verdict: 'SUSPECT',
      dispensable: false,
      alerts: [{ code: 'CUSTODY_MISMATCH' }],
    });
  });

  it('aggregate into 10 cases of 100 and the cases onto a pallet, ship it to the distributor', async () => {
    await scan(
      GLN.maker,
      CASES.map((c, k) => ({
        type: 'AGGREGATE',
        parent: c,
        children: range(k * 100, k * 100 + 100).map(pack),
      })),
    );
    await scan(GLN.maker, [{ type: 'AGGREGATE', parent: PALLET, children: CASES }]);
    await scan(GLN.maker, [{ type: 'SHIP', items: [PALLET], to: GLN.distributor }]);
    const s = await scope();
    const p = s.packs.find((x) => x.item === packUri(250))!;
    expect(p).toMatchObject({ status: 'IN_TRANSIT', custodian: GLN.maker, inTransitTo: GLN.distributor });
    expect(s.packs.every((x) => x.status === 'IN_TRANSIT')).toBe(true);
    const atDistributor = (await regulator(
      `/v1/verify?gtin=${GTIN}&serial=${serial(250)}&at=${GLN.distributor}`,
    )) as { alerts: unknown[] };
    expect(atDistributor).toMatchObject({
      verdict: 'VERIFIED',
      status: 'IN_TRANSIT',
      dispensable: false,
      alerts: [],
    });
  });

  it('the distributor receives the pallet and takes it apart', async () => {
    await scan(GLN.distributor, [{ type: 'RECEIVE', items: [PALLET], from: GLN.maker }]);
    let s = await scope();
    expect(s.packs.every((x) => x.status === 'ACTIVE' && x.custodian === GLN.distributor)).toBe(true);
    await scan(GLN.distributor, [{ type: 'DISAGGREGATE', parent: PALLET }]);
    s = await scope();
    expect(s.packs.find((x) => x.item === packUri(250))!.parent).toBe(
      `https://id.gs1.org/00/${CASES[2]!.slice(4)}`,
    );
  });

  it('ships five cases to each pharmacy; each receives its own', async () => {
    await scan(GLN.distributor, [
      { type: 'SHIP', items: CASES.slice(0, 5), to: GLN.pharmacy1 },
      { type: 'SHIP', items: CASES.slice(5), to: GLN.pharmacy2 },
    ]);
    // In transit to pharmacy 1: verified there, but not dispensable before it is received.
    expect(await counter(GLN.pharmacy1, 7)).toMatchObject({
      verdict: 'VERIFIED',
      status: 'IN_TRANSIT',
      dispensable: false,
    });
    await scan(GLN.pharmacy1, [{ type: 'RECEIVE', items: CASES.slice(0, 5), from: GLN.distributor }]);
    await scan(GLN.pharmacy2, [{ type: 'RECEIVE', items: CASES.slice(5), from: GLN.distributor }]);
    const s = await scope();
    const holders = new Map<string, number>();
    for (const p of s.packs) holders.set(p.custodian, (holders.get(p.custodian) ?? 0) + 1);
    expect(Object.fromEntries(holders)).toEqual({ [GLN.pharmacy1]: 500, [GLN.pharmacy2]: 500 });
    expect(await counter(GLN.pharmacy1, 7)).toEqual({
      verdict: 'VERIFIED',
      dispensable: true,
      status: 'ACTIVE',
      product: { gtin: GTIN, serial: serial(7), lot: 'L1', expiry: '281231' },
      alerts: [],
    });
    expect(codes(await counter(GLN.pharmacy2, 7))).toEqual(['CUSTODY_MISMATCH']);
    expect(await counter(GLN.pharmacy2, 707)).toMatchObject({ verdict: 'VERIFIED', dispensable: true });
  });

  it('dispenses one pack: a second scan of it is flagged, its neighbours stay dispensable', async () => {
    await scan(GLN.pharmacy1, [{ type: 'DISPENSE', items: [pack(7)] }]);
    expect(await counter(GLN.pharmacy1, 7)).toMatchObject({
      verdict: 'SUSPECT',
      status: 'DISPENSED',
      dispensable: false,
      alerts: [{ code: 'ALREADY_DISPENSED' }],
    });
    expect(await counter(GLN.pharmacy1, 8)).toMatchObject({ verdict: 'VERIFIED', dispensable: true });
  });

  it('gives a regulator the dispensed pack provenance, which verifies offline from the two trust anchors', async () => {
    const bundle = await regulator(`/v1/provenance?item=${encodeURIComponent(pack(7))}`);
    const timeline = (bundle.timeline as Array<{ type: string }>).map((e) => e.type);
    // Each counter scan showing a potential falsification raised an alert, named in the pack's chain:
    // pharmacy 1's before the pack reached it (healed by the shipment), pharmacy 2's custody mismatch.
    expect(timeline).toEqual([
      'COMMISSION',
      'RAISE_ALERT',
      'AGGREGATE',
      'AGGREGATE',
      'SHIP',
      'RECEIVE',
      'DISAGGREGATE',
      'SHIP',
      'RECEIVE',
      'RAISE_ALERT',
      'DISPENSE',
    ]);
    const report = verifyBundle(bundle, {
      checkpointKey: sys.checkpointKey,
      authorityKey: sys.authorityKey.verifyingKey,
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
