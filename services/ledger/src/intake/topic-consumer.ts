import type { Logger } from '@rxledger/runtime';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { ConsumedRecord } from './precheck.ts';
import { createSliceQueue } from './slice-queue.ts';

export interface TopicConsumerOptions<P = undefined> {
  kafka: Kafka;
  topic: string;
  /** A group of this node alone; offsets are never committed to it (DESIGN §6). */
  groupId: string;
  /** The node's own stored position: where to (re)start after a join, a rebalance or a failed batch. */
  position: () => number;
  /**
   * Work on a batch that runs while earlier batches are being handled (signature checks on worker
   * threads); its result is handed to onBatch. It must not throw.
   */
  prepare?: (records: ConsumedRecord[]) => Promise<P>;
  /**
   * Handles one batch; it MUST have made the batch durable before it returns. A batch that throws is
   * read again from position(), except on an InvariantViolation, which is left to end the process.
   */
  onBatch: (records: ConsumedRecord[], prepared: P | undefined) => Promise<void> | void;
  log: Logger;
  /** Records folded and committed together at most (default 1,000). */
  maxBatch?: number;
  /** Records fetched but not yet handled at most, before fetching waits (default 4 x maxBatch). */
  maxQueued?: number;
  /** Pause before reading again from position() after onBatch failed (default 1,000 ms). */
  retryDelayMs?: number;
}

/**
 * Reads the single partition of `topic` from the node's stored position. Fetching and handling run
 * apart: each fetched batch is cut into slices whose `prepare` starts at once, and a handling loop
 * takes the slices in offset order, so the next records' signatures are checked while the current
 * ones are folded, across fetches too. At most `maxQueued` records wait; then fetching waits.
 *
 * The queue always continues the handled records without a gap. Whenever it is dropped (a group join,
 * a failed batch) the consumer seeks back to `position()`; records below it come again and are
 * skipped by the fold. kafkajs' group offsets are never trusted (its rebalancing has known bugs).
 */
export function createTopicConsumer<P>(opts: TopicConsumerOptions<P>): {
  start(): Promise<void>;
  stop(): Promise<void>;
} {
  const size = opts.maxBatch ?? 1_000;
  let consumer: Consumer | undefined;
  const seekToPosition = () => {
    consumer?.seek({ topic: opts.topic, partition: 0, offset: String(opts.position()) });
  };
  const queue = createSliceQueue<P>({
    onBatch: opts.onBatch,
    reread: seekToPosition,
    log: opts.log,
    maxQueued: opts.maxQueued ?? 4 * size,
    retryDelayMs: opts.retryDelayMs ?? 1_000,
  });

  return {
    async start() {
      queue.resume();
      const c = newConsumer(opts.kafka, opts.groupId);
      consumer = c;
      c.on(c.events.GROUP_JOIN, () => {
        queue.drop();
        seekToPosition();
      });
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
          const records = consumedRecords(batch.messages);
          // Slices bound the work a crash can throw away and the delay before a scanner sees its
          // event land.
          for (let i = 0; i < records.length; i += size) {
            while (queue.full() && isRunning() && !isStale() && !queue.stopping) {
              await queue.room();
              await heartbeat();
            }
            if (!isRunning() || isStale() || queue.stopping) return;
            const slice = records.slice(i, i + size);
            const prepared = opts.prepare?.(slice);
            // Awaited in turn by the handling loop; a slice dropped before that must not leave an
            // unhandled rejection behind.
            prepared?.catch(() => {});
            queue.push({ records: slice, prepared });
            // Only kafkajs' own fetch position: the node's position is what the fold committed.
            resolveOffset(String(slice[slice.length - 1]!.offset));
          }
          await heartbeat();
        },
      });
      // kafkajs may not have set up the group yet when run() returns; then the GROUP_JOIN handler
      // above does this seek once it has.
      try {
        seekToPosition();
      } catch (err) {
        opts.log.debug({ err }, 'seek deferred to the group join');
      }
    },
    async stop() {
      queue.halt();
      await consumer?.disconnect();
      consumer = undefined;
      // The slice being handled finishes (it commits or it does not); the rest is dropped.
      await queue.settle();
    },
  };
}

/** A consumer of the node's own group: it never commits offsets and retries a lost broker for ever. */
function newConsumer(kafka: Kafka, groupId: string): Consumer {
  return kafka.consumer({
    groupId,
    maxWaitTimeInMs: 50,
    minBytes: 1,
    maxBytes: 4 * 1024 * 1024,
    maxBytesPerPartition: 4 * 1024 * 1024,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
}

/** kafkajs' messages as the intake reads them: values as views over the fetched bytes, never copies. */
function consumedRecords(messages: KafkaMessage[]): ConsumedRecord[] {
  return messages.map((m) => ({
    offset: Number(m.offset),
    value: m.value === null ? null : new Uint8Array(m.value.buffer, m.value.byteOffset, m.value.byteLength),
    timestamp: Number(m.timestamp),
  }));
}
