import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
// Not part of @rxledger/kafka's public face: only tests own a broker they stop and restart.
import { type LocalBroker, startLocalBroker } from '../../kafka/src/local-broker.ts';
import type { Gateway, PartnerProfile } from '../src/gateway.ts';
import {
  freshChannel,
  genesisRegistry,
  getJson,
  makeParties,
  pack,
  postEvents,
  readTopic,
  startGateway,
  verifyRecord,
} from './support/harness.ts';

const profile: PartnerProfile = { name: 'manufacturer', defaultPort: 0, acceptTypes: ['COMMISSION'] };
const PUBLISH_TIMEOUT_MS = 3_000;

// This test stops and restarts a broker, so it owns one instead of sharing the run's broker.
describe('a broker that goes away and comes back', () => {
  let dataDir: string | undefined;
  let broker: LocalBroker | undefined;
  let gateway: Gateway | undefined;
  let cleanup: (() => Promise<void>) | undefined;

  const startBroker = (dir: string) =>
    startLocalBroker({
      version: inject('kafkaVersion'),
      cacheDir: join(homedir(), '.cache', 'rxledger'),
      dataDir: dir,
      heap: '512m',
      onProgress: () => {},
    });

  afterAll(async () => {
    await gateway?.stop();
    await broker?.stop();
    await cleanup?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('gives 503 with Retry-After and no false 202 while it is down, and publishes again once it is back', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rxledger-outage-'));
    broker = await startBroker(dataDir);
    const brokers = broker.brokers;
    const channel = await freshChannel(brokers, 'outage');
    const made = await makeParties(['manufacturer']);
    cleanup = made.cleanup;
    const acme = made.parties.manufacturer!;
    let url: string;
    ({ url, gateway } = await startGateway(profile, {
      brokers,
      channel,
      parties: [acme.config],
      publishTimeoutMs: PUBLISH_TIMEOUT_MS,
    }));

    let n = 0;
    const batch = (size: number) =>
      Array.from({ length: size }, () => {
        n += 1;
        return {
          type: 'COMMISSION',
          eventId: `out-${n}`,
          items: [pack(`O${n}`)],
          lot: 'L1',
          expiry: '271231',
        };
      });
    const acknowledged = new Set<string>();
    const post = async (events: unknown[]) => {
      const res = await postEvents(url, acme.scannerKey, events);
      if (res.status === 202) for (const id of res.body.eventIds) acknowledged.add(id);
      return res;
    };

    expect((await post(batch(50))).status).toBe(202);

    await broker.stop();
    const during = [batch(20), batch(20), batch(1)];
    const answers = await Promise.all(during.map(post));
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.body.error).toMatchObject({ code: 'UNAVAILABLE', retriable: true });
    }
    expect((await getJson(url, '/readyz')).status).toBe(503);

    broker = await startBroker(dataDir);
    expect(broker.brokers).toEqual(brokers);

    // The same service, not restarted, takes events again once the broker is back.
    const deadline = Date.now() + 60_000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      const res = await post(batch(10));
      recovered = res.status === 202;
      if (!recovered) {
        expect(res.status).toBe(503);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    expect(recovered).toBe(true);
    // The scanners retry what got a 503: same ids back, and the same signed bytes.
    for (const events of during) {
      const res = await post(events);
      expect(res.status).toBe(202);
      expect(res.body.eventIds).toEqual(events.map((e) => e.eventId));
    }

    const records = await readTopic(brokers, channel);
    const registry = genesisRegistry([acme]);
    const byId = new Map<string, Buffer[]>();
    for (const r of records) {
      const event = verifyRecord(registry, r.value);
      expect(r.key).toBe(event.eventId);
      byId.set(r.key, [...(byId.get(r.key) ?? []), r.value]);
    }
    for (const id of acknowledged) {
      const copies = byId.get(id);
      expect(copies, `acknowledged ${id} is on the topic`).toBeDefined();
      for (const copy of copies!) expect(copy.equals(copies![0]!)).toBe(true);
    }
    // Everything acknowledged arrived; what arrived was all acknowledged in the end (the retries).
    expect([...byId.keys()].sort()).toEqual([...acknowledged].sort());
  }, 180_000);
});
