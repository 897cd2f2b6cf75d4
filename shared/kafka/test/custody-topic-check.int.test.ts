import { randomBytes } from 'node:crypto';
import type { Admin, ITopicConfig } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  checkCustodyTopic,
  createKafkaClient,
  custodyTopicName,
  ensureCustodyTopic,
  setupCustodyTopic,
} from '../src/index.ts';

describe('custody topic settings', () => {
  let admin: Admin;
  const channel = () => `chk-${randomBytes(4).toString('hex')}`;
  const create = async (configEntries: ITopicConfig['configEntries'], numPartitions = 1) => {
    const topic = custodyTopicName(channel());
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions, configEntries }] });
    return topic;
  };

  beforeAll(async () => {
    admin = createKafkaClient({ brokers: inject('kafkaBrokers'), clientId: 'topic-check-test' }).admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('finds nothing wrong with the topic ensureCustodyTopic creates', async () => {
    const topic = await ensureCustodyTopic(admin, {
      channel: channel(),
      replicationFactor: 1,
      minInsyncReplicas: 1,
    });
    expect(await checkCustodyTopic(admin, topic)).toEqual([]);
  });

  it('names every setting that would lose, trim or misorder records, or let producers choose timestamps', async () => {
    const topic = await create(
      [
        { name: 'retention.ms', value: '604800000' },
        { name: 'retention.bytes', value: '1073741824' },
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'message.timestamp.type', value: 'CreateTime' },
      ],
      2,
    );
    const problems = await checkCustodyTopic(admin, topic);
    expect(problems).toEqual([
      `${topic} has 2 partitions; a custody channel must have exactly 1`,
      'retention.ms is 604800000; it must be -1 (keep every record)',
      'retention.bytes is 1073741824; it must be -1 (keep every record)',
      'cleanup.policy is compact; it must be delete (compaction drops records)',
      expect.stringMatching(
        /^message\.timestamp\.type is CreateTime and message\.timestamp\.before\/after\.max\.ms lets producers/,
      ),
    ]);
  });

  it('takes CreateTime only when the broker bounds record timestamps both ways to 5 minutes', async () => {
    const bounded = await create([
      { name: 'message.timestamp.type', value: 'CreateTime' },
      { name: 'message.timestamp.before.max.ms', value: '300000' },
      { name: 'message.timestamp.after.max.ms', value: '60000' },
      { name: 'retention.ms', value: '-1' },
      { name: 'retention.bytes', value: '-1' },
    ]);
    expect(await checkCustodyTopic(admin, bounded)).toEqual([]);

    const backdatable = await create([
      { name: 'message.timestamp.type', value: 'CreateTime' },
      { name: 'message.timestamp.after.max.ms', value: '60000' },
      { name: 'retention.ms', value: '-1' },
      { name: 'retention.bytes', value: '-1' },
    ]);
    expect(await checkCustodyTopic(admin, backdatable)).toEqual([
      expect.stringMatching(
        /CreateTime and message\.timestamp\.before\.max\.ms lets producers set timestamps more than 300000 ms/,
      ),
    ]);
  });

  it('setupCustodyTopic refuses an existing unfit topic, listing what to fix', async () => {
    const name = channel();
    const kafka = createKafkaClient({ brokers: inject('kafkaBrokers'), clientId: 'topic-check-setup' });
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: custodyTopicName(name), configEntries: [{ name: 'retention.ms', value: '86400000' }] },
      ],
    });
    await expect(
      setupCustodyTopic(kafka, { channel: name, replicationFactor: 1, minInsyncReplicas: 1 }),
    ).rejects.toThrow(
      /not fit to be a ledger's source of truth:\n {2}- retention\.ms is 86400000[^]*--add-config retention\.ms=-1/,
    );
  });
});
