import { InvariantViolation, type Logger } from '@rxledger/runtime';
import type { Consumer, Kafka } from 'kafkajs';
import type { ConsumedRecord } from './precheck.ts';

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

interface Slice<P> {
  records: ConsumedRecord[];
  prepared: Promise<P> | undefined;
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
  const maxQueued = opts.maxQueued ?? 4 * size;
  let consumer: Consumer | undefined;
  let queue: Slice<P>[] = [];
  let queued = 0;
  let handling: Promise<void> | undefined;
  let stopping = false;
  // Wakes a fetch that waits for room in the queue.
  let roomMade: (() => void) | undefined;
  // Waits until the handling loop makes room, or a second passes (the fetch then heartbeats).
  const room = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1_000);
      roomMade = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      roomMade = undefined;
    });

  const drop = () => {
    queue = [];
    queued = 0;
    roomMade?.();
  };
  const seekToPosition = () => {
    consumer?.seek({ topic: opts.topic, partition: 0, offset: String(opts.position()) });
  };

  const handle = async () => {
    while (queue.length > 0 && !stopping) {
      const slice = queue[0]!;
      try {
        const prepared = await slice.prepared;
        // A drop while waiting: the slice is gone, and so is everything after it.
        if (queue[0] !== slice) continue;
        await opts.onBatch(slice.records, prepared);
      } catch (err) {
        // Reading the batch again cannot mend a broken invariant: it surfaces as an unhandled
        // rejection, and the process-level handler ends the process (runtime's lifecycle.ts).
        if (err instanceof InvariantViolation) throw err;
        opts.log.error(
          { err, offset: slice.records[0]!.offset },
          'handling a batch failed; reading again from the stored position',
        );
        // In one step: no slice fetched before the seek can be queued after the drop (kafkajs
        // marks the running batch stale at once), so the queue stays gap-free.
        drop();
        seekToPosition();
        await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 1_000));
        return;
      }
      if (queue[0] === slice) {
        queue.shift();
        queued -= slice.records.length;
        roomMade?.();
      }
    }
  };
  const handleQueue = () => {
    handling ??= handle().finally(() => {
      handling = undefined;
      // Slices queued while the loop was finishing.
      if (queue.length > 0 && !stopping) handleQueue();
    });
  };

  return {
    async start() {
      stopping = false;
      const c = opts.kafka.consumer({
        groupId: opts.groupId,
        maxWaitTimeInMs: 50,
        minBytes: 1,
        maxBytes: 4 * 1024 * 1024,
        maxBytesPerPartition: 4 * 1024 * 1024,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
      });
      consumer = c;
      c.on(c.events.GROUP_JOIN, () => {
        drop();
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
          const records: ConsumedRecord[] = batch.messages.map((m) => ({
            offset: Number(m.offset),
            value:
              m.value === null
                ? null
                : new Uint8Array(m.value.buffer, m.value.byteOffset, m.value.byteLength),
            timestamp: Number(m.timestamp),
          }));
          // Slices bound the work a crash can throw away and the delay before a scanner sees its
          // event land.
          for (let i = 0; i < records.length; i += size) {
            while (queued >= maxQueued && isRunning() && !isStale() && !stopping) {
              await room();
              await heartbeat();
            }
            if (!isRunning() || isStale() || stopping) return;
            const slice = records.slice(i, i + size);
            const prepared = opts.prepare?.(slice);
            // Awaited in turn by the handling loop; a slice dropped before that must not leave an
            // unhandled rejection behind.
            prepared?.catch(() => {});
            queue.push({ records: slice, prepared });
            queued += slice.length;
            handleQueue();
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
      stopping = true;
      roomMade?.();
      await consumer?.disconnect();
      consumer = undefined;
      // The slice being handled finishes (it commits or it does not); the rest is dropped.
      await handling;
      drop();
    },
  };
}
