import { randomUUID } from 'node:crypto';
import { createKafkaClient } from '@rxledger/kafka';
import { createLogger } from '@rxledger/runtime';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { ConsumedRecord } from '../src/intake/precheck.ts';
import { createTopicConsumer } from '../src/intake/topic-consumer.ts';
import { publishToChannel } from './support/publish.ts';

const RECORDS = 2_500;
const log = createLogger({ service: 'topic-consumer-test', level: 'silent' });

/** A stand-in for the fold: a durable position, and every record it ever committed, in order. */
class Position {
  next = 0;
  committed: number[] = [];
  /** Slices that started past the position: the consumer promises there are none. */
  gaps: string[] = [];
  commit(records: ConsumedRecord[]) {
    const fresh = records.filter((r) => r.offset >= this.next);
    if (fresh.length > 0 && fresh[0]!.offset !== this.next) {
      this.gaps.push(`expected offset ${this.next}, got ${fresh[0]!.offset}`);
    }
    for (const r of fresh) this.committed.push(r.offset);
    if (fresh.length > 0) this.next = fresh.at(-1)!.offset + 1;
  }
}

const until = async (done: () => boolean, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('topic consumer on a real broker', () => {
  const brokers = inject('kafkaBrokers');
  const kafka = createKafkaClient({ brokers, clientId: 'topic-consumer-test' });
  const values = Array.from({ length: RECORDS }, (_, i) => new TextEncoder().encode(`record ${i}`));
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  const consume = async (
    topic: string,
    position: Position,
    handlers: {
      prepare?: (records: ConsumedRecord[]) => Promise<string>;
      onBatch: (records: ConsumedRecord[], prepared: string | undefined) => Promise<void> | void;
    },
    tuning: { maxBatch?: number; maxQueued?: number } = {},
  ) => {
    const consumer = createTopicConsumer<string>({
      kafka,
      topic,
      groupId: `test-${randomUUID()}`,
      position: () => position.next,
      log,
      retryDelayMs: 50,
      ...handlers,
      ...tuning,
    });
    await consumer.start();
    stop = () => consumer.stop();
  };

  it('hands every record over once, in order, in slices, each with its own prepared result', async () => {
    const topic = await publishToChannel(brokers, `tc-order-${randomUUID().slice(0, 8)}`, values);
    const position = new Position();
    const sizes: number[] = [];
    const mismatched: string[] = [];
    await consume(
      topic,
      position,
      {
        prepare: async (records) => `${records[0]!.offset}-${records.at(-1)!.offset}`,
        onBatch: (records, prepared) => {
          if (prepared !== `${records[0]!.offset}-${records.at(-1)!.offset}`) mismatched.push(`${prepared}`);
          sizes.push(records.length);
          position.commit(records);
        },
      },
      { maxBatch: 300 },
    );
    await until(() => position.next === RECORDS);
    expect(position.committed).toEqual(values.map((_, i) => i));
    expect(position.gaps).toEqual([]);
    expect(mismatched).toEqual([]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(300);
  });

  it('prepares later slices while an earlier one is being handled, within maxQueued', async () => {
    const topic = await publishToChannel(brokers, `tc-ahead-${randomUUID().slice(0, 8)}`, values);
    const position = new Position();
    let prepared = 0;
    let preparedAheadOfHandling = 0;
    let mostWaiting = 0;
    await consume(
      topic,
      position,
      {
        prepare: async (records) => {
          prepared += records.length;
          mostWaiting = Math.max(mostWaiting, prepared - position.committed.length);
          return '';
        },
        onBatch: async (records) => {
          // A slow fold: the consumer must keep preparing meanwhile.
          await new Promise((r) => setTimeout(r, 30));
          preparedAheadOfHandling = Math.max(
            preparedAheadOfHandling,
            prepared - position.committed.length - records.length,
          );
          position.commit(records);
        },
      },
      { maxBatch: 250, maxQueued: 1_000 },
    );
    await until(() => position.next === RECORDS);
    expect(preparedAheadOfHandling).toBeGreaterThan(0);
    // The queue holds at most maxQueued records, plus the slice that found it just short of full.
    expect(mostWaiting).toBeLessThanOrEqual(1_000 + 250);
    expect(position.gaps).toEqual([]);
    expect(position.committed).toHaveLength(RECORDS);
  });

  it('after a failed slice, reads again from the stored position and loses nothing', async () => {
    const topic = await publishToChannel(brokers, `tc-retry-${randomUUID().slice(0, 8)}`, values);
    const position = new Position();
    let failures = 0;
    await consume(
      topic,
      position,
      {
        onBatch: (records) => {
          // The slices holding offset 1,000 fail twice, as a full disk would, then succeed.
          if (records.some((r) => r.offset === 1_000) && failures < 2) {
            failures++;
            throw new Error('disk full');
          }
          position.commit(records);
        },
      },
      { maxBatch: 200 },
    );
    await until(() => position.next === RECORDS);
    expect(failures).toBe(2);
    expect(position.gaps).toEqual([]);
    expect(position.committed).toEqual(values.map((_, i) => i));
  });
});
