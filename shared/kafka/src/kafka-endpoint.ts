import { homedir } from 'node:os';
import { join } from 'node:path';
import { dockerAvailable, startDockerBroker } from './docker-broker.ts';
import type { KafkaSecurity } from './kafka-security.ts';
import { DEFAULT_KAFKA_VERSION } from './kafka-version.ts';
import { startLocalBroker } from './local-broker.ts';
import { waitForBroker } from './wait-for-broker.ts';

export interface KafkaEndpointOptions {
  /** Existing brokers (host:port); when given nothing is started. */
  brokers?: string[] | undefined;
  /** TLS and SASL for the given brokers (readKafkaSecurity). */
  security?: KafkaSecurity | undefined;
  /** DOCKER_HOST, if the caller's environment has one. */
  dockerHost?: string | undefined;
  /** Skip the Docker attempt even when an engine answers. */
  noDocker?: boolean;
  /** Apache Kafka version of a local broker (readKafkaVersion); default DEFAULT_KAFKA_VERSION. */
  version?: string;
  /** Cache for the resolved classpath; default ~/.cache/rxledger. */
  cacheDir?: string;
  /** Persistent storage for a local broker; default a temporary directory removed on stop. */
  dataDir?: string;
  heap?: string;
  onProgress?: (line: string) => void;
}

export interface KafkaEndpoint {
  brokers: string[];
  /** How the broker was found: given, a container, or a local JVM this process owns. */
  source: 'external' | 'docker' | 'local';
  /** Stops what this call started (nothing for an external broker). */
  stop(): Promise<void>;
}

/**
 * Finds or starts Kafka the one way every entry point uses (DESIGN.md §7): the given brokers, else a
 * Docker engine through testcontainers, else a local KRaft broker resolved by Maven and run with java.
 */
export async function findOrStartKafka(opts: KafkaEndpointOptions = {}): Promise<KafkaEndpoint> {
  const progress = opts.onProgress ?? (() => {});
  if (opts.brokers && opts.brokers.length > 0) {
    progress(`using Kafka at ${opts.brokers.join(',')}`);
    await waitForBroker(opts.brokers, 30_000, opts.security);
    return { brokers: opts.brokers, source: 'external', stop: async () => {} };
  }
  if (!opts.noDocker && (await dockerAvailable({ DOCKER_HOST: opts.dockerHost }))) {
    const broker = await startDockerBroker(progress);
    return { ...broker, source: 'docker' };
  }
  const broker = await startLocalBroker({
    version: opts.version ?? DEFAULT_KAFKA_VERSION,
    cacheDir: opts.cacheDir ?? join(homedir(), '.cache', 'rxledger'),
    dataDir: opts.dataDir,
    heap: opts.heap ?? '1g',
    onProgress: progress,
  });
  return { brokers: broker.brokers, source: 'local', stop: broker.stop };
}
