import { createKafkaClient, custodyTopicName } from '@rxledger/kafka';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Gateway, PartnerProfile } from '../src/gateway.ts';
import {
  freshChannel,
  getJson,
  makeParties,
  pack,
  postEvents,
  startGateway,
  topicEnd,
} from './support/harness.ts';

const profile: PartnerProfile = { name: 'manufacturer', defaultPort: 0, acceptTypes: ['COMMISSION'] };
const MINUTE = 60_000;

describe("a gateway and the broker's clock", () => {
  const brokers = inject('kafkaBrokers');
  let made: Awaited<ReturnType<typeof makeParties>>;
  let gateway: Gateway | undefined;
  let n = 0;
  const commission = (extra: object = {}) => {
    n += 1;
    return { type: 'COMMISSION', items: [pack(`K${n}`)], lot: 'L', expiry: '281231', ...extra };
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    made = await makeParties(['manufacturer']);
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
  });
  afterAll(() => made.cleanup());

  const start = async (channel: string, skewMs: number, onFatal?: (err: Error) => void) => {
    const started = await startGateway(profile, {
      brokers,
      channel,
      parties: [made.parties.manufacturer!.config],
      now: () => Date.now() + skewMs,
      publishTimeoutMs: 5_000,
      ...(onFatal ? { onFatal } : {}),
    });
    gateway = started.gateway;
    return started.url;
  };
  const post = (url: string, events: unknown[]) =>
    postEvents(url, made.parties.manufacturer!.scannerKey, events);

  it('refuses with 503 once it learns its clock runs 10 minutes ahead of the broker, publishing nothing more', async () => {
    const channel = await freshChannel(brokers, 'clk');
    const url = await start(channel, 10 * MINUTE);
    // The first batch, dated by the scanner, teaches the gateway the broker's clock.
    expect((await post(url, [commission({ eventTime: iso(Date.now()) })])).status).toBe(202);
    const end = await topicEnd(brokers, channel);

    const res = await post(url, [commission()]);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(JSON.stringify(res.body)).toMatch(/clock runs (59\d|60\d) s ahead of the Kafka broker's/);
    expect(await topicEnd(brokers, channel)).toBe(end);
  });

  it("refuses with 400 an eventTime over 5 minutes ahead of the broker's clock that its own clock would let through", async () => {
    const channel = await freshChannel(brokers, 'clk');
    const url = await start(channel, 3 * MINUTE);
    expect((await post(url, [commission()])).status).toBe(202);
    const end = await topicEnd(brokers, channel);

    // 7 minutes ahead of the broker: within 5 minutes of this gateway's clock, beyond the ledger's bound.
    const res = await post(url, [
      commission({ eventTime: iso(Date.now()) }),
      commission({ eventTime: iso(Date.now() + 7 * MINUTE) }),
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        index: 1,
        field: 'eventTime',
        reason: expect.stringMatching(
          /^is (41\d|42\d) s ahead of the Kafka broker's clock; at most 5 minutes are tolerated$/,
        ),
      },
    ]);
    expect(await topicEnd(brokers, channel)).toBe(end);
    // Its own "now" is still fine: 3 minutes ahead is within the bound.
    expect((await post(url, [commission()])).status).toBe(202);
  });

  it('refuses to publish to a topic with limited retention, says why, and reports itself unfit to run', async () => {
    const channel = `clk-trim-${n}-${Date.now() % 100000}`;
    const admin = createKafkaClient({ brokers, clientId: 'clock-test' }).admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: custodyTopicName(channel), configEntries: [{ name: 'retention.ms', value: '3600000' }] },
      ],
    });
    await admin.disconnect();
    let fatal: Error | undefined;
    const url = await start(channel, 0, (err) => {
      fatal = err;
    });
    const res = await post(url, [commission()]);
    expect(res.status).toBe(503);
    expect(JSON.stringify(res.body)).toMatch(/retention\.ms is 3600000; it must be -1/);
    expect(fatal?.message).toMatch(/is not fit to be a ledger's source of truth/);
    const ready = await getJson(url, '/readyz');
    expect(ready.status).toBe(503);
    expect(await topicEnd(brokers, channel)).toBe(0);
  });
});
