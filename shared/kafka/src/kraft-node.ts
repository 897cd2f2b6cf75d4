// The one description of a KRaft node the project runs: the single local broker (local-broker.ts) and
// the chaos suite's multi-node cluster (test/chaos/support/kraft-cluster.ts) both build their
// server.properties, storage-format and java command lines here, for Kafka 3.9 and 4.x alike.
//
// The quorum is static (controller.quorum.voters, kraft.version 0): both lines format it with the same
// `kafka.tools.StorageTool format -t <id> -c <file>`, with no --standalone or --initial-controllers,
// which only a dynamic quorum (controller.quorum.bootstrap.servers, KIP-853) asks for. Our nodes never
// change their voters, so the dynamic quorum would buy nothing and split the command line by version.
// Nothing here is a ZooKeeper-era option, so Kafka 4 (which removed those) reads every line.

/** One combined broker + controller node on 127.0.0.1. */
export interface KraftNodeSpec {
  id: number;
  /** The PLAINTEXT listener clients use. */
  brokerPort: number;
  controllerPort: number;
  logDir: string;
  /** Every controller of the quorum (for a single node: itself). */
  voters: ReadonlyArray<{ id: number; controllerPort: number }>;
  /** Replicas of every topic and of the internal ones, and the in-sync minimum; default 1 and 1. */
  replication?: { factor: number; minInsync: number };
  /** A SASL_SSL listener named SECURE on this port, configured by `lines` (secureListenerProperties). */
  secure?: { port: number; lines: readonly string[] };
  /** Further properties (tuning) that no other line sets. */
  extra?: readonly string[];
}

/** The server.properties text of `node`. */
export function kraftServerProperties(node: KraftNodeSpec): string {
  const { factor, minInsync } = node.replication ?? { factor: 1, minInsync: 1 };
  const secure = node.secure ? `,SECURE://127.0.0.1:${node.secure.port}` : '';
  const lines = [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${node.voters.map((v) => `${v.id}@127.0.0.1:${v.controllerPort}`).join(',')}`,
    `listeners=PLAINTEXT://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${node.controllerPort}${secure}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${node.brokerPort}${secure}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${secure ? ',SECURE:SASL_SSL' : ''}`,
    ...(node.secure?.lines ?? []),
    `log.dirs=${node.logDir}`,
    'num.partitions=1',
    `offsets.topic.replication.factor=${factor}`,
    'offsets.topic.num.partitions=1',
    `transaction.state.log.replication.factor=${factor}`,
    `transaction.state.log.min.isr=${minInsync}`,
    ...(factor > 1
      ? [
          `default.replication.factor=${factor}`,
          `min.insync.replicas=${minInsync}`,
          'unclean.leader.election.enable=false',
        ]
      : []),
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'log.retention.hours=-1',
    ...(node.extra ?? []),
  ];
  return `${lines.join('\n')}\n`;
}

/** The storage tool's arguments that format a node's log directory for cluster `clusterId`. */
export function storageFormatArgs(clusterId: string, propertiesFile: string, extra: readonly string[] = []) {
  return ['format', '-t', clusterId, '-c', propertiesFile, ...extra];
}

/** Main classes: the same on 3.9 and 4.x (StorageTool stayed in the core jar, package kafka.tools). */
export const KAFKA_MAIN = 'kafka.Kafka';
export const STORAGE_TOOL = 'kafka.tools.StorageTool';

/**
 * The `java` arguments that run `mainClass` of Kafka with `jvm` flags, quiet at warn. Kafka 3.9 and
 * 4.x both log through SLF4J 1.7, bound to slf4j-simple by infra/kafka/pom.xml (no log4j config file
 * is read); Kafka 4 also puts log4j-core on the classpath, held at warn by its own property.
 */
export function kafkaJavaArgs(
  classpath: readonly string[],
  jvm: readonly string[],
  mainClass: string,
  args: readonly string[],
): string[] {
  return [
    ...jvm,
    '-Djava.awt.headless=true',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    '-Dorg.apache.logging.log4j.level=WARN',
    '-cp',
    classpath.join(':'),
    mainClass,
    ...args,
  ];
}
