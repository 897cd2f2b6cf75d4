import { findOrStartKafka } from '@rxledger/kafka';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}

/**
 * One broker for the whole integration run, found or started exactly as `npm start` does it.
 * KAFKA_BROKERS points the tests at an existing cluster.
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const kafka = await findOrStartKafka({
    brokers: process.env.KAFKA_BROKERS?.split(',').filter(Boolean),
    dockerHost: process.env.DOCKER_HOST,
    onProgress: (line) => console.log(`[kafka] ${line}`),
  });
  console.log(
    `[kafka] ${kafka.source} broker at ${kafka.brokers.join(',')} ready in ${Date.now() - started} ms`,
  );
  project.provide('kafkaBrokers', kafka.brokers);
  return async () => {
    await kafka.stop();
  };
}
