import type { Admin, Kafka } from 'kafkajs';
import { assertCustodyTopic } from './custody-topic-check.ts';
import { KafkaSetupError } from './kafka-setup-error.ts';

export interface CustodyTopicOptions {
  /** Channel name; each channel is one single-partition topic and so one total order. */
  channel: string;
  /** 1 on a single broker; 3 in production. */
  replicationFactor: number;
  /** With acks=all, how many replicas must hold a record before it is acknowledged. */
  minInsyncReplicas: number;
}

const CHANNEL = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The topic that carries a channel's signed custody events. */
export function custodyTopicName(channel: string): string {
  if (!CHANNEL.test(channel)) {
    throw new KafkaSetupError(`channel: '${channel}' must be 1-63 lowercase letters, digits or '-'`);
  }
  return `rxledger.custody.${channel}`;
}

/**
 * Creates the channel's topic if it is missing: one partition (the total order every ledger node
 * folds), unlimited retention (the topic is the source of truth; ledgers rebuild from offset 0).
 * An existing topic that checkCustodyTopic finds unfit (more than one partition, limited retention,
 * compaction, producer-chosen timestamps) is refused rather than silently misordered or trimmed.
 */
export async function ensureCustodyTopic(admin: Admin, opts: CustodyTopicOptions): Promise<string> {
  const topic = custodyTopicName(opts.channel);
  const existing = await admin.listTopics();
  if (!existing.includes(topic)) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 1,
          replicationFactor: opts.replicationFactor,
          configEntries: [
            { name: 'retention.ms', value: '-1' },
            { name: 'retention.bytes', value: '-1' },
            { name: 'cleanup.policy', value: 'delete' },
            { name: 'min.insync.replicas', value: String(opts.minInsyncReplicas) },
            { name: 'unclean.leader.election.enable', value: 'false' },
            { name: 'message.timestamp.type', value: 'LogAppendTime' },
          ],
        },
      ],
    });
  }
  await assertCustodyTopic(admin, topic);
  return topic;
}

/** Connects an admin client just long enough to ensure the channel's topic exists. */
export async function setupCustodyTopic(kafka: Kafka, opts: CustodyTopicOptions): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await ensureCustodyTopic(admin, opts);
  } finally {
    await admin.disconnect();
  }
}
