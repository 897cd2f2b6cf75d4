export {
  type CustodyTopicOptions,
  custodyTopicName,
  ensureCustodyTopic,
  setupCustodyTopic,
} from './custody-topic.ts';
export {
  assertCustodyTopic,
  checkCustodyTopic,
  custodyTopicError,
  MAX_CREATE_TIME_SKEW_MS,
} from './custody-topic-check.ts';
export { createIdempotentProducer, createKafkaClient, type KafkaLogSink } from './kafka-client.ts';
export { findOrStartKafka, type KafkaEndpoint, type KafkaEndpointOptions } from './kafka-endpoint.ts';
export { DEFAULT_KAFKA_VERSION, kafkaVersionProblem, readKafkaVersion } from './kafka-version.ts';
export { newClusterId } from './cluster-id.ts';
export { freePort } from './free-port.ts';
export {
  fromPlainSecurity,
  type KafkaSecurity,
  kafkaJsSecurity,
  type PlainKafkaSecurity,
  readKafkaSecurity,
  type SaslMechanism,
  Secret,
  toPlainSecurity,
} from './kafka-security.ts';
export { kafkaReadiness } from './kafka-readiness.ts';
export { KafkaSetupError } from './kafka-setup-error.ts';
export {
  KAFKA_MAIN,
  kafkaJavaArgs,
  type KraftNodeSpec,
  kraftServerProperties,
  STORAGE_TOOL,
  storageFormatArgs,
} from './kraft-node.ts';
export { type LocalBroker, startLocalBroker } from './local-broker.ts';
export { resolveKafkaClasspath } from './maven-classpath.ts';
export { waitForBroker } from './wait-for-broker.ts';
