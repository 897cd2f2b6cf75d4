import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createIdempotentProducer,
  createKafkaClient,
  custodyTopicName,
  ensureCustodyTopic,
} from '../src/index.ts';

describe('custody topic on a real broker', () => {
  let kafka: Kafka;
  const channel = `t-${randomBytes(4).toString('hex')}`;

  beforeAll(() => {
    kafka = createKafkaClient({ brokers: inject('kafkaBrokers'), clientId: 'custody-topic-test' });
  });

  it('is created with one partition and unlimited retention, and creation is idempotent', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const opts = { channel, replicationFactor: 1, minInsyncReplicas: 1 };
      const topic = await ensureCustodyTopic(admin, opts);
      expect(await ensureCustodyTopic(admin, opts)).toBe(topic);
      const [resource] = (
        await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic }] })
      ).resources;
      const config = Object.fromEntries(resource!.configEntries.map((e) => [e.configName, e.configValue]));
      expect(config['retention.ms']).toBe('-1');
      expect(config['retention.bytes']).toBe('-1');
      expect(config['min.insync.replicas']).toBe('1');
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses a channel topic with more than one partition', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const bad = `t-${randomBytes(4).toString('hex')}`;
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: custodyTopicName(bad), numPartitions: 2 }],
      });
      await expect(
        ensureCustodyTopic(admin, { channel: bad, replicationFactor: 1, minInsyncReplicas: 1 }),
      ).rejects.toThrow(/has 2 partitions; a custody channel must have exactly 1/);
    } finally {
      await admin.disconnect();
    }
  });

  it('gives back, in order, every record an idempotent acks=all producer had acknowledged', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const topic = await ensureCustodyTopic(admin, { channel, replicationFactor: 1, minInsyncReplicas: 1 });
    await admin.disconnect();

    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    const sent: Buffer[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const values = Array.from({ length: 200 }, () => randomBytes(300));
      const acks = await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
      expect(acks[0]?.errorCode).toBe(0);
      sent.push(...values);
    }
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `g-${channel}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: Buffer[] = [];
    const offsets: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            received.push(message.value!);
            offsets.push(message.offset);
            if (received.length === sent.length) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();

    expect(received.length).toBe(sent.length);
    expect(received.every((value, i) => value.equals(sent[i]!))).toBe(true);
    expect(offsets).toEqual(sent.map((_, i) => String(i)));
  });
});
