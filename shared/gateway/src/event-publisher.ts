import { createIdempotentProducer } from '@rxledger/kafka';
import { type Logger, UnavailableError } from '@rxledger/runtime';
import type { Kafka, Message, Producer, RetryOptions } from 'kafkajs';
import type { BrokerClock } from './broker-clock.ts';
import { MAX_RECORD_BYTES } from './sign-batch.ts';

/** One record to publish: the key is the eventId (for people reading the topic), the value the signed event. */
export interface OutgoingRecord {
  key: string;
  value: Buffer;
  /**
   * Called once Kafka acknowledged this record, even when publish() has already rejected (a timeout
   * while the request was in flight, or a later produce request of the same call failing).
   */
  onAcked?: () => void;
}

/** How createEventPublisher reaches Kafka and how long it waits. */
export interface EventPublisherOptions {
  kafka: Kafka;
  topic: string;
  log: Logger;
  /** How long one publish() may wait for Kafka before it fails with UnavailableError. */
  timeoutMs: number;
  /** Bytes of record values per produce request; default MAX_RECORD_BYTES (under Kafka's 1 MiB). */
  maxBatchBytes?: number;
  /** Seconds a 503 asks the scanner to wait. */
  retryAfterSeconds?: number;
  /** How long one produce request retries inside kafkajs before the producer is replaced. */
  retry?: RetryOptions;
  /** Learns the broker's clock from every acknowledgement. */
  clock?: BrokerClock;
  /**
   * Resolves once the topic's settings were found fit (checkCustodyTopic). Nothing is sent before it
   * has; while it rejects, every publish fails with its message.
   */
  verifyTopic?: () => Promise<void>;
}

/** Publishes signed records to the channel topic; see createEventPublisher. */
export interface EventPublisher {
  /**
   * Resolves once Kafka acknowledged every record (acks=all) and MUST NOT resolve otherwise; rejects
   * with UnavailableError when that did not happen within `timeoutMs`. A rejected call may still
   * have stored some records: callers retry with the same bytes, which the ledger treats as no-ops.
   */
  publish(records: OutgoingRecord[]): Promise<void>;
  /** Connects in the background, so that the first scanner does not wait for it. */
  warmUp(): void;
  /** Fails what is queued, waits for the request in flight, disconnects. */
  close(): Promise<void>;
}

// Per-record overhead inside a Kafka record batch (lengths, deltas, attributes), rounded up.
const RECORD_OVERHEAD = 24;
const DEFAULT_RETRY: RetryOptions = { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 };

interface Pending {
  records: OutgoingRecord[];
  /** Index of the first record not yet handed to a produce request. */
  next: number;
  acked: number;
  settled: boolean;
  timer: NodeJS.Timeout;
  resolve(): void;
  reject(err: Error): void;
}

/**
 * The single writer of a gateway. Requests queue; one produce request at a time carries as many
 * queued records as fit under the batch limit (group commit: many small posts share a round trip).
 *
 * Only one send is ever in flight, and a producer whose send failed is replaced, never reused:
 * kafkajs reuses a failed batch's sequence numbers, so a later batch of the same size could be
 * acknowledged by the broker as a duplicate of a batch it did store, without being stored itself.
 */
export function createEventPublisher(opts: EventPublisherOptions): EventPublisher {
  const maxBatchBytes = opts.maxBatchBytes ?? MAX_RECORD_BYTES;
  const retryAfterSeconds = opts.retryAfterSeconds ?? 5;
  const queue: Pending[] = [];
  let producer: Promise<Producer> | undefined;
  let loop: Promise<void> | undefined;
  let closed = false;

  const unavailable = (message: string, cause?: unknown) =>
    new UnavailableError(message, { retryAfterSeconds, cause });

  const settle = (p: Pending, err?: Error) => {
    if (p.settled) return;
    p.settled = true;
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve();
  };

  const connected = (): Promise<Producer> => {
    producer ??= (async () => {
      await opts.verifyTopic?.();
      const p = createIdempotentProducer(opts.kafka, { retry: opts.retry ?? DEFAULT_RETRY });
      try {
        await p.connect();
        return p;
      } catch (err) {
        await p.disconnect().catch(() => {});
        throw err;
      }
    })();
    return producer;
  };

  // Only the producer that failed is dropped: a newer one may already be serving.
  const replaceProducer = async (failed: Promise<Producer> | undefined) => {
    if (failed === undefined || producer !== failed) return;
    producer = undefined;
    await failed.then((p) => p.disconnect()).catch(() => {});
  };

  // Takes queued records, in order, up to the batch limit; a record larger than the limit goes alone.
  const nextBatch = () => {
    const messages: Message[] = [];
    const parts: Array<{ pending: Pending; count: number }> = [];
    let bytes = 0;
    for (const pending of queue) {
      if (pending.settled) continue;
      let count = 0;
      while (pending.next < pending.records.length) {
        const record = pending.records[pending.next]!;
        const size = record.value.length + record.key.length + RECORD_OVERHEAD;
        if (messages.length > 0 && bytes + size > maxBatchBytes) break;
        // The custody topic has one partition (DESIGN §6: one total order); naming it spares
        // kafkajs a murmur2 hash of every key.
        messages.push({ key: record.key, value: record.value, partition: 0 });
        bytes += size;
        pending.next += 1;
        count += 1;
      }
      if (count > 0) parts.push({ pending, count });
      if (pending.next < pending.records.length) break;
    }
    return { messages, parts };
  };

  const run = async () => {
    while (!closed) {
      for (let i = queue.length - 1; i >= 0; i--) {
        const p = queue[i]!;
        if (p.settled || p.next >= p.records.length) queue.splice(i, 1);
      }
      const { messages, parts } = nextBatch();
      if (messages.length === 0) return;
      const current = connected();
      try {
        const p = await current;
        const sentAt = opts.clock?.localNow() ?? 0;
        const results = await p.send({ topic: opts.topic, acks: -1, timeout: opts.timeoutMs, messages });
        opts.clock?.observe(sentAt, results);
        for (const { pending, count } of parts) {
          // One send in flight and none after a failure: this part is the call's next `count` records.
          for (let i = pending.acked; i < pending.acked + count; i++) pending.records[i]!.onAcked?.();
          pending.acked += count;
          if (pending.acked === pending.records.length) settle(pending);
        }
      } catch (err) {
        opts.log.warn(
          { err: (err as Error).message, records: messages.length },
          'Kafka did not take a batch; replacing the producer',
        );
        await replaceProducer(current);
        for (const { pending } of parts) {
          settle(pending, unavailable(`Kafka did not acknowledge: ${(err as Error).message}`, err));
        }
      }
    }
  };

  const pump = () => {
    loop ??= run()
      .catch((err) => opts.log.error({ err }, 'publisher loop failed'))
      .finally(() => {
        loop = undefined;
        if (!closed && queue.some((p) => !p.settled && p.next < p.records.length)) pump();
      });
  };

  return {
    publish(records) {
      if (closed) return Promise.reject(unavailable('the service is stopping'));
      if (records.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const pending: Pending = {
          records,
          next: 0,
          acked: 0,
          settled: false,
          resolve,
          reject,
          timer: setTimeout(() => {
            settle(pending, unavailable(`Kafka did not acknowledge within ${opts.timeoutMs} ms`));
          }, opts.timeoutMs),
        };
        queue.push(pending);
        pump();
      });
    },
    warmUp() {
      const current = connected();
      current.catch(async (err: Error) => {
        opts.log.warn({ err: err.message }, 'Kafka is not reachable yet; will retry on the first publish');
        await replaceProducer(current);
      });
    },
    async close() {
      closed = true;
      for (const p of queue) settle(p, unavailable('the service is stopping'));
      queue.length = 0;
      await loop;
      await replaceProducer(producer);
    },
  };
}
