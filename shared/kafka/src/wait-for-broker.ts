import { retry } from '@rxledger/runtime';
import { Kafka, logLevel } from 'kafkajs';
import { type KafkaSecurity, kafkaJsSecurity } from './kafka-security.ts';
import { KafkaSetupError } from './kafka-setup-error.ts';

/** Polls until the cluster answers a metadata request, or fails after `timeoutMs`. */
export async function waitForBroker(
  brokers: string[],
  timeoutMs: number,
  security?: KafkaSecurity,
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'rxledger-wait',
    brokers,
    ...kafkaJsSecurity(security),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1_000,
  });
  const ready = async () => {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0 || cluster.controller === null) throw new Error('no controller yet');
    } finally {
      await admin.disconnect().catch(() => {});
    }
  };
  // Every 250 ms, whatever the error: a broker that is starting refuses connections or has no controller.
  await retry(ready, {
    attempts: Number.POSITIVE_INFINITY,
    baseDelayMs: 250,
    maxDelayMs: 250,
    jitter: 'none',
    timeoutMs,
    retryable: () => true,
  }).catch((err: unknown) => {
    throw new KafkaSetupError(
      `Kafka at ${brokers.join(',')} did not become ready within ${timeoutMs} ms`,
      err,
    );
  });
}
