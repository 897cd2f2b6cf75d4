import { InvariantViolation, type Logger } from '@rxledger/runtime';
import type { ConsumedRecord } from './precheck.ts';

/** Records fetched together, with the work `prepare` started on them (signature checks). */
export interface Slice<P> {
  records: ConsumedRecord[];
  prepared: Promise<P> | undefined;
}

export interface SliceQueueOptions<P> {
  /** Handles one slice; it MUST have made the slice durable before it returns. */
  onBatch: (records: ConsumedRecord[], prepared: P | undefined) => Promise<void> | void;
  /** After a failed slice, called in the same step as the drop: fetch again from the stored position. */
  reread: () => void;
  log: Logger;
  /** Records queued at most before `full()` says so. */
  maxQueued: number;
  /** Pause after a failed slice before handling goes on. */
  retryDelayMs: number;
}

/**
 * The handling side of the topic consumer: fetched slices wait here, and one loop hands them to
 * `onBatch` in offset order. The queue always continues the handled records without a gap: a failed
 * slice drops it all and `reread` seeks back, so records below the stored position come again.
 */
export function createSliceQueue<P>(opts: SliceQueueOptions<P>) {
  let queue: Slice<P>[] = [];
  let queued = 0;
  let handling: Promise<void> | undefined;
  let stopping = false;
  // Wakes a fetch that waits for room in the queue.
  let roomMade: (() => void) | undefined;

  const drop = () => {
    queue = [];
    queued = 0;
    roomMade?.();
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
        opts.reread();
        await new Promise((r) => setTimeout(r, opts.retryDelayMs));
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
    /** Queues a slice and makes sure the handling loop runs. */
    push(slice: Slice<P>): void {
      queue.push(slice);
      queued += slice.records.length;
      handleQueue();
    },
    /** Whether fetching must wait for room. */
    full: () => queued >= opts.maxQueued,
    /** Waits until the handling loop makes room, or a second passes (the fetch then heartbeats). */
    room: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        roomMade = () => {
          clearTimeout(timer);
          resolve();
        };
      }).finally(() => {
        roomMade = undefined;
      }),
    drop,
    get stopping(): boolean {
      return stopping;
    },
    /** Handling may run (again). */
    resume(): void {
      stopping = false;
    },
    /** No new slice is handled; a fetch waiting for room wakes. */
    halt(): void {
      stopping = true;
      roomMade?.();
    },
    /** Waits for the slice being handled (it commits or it does not), then drops the rest. */
    async settle(): Promise<void> {
      await handling;
      drop();
    },
  };
}
