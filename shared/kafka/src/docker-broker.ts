import { existsSync } from 'node:fs';

/** The Confluent image of Apache Kafka 3.9 (the line DESIGN.md §7 starts with), in KRaft mode. */
const IMAGE = 'confluentinc/cp-kafka:7.9.0';

/**
 * Whether a Docker engine answers. Only asks testcontainers when a socket or DOCKER_HOST suggests
 * one, because its own probing is slow to give up on machines that have only the docker client.
 */
export async function dockerAvailable(env: { DOCKER_HOST?: string | undefined }): Promise<boolean> {
  if (!env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 10_000)),
    ]);
    return Boolean(client);
  } catch {
    return false;
  }
}

/** Starts Kafka in a container; stopping the returned handle removes the container. */
export async function startDockerBroker(onProgress: (line: string) => void) {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  onProgress(`starting ${IMAGE} with testcontainers`);
  const container = await new KafkaContainer(IMAGE).withKraft().start();
  const brokers = [`${container.getHost()}:${container.getMappedPort(9093)}`];
  return {
    brokers,
    stop: async () => {
      await container.stop();
    },
  };
}
