import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type FakeLedger,
  freshChannel,
  GLN,
  GTIN,
  genesisRegistry,
  getJson,
  makeParties,
  pack,
  postEvents,
  readTopic,
  SSCC,
  sendJson,
  startFakeLedger,
  startGateway,
  type TestParty,
  topicEnd,
  verifyRecord,
} from '../../../shared/gateway/test/support/harness.ts';
import { PHARMACY_HEADER } from '../src/counter-verify.ts';
import { pharmacyProfile } from '../src/pharmacy-profile.ts';

const LEDGER_TOKEN = 'rxp_pharmacist-token-for-tests';
const VERDICT = {
  verdict: 'VERIFIED',
  dispensable: true,
  status: 'ACTIVE',
  product: { gtin: GTIN, serial: 'P1', lot: 'L1', expiry: '271231' },
  alerts: [],
};

describe('pharmacy service', () => {
  const brokers = inject('kafkaBrokers');
  let channel: string;
  let url: string;
  let corner: TestParty;
  let ledger: FakeLedger;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    channel = await freshChannel(brokers, 'phm');
    const made = await makeParties(['pharmacy'], { ledgerToken: LEDGER_TOKEN });
    corner = made.parties.pharmacy!;
    ledger = await startFakeLedger((u, _req, res) => {
      if (u.pathname === '/v1/verify' && u.searchParams.get('serial') === 'GONE') {
        sendJson(res, 404, { error: { code: 'UNKNOWN_SERIAL' } });
      } else if (u.pathname === '/v1/verify') sendJson(res, 200, VERDICT);
      else sendJson(res, 404, { error: { code: 'NOT_FOUND' } });
    });
    const started = await startGateway(pharmacyProfile, {
      brokers,
      channel,
      parties: [corner.config],
      ledgerUrl: ledger.url,
    });
    url = started.url;
    stop = async () => {
      await started.gateway.stop();
      await ledger.close();
      await made.cleanup();
    };
  });
  afterAll(() => stop?.());

  it('publishes every type it takes, signed so that the registry accepts each record', async () => {
    const events = [
      { type: 'RECEIVE', items: [SSCC[1]], from: GLN.distributor },
      { type: 'DISPENSE', items: [pack('P1')] },
      { type: 'DECOMMISSION', items: [pack('P2')], reason: 'expired' },
    ];
    const res = await postEvents(url, corner.scannerKey, events);
    expect(res.status).toBe(202);
    const records = await readTopic(brokers, channel);
    const registry = genesisRegistry([corner]);
    const decoded = records.map((r) => verifyRecord(registry, r.value));
    expect(decoded.map((e) => e.eventId)).toEqual(res.body.eventIds);
    expect(decoded.map((e) => e.type)).toEqual(events.map((e) => e.type));
    for (const e of decoded) expect(e).toMatchObject({ party: GLN.pharmacy, site: GLN.counter });
  });

  it.each(['COMMISSION', 'SHIP', 'AGGREGATE'])('refuses %s with 403', async (type) => {
    const start = await topicEnd(brokers, channel);
    const res = await postEvents(url, corner.scannerKey, [{ type, items: [pack('P1')] }]);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(`pharmacy service does not take ${type}`);
    expect(await topicEnd(brokers, channel)).toBe(start);
  });

  it('passes a counter verify to the ledger with its own GLN, and relays the answer', async () => {
    const res = await getJson(
      url,
      `/v1/verify?gtin=${GTIN}&serial=P1&lot=L1&expiry=271231&pharmacy=9999999999994&debug=1`,
      corner.scannerKey,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual(VERDICT);
    const asked = ledger.requests.at(-1)!;
    expect(Object.fromEntries(asked.url.searchParams)).toEqual({
      gtin: GTIN,
      serial: 'P1',
      lot: 'L1',
      expiry: '271231',
      pharmacy: GLN.pharmacy,
    });
    expect(asked.headers[PHARMACY_HEADER]).toBe(GLN.pharmacy);
    expect(asked.headers.authorization).toBe(`Bearer ${LEDGER_TOKEN}`);
  });

  it('passes a raw scan through unchanged, and relays the ledger’s 404', async () => {
    const scan = `]d2\u001d01${GTIN}21GONE\u001d10L1`;
    const ok = await getJson(url, `/v1/verify?scan=${encodeURIComponent(scan)}`, corner.scannerKey);
    expect(ok.status).toBe(200);
    expect(ledger.requests.at(-1)!.url.searchParams.get('scan')).toBe(scan);
    const gone = await getJson(url, `/v1/verify?gtin=${GTIN}&serial=GONE`, corner.scannerKey);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('UNKNOWN_SERIAL');
  });

  it('answers 401 to a verify without a scanner key, and 400 to a repeated parameter', async () => {
    const asked = ledger.requests.length;
    const none = await getJson(url, `/v1/verify?gtin=${GTIN}&serial=P1`);
    expect(none.status).toBe(401);
    const twice = await getJson(url, `/v1/verify?gtin=${GTIN}&serial=P1&serial=P2`, corner.scannerKey);
    expect(twice.status).toBe(400);
    expect(ledger.requests.length).toBe(asked);
  });

  it('answers 503 with Retry-After when the ledger cannot be reached', async () => {
    const down = await startGateway(pharmacyProfile, {
      brokers,
      channel,
      parties: [corner.config],
      ledgerUrl: 'http://127.0.0.1:9',
    });
    try {
      const res = await getJson(down.url, `/v1/verify?gtin=${GTIN}&serial=P1`, corner.scannerKey);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.error.message).not.toContain('serial=P1');
    } finally {
      await down.gateway.stop();
    }
  });
});
