import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Gateway, PartnerProfile } from '../src/gateway.ts';
import {
  type FakeLedger,
  freshChannel,
  GLN,
  GTIN,
  genesisRegistry,
  getJson,
  makeParties,
  pack,
  packUri,
  postEvents,
  readTopic,
  SSCC,
  sendJson,
  startFakeLedger,
  startGateway,
  type TestParty,
  topicEnd,
  verifyRecord,
} from './support/harness.ts';

// A gateway hosting two parties of one kind, as a service may; manufacturer event types.
const profile: PartnerProfile = {
  name: 'manufacturer',
  defaultPort: 0,
  acceptTypes: ['COMMISSION', 'AGGREGATE', 'DISAGGREGATE', 'SHIP', 'DECOMMISSION', 'RECALL'],
};

describe('gateway against a real broker', () => {
  const brokers = inject('kafkaBrokers');
  let channel: string;
  let url: string;
  let gateway: Gateway;
  let ledger: FakeLedger;
  let acme: TestParty;
  let other: TestParty;
  let cleanup: () => Promise<void>;
  // What the fake ledger has folded: eventId → its answer.
  const folded = new Map<string, unknown>();

  beforeAll(async () => {
    channel = await freshChannel(brokers, 'gw');
    const made = await makeParties(['manufacturer', 'distributor']);
    acme = made.parties.manufacturer!;
    // A second hosted party: a distributor-named party whose key this service also holds.
    other = made.parties.distributor!;
    cleanup = made.cleanup;
    ledger = await startFakeLedger((u, _req, res) => {
      const id = decodeURIComponent(u.pathname.replace('/v1/events/', ''));
      const answer = folded.get(id);
      if (answer === undefined) sendJson(res, 404, { error: { code: 'NOT_FOUND' } });
      else sendJson(res, 200, answer);
    });
    ({ url, gateway } = await startGateway(profile, {
      brokers,
      channel,
      parties: [acme.config, other.config],
      ledgerUrl: ledger.url,
    }));
  });

  afterAll(async () => {
    await gateway?.stop();
    await ledger?.close();
    await cleanup?.();
  });

  it('publishes a batch that arrives on the topic, decodes, and verifies against the registry', async () => {
    const start = await topicEnd(brokers, channel);
    // An hour ago, written as a scanner in UTC+01:00 would write it.
    const hourAgo = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const local = new Date(hourAgo + 3_600_000).toISOString().replace('.000Z', '+01:00');
    const events = [
      {
        type: 'COMMISSION',
        eventId: 'c-1',
        items: [pack('S1'), pack('S2'), SSCC[0]],
        lot: 'L1',
        expiry: '271231',
      },
      { type: 'AGGREGATE', parent: SSCC[0], children: [packUri('S1'), `urn:epc:id:sgtin:4012345.012345.S2`] },
      { type: 'SHIP', items: [SSCC[0]], to: GLN.distributor, eventTime: local },
      { type: 'RECALL', gtin: GTIN, lot: 'L1', reason: 'contamination' },
    ];
    const res = await postEvents(url, acme.scannerKey, events);
    expect(res.status).toBe(202);
    expect(res.body.eventIds).toHaveLength(4);
    expect(res.body.eventIds[0]).toBe('c-1');
    for (const id of res.body.eventIds.slice(1)) expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const records = await readTopic(brokers, channel, start);
    expect(records.map((r) => r.key)).toEqual(res.body.eventIds);
    const registry = genesisRegistry([acme, other]);
    const decoded = records.map((r) => verifyRecord(registry, r.value));
    expect(decoded.map((e) => e.type)).toEqual(['COMMISSION', 'AGGREGATE', 'SHIP', 'RECALL']);
    for (const e of decoded) {
      expect(e.party).toBe(GLN.manufacturer);
      expect(e.site).toBe(GLN.plant);
    }
    expect(decoded[1]).toMatchObject({ children: [packUri('S1'), packUri('S2')] });
    expect(decoded[2]).toMatchObject({
      eventTime: hourAgo,
      eventTimeOffsetMinutes: 60,
    });
  });

  it('signs with the key of the scanner’s own party when it hosts several', async () => {
    const start = await topicEnd(brokers, channel);
    const res = await postEvents(url, other.scannerKey, [
      { type: 'SHIP', items: [SSCC[1]], to: GLN.pharmacy },
    ]);
    expect(res.status).toBe(202);
    const [record] = await readTopic(brokers, channel, start);
    const event = verifyRecord(genesisRegistry([acme, other]), record!.value);
    expect(event).toMatchObject({ party: GLN.distributor, site: GLN.warehouse });
  });

  it('answers 401 with a WWW-Authenticate challenge without a key or with an unknown one', async () => {
    const none = await postEvents(url, undefined, [{ type: 'RECALL', gtin: GTIN, lot: 'L', reason: 'r' }]);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="rxledger-manufacturer"');
    const wrong = await postEvents(url, 'rxs_not-a-key', [
      { type: 'RECALL', gtin: GTIN, lot: 'L', reason: 'r' },
    ]);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(wrong.body.error.code).toBe('UNAUTHENTICATED');
    expect((await getJson(url, '/v1/events/x')).status).toBe(401);
  });

  it('answers 403 naming the type and the service for an event type it does not take; publishes nothing', async () => {
    const start = await topicEnd(brokers, channel);
    const res = await postEvents(url, acme.scannerKey, [
      { type: 'COMMISSION', items: [pack('X1')], lot: 'L1', expiry: '271231' },
      { type: 'DISPENSE', items: [pack('X1')] },
    ]);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/manufacturer service does not take DISPENSE/);
    expect(res.body.errors).toEqual([{ index: 1, field: 'type', reason: expect.stringMatching(/DISPENSE/) }]);
    expect(await topicEnd(brokers, channel)).toBe(start);
  });

  it('answers 400 with index, field and reason for each bad event; publishes nothing', async () => {
    const start = await topicEnd(brokers, channel);
    const res = await postEvents(url, acme.scannerKey, [
      { type: 'COMMISSION', items: [pack('Y1')], lot: 'L1', expiry: '271231' },
      { type: 'COMMISSION', items: [`(01)04012345123450(21)Y2`], lot: 'L1', expiry: '271231' },
      { type: 'SHIP', items: [SSCC[0]], to: '123', eventTime: 'yesterday' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { index: number; field: string }) => `${e.index}:${e.field}`)).toEqual([
      '1:items[0]',
      '2:eventTime',
      '2:to',
    ]);
    for (const e of res.body.errors) expect(e.reason).toEqual(expect.any(String));
    expect(await topicEnd(brokers, channel)).toBe(start);
  });

  it('answers 400 for a body that is not a batch, and 415 for a body that is not JSON', async () => {
    const notBatch = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.scannerKey}`, 'content-type': 'application/json' },
      body: '[1,2]',
    });
    expect(notBatch.status).toBe(400);
    const badJson = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.scannerKey}`, 'content-type': 'application/json' },
      body: '{"events": [',
    });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { code: string } }).error.code).toBe('BAD_JSON');
    const text = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.scannerKey}`, 'content-type': 'text/plain' },
      body: 'events',
    });
    expect(text.status).toBe(415);
  });

  it('answers 413 with a JSON error for a body over 32 MB', async () => {
    const body = `{"events":[{"type":"RECALL","gtin":"${GTIN}","lot":"L","reason":"${'x'.repeat(33 * 1024 * 1024)}"}]}`;
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.scannerKey}`, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a repeated batch with the same ids and republishes byte-identical records', async () => {
    const events = [
      { type: 'COMMISSION', eventId: 'rep-1', items: [pack('R1')], lot: 'L1', expiry: '271231' },
      { type: 'COMMISSION', eventId: 'rep-2', items: [pack('R2')], lot: 'L1', expiry: '271231' },
    ];
    const start = await topicEnd(brokers, channel);
    const first = await postEvents(url, acme.scannerKey, events);
    await new Promise((r) => setTimeout(r, 20)); // "now" moves on: the cache, not the clock, decides
    const again = await postEvents(url, acme.scannerKey, events);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.eventIds).toEqual(['rep-1', 'rep-2']);
    const records = await readTopic(brokers, channel, start);
    expect(records).toHaveLength(4);
    expect(records[2]!.value.equals(records[0]!.value)).toBe(true);
    expect(records[3]!.value.equals(records[1]!.value)).toBe(true);
  });

  it('answers 409 naming the index and eventId when an eventId is reused with other content', async () => {
    const ok = await postEvents(url, acme.scannerKey, [
      { type: 'COMMISSION', eventId: 'conf-1', items: [pack('C1')], lot: 'L1', expiry: '271231' },
    ]);
    expect(ok.status).toBe(202);
    const start = await topicEnd(brokers, channel);
    const res = await postEvents(url, acme.scannerKey, [
      { type: 'COMMISSION', eventId: 'conf-2', items: [pack('C2')], lot: 'L1', expiry: '271231' },
      { type: 'COMMISSION', eventId: 'conf-1', items: [pack('C1')], lot: 'L2', expiry: '271231' },
    ]);
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([
      { index: 1, eventId: 'conf-1', reason: expect.stringMatching(/already used/) },
    ]);
    expect(await topicEnd(brokers, channel)).toBe(start);
    // The other party of this service may use the same id for its own event.
    const theirs = await postEvents(url, other.scannerKey, [
      { type: 'SHIP', eventId: 'conf-1', items: [SSCC[1]], to: GLN.pharmacy },
    ]);
    expect(theirs.status).toBe(202);
  });

  it('takes 10,000 events in one batch, and one event naming 10,000 items, chunked under 1 MB', async () => {
    const start = await topicEnd(brokers, channel);
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      type: 'COMMISSION',
      items: [pack(`M${i}`)],
      lot: 'L1',
      expiry: '271231',
    }));
    const res = await postEvents(url, acme.scannerKey, many);
    expect(res.status).toBe(202);
    expect(new Set(res.body.eventIds).size).toBe(10_000);
    const big = await postEvents(url, acme.scannerKey, [
      { type: 'COMMISSION', items: many.map((_, i) => pack(`BIG${i}`)), lot: 'L1', expiry: '271231' },
      { type: 'DECOMMISSION', items: many.map((_, i) => pack(`BIG${i}`)), reason: 'damaged' },
    ]);
    expect(big.status).toBe(202);
    const records = await readTopic(brokers, channel, start);
    expect(records).toHaveLength(10_002);
    expect(records.slice(0, 10_000).map((r) => r.key)).toEqual(res.body.eventIds);
    const registry = genesisRegistry([acme, other]);
    const last = verifyRecord(registry, records[10_001]!.value);
    expect(last.type).toBe('DECOMMISSION');
    expect('items' in last && last.items).toHaveLength(10_000);
    expect(records[10_000]!.value.length).toBeGreaterThan(400_000);
  });

  it('answers GET /v1/events/{id}: PENDING until the ledger has it, then the ledger’s state', async () => {
    const res = await postEvents(url, acme.scannerKey, [
      { type: 'RECALL', eventId: 'st-1', gtin: GTIN, lot: 'L9', reason: 'r' },
    ]);
    expect(res.status).toBe(202);
    expect((await getJson(url, '/v1/events/st-1', acme.scannerKey)).body).toEqual({
      eventId: 'st-1',
      state: 'PENDING',
    });
    folded.set('st-1', { eventId: 'st-1', state: 'ACCEPTED', index: 42, extra: 'dropped' });
    expect((await getJson(url, '/v1/events/st-1', acme.scannerKey)).body).toEqual({
      eventId: 'st-1',
      state: 'ACCEPTED',
      index: 42,
    });
    // The ledger's shape of a rejection reason, relayed as is.
    const reason = { code: 'ROLE_NOT_ENTITLED', message: 'RECALL needs role MANUFACTURER' };
    folded.set('st-2', { eventId: 'st-2', state: 'REJECTED', reason });
    expect((await getJson(url, '/v1/events/st-2', acme.scannerKey)).body).toEqual({
      eventId: 'st-2',
      state: 'REJECTED',
      reason,
    });
    expect((await getJson(url, '/v1/events/never-seen', acme.scannerKey)).status).toBe(404);
    expect((await getJson(url, '/v1/events/bad%20id', acme.scannerKey)).status).toBe(400);
    expect(ledger.requests.at(-1)?.url.pathname).toBe('/v1/events/never-seen');
  });

  it('hides another party’s events: 404 without asking the ledger', async () => {
    const mine = await postEvents(url, acme.scannerKey, [
      { type: 'RECALL', eventId: 'own-1', gtin: GTIN, lot: 'L8', reason: 'r' },
    ]);
    expect(mine.status).toBe(202);
    const asked = ledger.requests.length;
    expect((await getJson(url, '/v1/events/own-1', other.scannerKey)).status).toBe(404);
    expect(ledger.requests.length).toBe(asked);
  });

  it('serves /readyz and Prometheus metrics for requests, events, publish latency and batch sizes', async () => {
    expect((await getJson(url, '/readyz')).status).toBe(200);
    expect((await getJson(url, '/no/such/route')).status).toBe(404);
    const metrics = (await getJson(url, '/metrics')).body as string;
    expect(metrics).toMatch(/gateway_events_published_total\{type="COMMISSION",service="manufacturer"\} \d+/);
    expect(metrics).toMatch(/gateway_events_replayed_total\{service="manufacturer"\} [1-9]/);
    expect(metrics).toMatch(/gateway_publish_duration_seconds_count\{[^}]*outcome="acked"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/gateway_batch_events_bucket\{le="10000",service="manufacturer"\} [1-9]/);
    expect(metrics).toMatch(
      /http_requests_total\{route="\/v1\/events",method="POST",status="202",service="manufacturer"\}/,
    );
    expect(metrics).toMatch(/http_requests_total\{route="\/v1\/events",method="POST",status="409"/);
    expect(metrics).toMatch(/http_requests_total\{route="unmatched",method="GET",status="404"/);
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/readyz",method="GET"[^}]*\} [1-9]/,
    );
  });
});
