import { findOrStartKafka, readKafkaVersion } from '@rxledger/kafka';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    /** The Apache Kafka version of every local broker this run starts (KAFKA_VERSION). */
    kafkaVersion: string;
  }
}

/**
 * One broker for the whole integration run, found or started exactly as `npm start` does it.
 * KAFKA_BROKERS points the tests at an existing cluster; KAFKA_VERSION picks the Apache Kafka version
 * of the run's local broker and of the brokers that tests start for themselves.
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const version = readKafkaVersion('test', process.env);
  const kafka = await findOrStartKafka({
    brokers: process.env.KAFKA_BROKERS?.split(',').filter(Boolean),
    dockerHost: process.env.DOCKER_HOST,
    version,
    onProgress: (line) => console.log(`[kafka] ${line}`),
  });
  console.log(
    `[kafka] ${kafka.source} broker at ${kafka.brokers.join(',')} ready in ${Date.now() - started} ms`,
  );
  project.provide('kafkaBrokers', kafka.brokers);
  project.provide('kafkaVersion', version);
  return async () => {
    await kafka.stop();
  };
}
