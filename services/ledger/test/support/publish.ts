import { createIdempotentProducer, createKafkaClient, setupCustodyTopic } from '@rxledger/kafka';

/** Creates the channel's topic on the test broker and publishes `values` in order, acks=all. */
export async function publishToChannel(
  brokers: string[],
  channel: string,
  values: Uint8Array[],
): Promise<string> {
  const kafka = createKafkaClient({ brokers, clientId: 'ledger-test' });
  const topic = await setupCustodyTopic(kafka, { channel, replicationFactor: 1, minInsyncReplicas: 1 });
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  try {
    for (let i = 0; i < values.length; i += 500) {
      await producer.send({
        topic,
        acks: -1,
        messages: values
          .slice(i, i + 500)
          .map((v) => ({ value: Buffer.from(v.buffer, v.byteOffset, v.byteLength) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
  return topic;
}
