import type { Admin } from 'kafkajs';
import { KafkaSetupError } from './kafka-setup-error.ts';

/**
 * The most a record's CreateTime may differ from the broker's clock, either way, on a CreateTime topic.
 * Ledgers judge key validity and eventTime by the record's timestamp (DESIGN §3), so a producer that
 * could set it freely could backdate a revoked key's records.
 */
export const MAX_CREATE_TIME_SKEW_MS = 5 * 60_000;

// kafkajs' ConfigResourceTypes.TOPIC: Node's ESM loader cannot see that CommonJS export of kafkajs.
const TOPIC_RESOURCE = 2;

// Kafka's "unbounded" default for the timestamp bounds (Long.MAX_VALUE).
const UNBOUNDED = '9223372036854775807';

/**
 * Everything about `topic` that breaks what the ledger relies on, one sentence each; empty when it
 * is fit: exactly one partition (one total order), every record kept forever (retention.ms and
 * retention.bytes -1, cleanup.policy delete: ledgers rebuild from offset 0, and compaction would drop
 * records that share a key), and a broker-trusted timestamp (LogAppendTime, or CreateTime bounded
 * both ways by MAX_CREATE_TIME_SKEW_MS).
 */
export async function checkCustodyTopic(admin: Admin, topic: string): Promise<string[]> {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = metadata.topics[0]?.partitions.length ?? 0;
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: TOPIC_RESOURCE, name: topic }],
  });
  const config = new Map((resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
  const problems: string[] = [];
  if (partitions !== 1) {
    problems.push(`${topic} has ${partitions} partitions; a custody channel must have exactly 1`);
  }
  for (const name of ['retention.ms', 'retention.bytes']) {
    const value = config.get(name);
    if (value !== '-1') problems.push(`${name} is ${value ?? 'not set'}; it must be -1 (keep every record)`);
  }
  const cleanup = config.get('cleanup.policy');
  if (cleanup !== 'delete') {
    problems.push(`cleanup.policy is ${cleanup ?? 'not set'}; it must be delete (compaction drops records)`);
  }
  const timestampProblem = timestampTypeProblem(config);
  if (timestampProblem) problems.push(timestampProblem);
  return problems;
}

function timestampTypeProblem(config: Map<string, string>): string | undefined {
  const type = config.get('message.timestamp.type');
  if (type === 'LogAppendTime') return undefined;
  if (type !== 'CreateTime')
    return `message.timestamp.type is ${type ?? 'not set'}; it must be LogAppendTime`;
  // Kafka 3.6+ has before/after bounds; while one is left at its default, the broker applies the
  // older message.timestamp.difference.max.ms in its place (gone in Kafka 4).
  const bound = (name: string): number | undefined => {
    const own = config.get(name);
    const value =
      own === undefined || own === UNBOUNDED ? config.get('message.timestamp.difference.max.ms') : own;
    return value === undefined || value === UNBOUNDED ? undefined : Number(value);
  };
  const loose = ['before', 'after'].filter((side) => {
    const ms = bound(`message.timestamp.${side}.max.ms`);
    return ms === undefined || ms > MAX_CREATE_TIME_SKEW_MS;
  });
  if (loose.length === 0) return undefined;
  return (
    `message.timestamp.type is CreateTime and message.timestamp.${loose.join('/')}.max.ms lets producers ` +
    `set timestamps more than ${MAX_CREATE_TIME_SKEW_MS} ms from the broker's clock; use LogAppendTime, or ` +
    `bound both message.timestamp.before.max.ms and message.timestamp.after.max.ms to ${MAX_CREATE_TIME_SKEW_MS}`
  );
}

/** The error a service stops with when checkCustodyTopic found problems: all of them, and how to fix them. */
export function custodyTopicError(topic: string, problems: string[]): KafkaSetupError {
  return new KafkaSetupError(
    `the custody topic ${topic} is not fit to be a ledger's source of truth:\n` +
      `${problems.map((p) => `  - ${p}`).join('\n')}\n` +
      `fix it with kafka-configs.sh --alter --entity-type topics --entity-name ${topic} --add-config ` +
      `retention.ms=-1,retention.bytes=-1,cleanup.policy=delete,message.timestamp.type=LogAppendTime ` +
      '(a wrong partition count needs a new channel)',
  );
}

/** Throws custodyTopicError when checkCustodyTopic finds anything wrong with `topic`. */
export async function assertCustodyTopic(admin: Admin, topic: string): Promise<void> {
  const problems = await checkCustodyTopic(admin, topic);
  if (problems.length > 0) throw custodyTopicError(topic, problems);
}
