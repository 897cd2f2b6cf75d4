// The ceilings the system is measured against: Kafka moving the same bytes with nothing else to do,
// and node:crypto Ed25519 verification on one core.
import { randomBytes } from 'node:crypto';
import { nodeEd25519, SigningKey } from '@rxledger/events';
import { createIdempotentProducer, createKafkaClient, setupCustodyTopic } from '@rxledger/kafka';

/** Idempotent acks=all produce of `count` records of `size` bytes in batches of 500, then a group consume. */
export async function rawKafka(brokers: string[], count = 200_000, size = 300) {
  const kafka = createKafkaClient({ brokers, clientId: 'bench-raw' });
  const topic = await setupCustodyTopic(kafka, {
    channel: `raw-${randomBytes(3).toString('hex')}`,
    replicationFactor: 1,
    minInsyncReplicas: 1,
  });
  const value = randomBytes(size);
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const t0 = performance.now();
  for (let i = 0; i < count; i += 500) {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 500 }, () => ({ value })) });
  }
  const produceS = (performance.now() - t0) / 1000;
  await producer.disconnect();

  const consumer = kafka.consumer({
    groupId: `bench-raw-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 50,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const t1 = performance.now();
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          seen += batch.messages.length;
          if (seen >= count) resolve();
        },
      })
      .catch(reject);
  });
  const consumeS = (performance.now() - t1) / 1000;
  await consumer.disconnect();
  return {
    producePerS: count / produceS,
    consumePerS: count / consumeS,
    // Moving each record through both ends, one after the other: the rate a pipeline could sustain.
    endToEndPerS: count / (produceS + consumeS),
  };
}

/** node:crypto Ed25519 verifications per second on this thread (one core). */
export function verifyRate(seconds = 2): number {
  const key = SigningKey.generate();
  const message = randomBytes(300);
  const signature = nodeEd25519.sign(key, message);
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) nodeEd25519.verify(key.verifyingKey, message, signature);
    n += 200;
  }
  return n / seconds;
}
