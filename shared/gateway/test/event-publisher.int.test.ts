// What the publisher tells its caller of each record, against the real broker: a call whose first
// produce request Kafka took and whose second it refused rejects, and still says which records were
// taken, so that the gateway never signs those again (sign-batch.ts).
import { randomBytes } from 'node:crypto';
import { createKafkaClient } from '@rxledger/kafka';
import { createLogger, UnavailableError } from '@rxledger/runtime';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createEventPublisher } from '../src/event-publisher.ts';

describe('createEventPublisher', () => {
  const brokers = inject('kafkaBrokers');
  const kafka = createKafkaClient({ brokers, clientId: 'publisher-test' });
  const admin = kafka.admin();
  afterAll(() => admin.disconnect());

  it('reports each record Kafka acknowledged, though a later request of the same call was refused', async () => {
    const topic = `publisher-acks-${randomBytes(4).toString('hex')}`;
    await admin.connect();
    // A record batch above 1,000 bytes is refused by the broker, before anything of it is stored.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '1000' }] }],
    });
    const publisher = createEventPublisher({
      kafka,
      topic,
      log: createLogger({ service: 'publisher-test', level: 'silent' }),
      timeoutMs: 20_000,
      // One record per produce request: the small one is taken, the large one refused.
      maxBatchBytes: 1,
    });
    const acked: string[] = [];
    const record = (key: string, bytes: number) => ({
      key,
      value: Buffer.alloc(bytes, 1),
      onAcked: () => acked.push(key),
    });
    try {
      const outcome = await publisher.publish([record('small', 100), record('large', 5_000)]).then(
        () => 'resolved',
        (err: unknown) => err,
      );
      expect(outcome).toBeInstanceOf(UnavailableError);
      expect(acked).toEqual(['small']);
      const [offsets] = await admin.fetchTopicOffsets(topic);
      expect(offsets?.high).toBe('1');
    } finally {
      await publisher.close();
    }
  }, 60_000);
});
