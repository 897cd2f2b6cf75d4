import { Kafka, logLevel } from 'kafkajs';
import { type KafkaSecurity, kafkaJsSecurity } from './kafka-security.ts';
import { KafkaSetupError } from './kafka-setup-error.ts';

/** Polls until the cluster answers a metadata request, or fails after `timeoutMs`. */
export async function waitForBroker(
  brokers: string[],
  timeoutMs: number,
  security?: KafkaSecurity,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const kafka = new Kafka({
    clientId: 'rxledger-wait',
    brokers,
    ...kafkaJsSecurity(security),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1_000,
  });
  let lastError: unknown;
  while (Date.now() < deadline) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
    } catch (err) {
      lastError = err;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new KafkaSetupError(
    `Kafka at ${brokers.join(',')} did not become ready within ${timeoutMs} ms`,
    lastError,
  );
}
