import type { Logger } from '@rxledger/runtime';
import type { Consumer, Kafka } from 'kafkajs';
import type { ConsumedRecord } from '../fold/check-record.ts';

export interface TopicConsumerOptions<P = undefined> {
  kafka: Kafka;
  topic: string;
  /** A group of this node alone; offsets are never committed to it (DESIGN §6). */
  groupId: string;
  /** The node's own stored position: where to (re)start after a join or rebalance. */
  position: () => number;
  /**
   * Work on a batch that may run while the previous batch is being handled (signature checks on
   * worker threads); its result is handed to onBatch.
   */
  prepare?: (records: ConsumedRecord[]) => Promise<P>;
  /** Handles one batch; it MUST have made the batch durable before it returns. */
  onBatch: (records: ConsumedRecord[], prepared: P | undefined) => Promise<void> | void;
  log: Logger;
  /** Records folded and committed together at most (default 1,000). */
  maxBatch?: number;
}

/**
 * Reads the single partition of `topic` from the node's stored position. kafkajs' group offsets are
 * not trusted (its rebalancing has known bugs): after every group join the consumer seeks back to
 * `position()`, and records below it are skipped by the fold.
 */
export function createTopicConsumer<P>(opts: TopicConsumerOptions<P>): {
  start(): Promise<void>;
  stop(): Promise<void>;
} {
  let consumer: Consumer | undefined;
  return {
    async start() {
      const c = opts.kafka.consumer({
        groupId: opts.groupId,
        maxWaitTimeInMs: 50,
        minBytes: 1,
        maxBytes: 16 * 1024 * 1024,
        maxBytesPerPartition: 8 * 1024 * 1024,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
      });
      consumer = c;
      const seek = () => c.seek({ topic: opts.topic, partition: 0, offset: String(opts.position()) });
      c.on(c.events.GROUP_JOIN, () => seek());
      c.on(c.events.CRASH, (e) =>
        opts.log.error({ err: e.payload.error }, 'consumer crashed; kafkajs restarts it'),
      );
      await c.connect();
      await c.subscribe({ topic: opts.topic, fromBeginning: true });
      await c.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          if (!isRunning() || isStale() || batch.messages.length === 0) return;
          const records: ConsumedRecord[] = batch.messages.map((m) => ({
            offset: Number(m.offset),
            value:
              m.value === null
                ? null
                : new Uint8Array(m.value.buffer, m.value.byteOffset, m.value.byteLength),
            timestamp: Number(m.timestamp),
          }));
          // A fetch can hold tens of thousands of records; committing them in slices bounds the
          // work a crash can throw away and the delay before a scanner sees its event land.
          const size = opts.maxBatch ?? 1_000;
          const slices: ConsumedRecord[][] = [];
          for (let i = 0; i < records.length; i += size) slices.push(records.slice(i, i + size));
          const prepare = (slice: ConsumedRecord[] | undefined) =>
            slice && opts.prepare ? opts.prepare(slice) : undefined;
          let next = prepare(slices[0]);
          for (let i = 0; i < slices.length && isRunning() && !isStale(); i++) {
            const prepared = await next;
            next = prepare(slices[i + 1]);
            const slice = slices[i]!;
            await opts.onBatch(slice, prepared);
            resolveOffset(String(slice[slice.length - 1]!.offset));
            await heartbeat();
          }
          // A prepared slice left over when the consumer stops is simply dropped.
          await next?.catch(() => {});
        },
      });
      // kafkajs may not have set up the group yet when run() returns; then the GROUP_JOIN handler
      // above does this seek once it has.
      try {
        seek();
      } catch (err) {
        opts.log.debug({ err }, 'seek deferred to the group join');
      }
    },
    async stop() {
      await consumer?.disconnect();
      consumer = undefined;
    },
  };
}
