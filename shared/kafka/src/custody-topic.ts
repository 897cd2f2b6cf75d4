import { retry } from '@rxledger/runtime';
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
  if (!existing.includes(topic)) await createCustodyTopic(admin, topic, opts);
  await whileNotYetHosted(() => assertCustodyTopic(admin, topic), 30_000);
  return topic;
}

// On a multi-broker KRaft cluster kafkajs asks the broker that took createTopics for the new topic's
// metadata; a broker that has not applied the creation yet answers this, though the topic exists.
const NOT_YET_HOSTED = /does not host this topic-partition|UNKNOWN_TOPIC_OR_PARTITION/i;
const TOPIC_EXISTS = /already exists|TOPIC_ALREADY_EXISTS/i;

async function createCustodyTopic(admin: Admin, topic: string, opts: CustodyTopicOptions): Promise<void> {
  try {
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
  } catch (err) {
    // Created meanwhile by another node's setup, or created but not yet known to the broker asked.
    const message = String((err as Error).message);
    if (!NOT_YET_HOSTED.test(message) && !TOPIC_EXISTS.test(message)) throw err;
  }
  await waitForLeader(admin, topic, 30_000);
}

/** Waits, boundedly, until the metadata the admin reads gives the topic's partition a leader. */
async function waitForLeader(admin: Admin, topic: string, timeoutMs: number): Promise<void> {
  const led = await whileNotYetHosted(async () => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return (topics[0]?.partitions[0]?.leader ?? -1) >= 0;
  }, timeoutMs);
  if (!led)
    throw new KafkaSetupError(`topic ${topic} was created but has no partition leader after ${timeoutMs} ms`);
}

/**
 * Runs `step` until it returns anything but false, again while a broker answers that it does not host
 * the new topic yet, every 200 ms for at most `timeoutMs`; then the last answer (or error) stands.
 */
async function whileNotYetHosted<T>(step: () => Promise<T>, timeoutMs: number): Promise<T | false> {
  const notYet = new Error('not yet');
  try {
    return await retry(
      async () => {
        const result = await step();
        if (result === false) throw notYet;
        return result;
      },
      {
        attempts: Number.POSITIVE_INFINITY,
        baseDelayMs: 200,
        maxDelayMs: 200,
        jitter: 'none',
        timeoutMs,
        retryable: (err) => err === notYet || NOT_YET_HOSTED.test(String((err as Error).message)),
      },
    );
  } catch (err) {
    if (err === notYet) return false;
    throw err;
  }
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
