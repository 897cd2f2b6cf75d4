import { createServer } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { KafkaSetupError, waitForBroker } from '../src/index.ts';

describe('waitForBroker', () => {
  it('returns once the cluster answers with a controller', async () => {
    await expect(waitForBroker(inject('kafkaBrokers'), 30_000)).resolves.toBeUndefined();
  });

  it('gives up after its time limit with a KafkaSetupError naming the brokers and the last error', async () => {
    // A port that accepts connections and never speaks Kafka: every attempt fails, none hangs for good.
    const silent = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const err = await waitForBroker([address], 1_500).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KafkaSetupError);
      expect((err as Error).message).toBe(`Kafka at ${address} did not become ready within 1500 ms`);
      expect((err as Error & { cause?: unknown }).cause).toBeInstanceOf(Error);
    } finally {
      silent.close();
    }
  });
});
