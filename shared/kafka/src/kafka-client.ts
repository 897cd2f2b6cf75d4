import { Kafka, type LogEntry, logLevel, Partitioners, type Producer, type RetryOptions } from 'kafkajs';
import { type KafkaSecurity, kafkaJsSecurity } from './kafka-security.ts';

/** The subset of a structured logger kafkajs' messages are forwarded to. */
export interface KafkaLogSink {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

// Errors kafkajs logs on its way to recovering by itself: a coordinator still loading after a broker
// start, a leader moving. They are answered by its retries, so they are logged as debug, not error.
const TRANSIENT =
  /coordinator is (not available|loading)|not the correct coordinator|leadership election|does not host this topic-partition/i;

/**
 * A kafkajs client whose own log lines go to `log` as structured entries, speaking TLS and SASL as
 * `security` says (see readKafkaSecurity). `retry` bounds how long its connections retry (kafkajs'
 * default: 5 retries, about 10 s) for callers that retry themselves.
 */
export function createKafkaClient(opts: {
  brokers: string[];
  clientId: string;
  log?: KafkaLogSink;
  security?: KafkaSecurity | undefined;
  retry?: RetryOptions;
}): Kafka {
  const sink = opts.log;
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    ...kafkaJsSecurity(opts.security),
    ...(opts.retry ? { retry: opts.retry } : {}),
    logLevel: sink ? logLevel.WARN : logLevel.NOTHING,
    logCreator:
      () =>
      ({ level, namespace, log }: LogEntry) => {
        if (!sink) return;
        const { message, ...rest } = log;
        const fields = { component: 'kafkajs', namespace, ...rest };
        const transient = TRANSIENT.test(String((rest as { error?: unknown }).error ?? message));
        if (transient) sink.debug(fields, message);
        else if (level <= logLevel.ERROR) sink.error(fields, message);
        else if (level === logLevel.WARN) sink.warn(fields, message);
        else if (level === logLevel.INFO) sink.info(fields, message);
        else sink.debug(fields, message);
      },
  });
}

/**
 * An idempotent producer (DESIGN.md §6: kafkajs needs maxInFlightRequests 1 for it). Every send
 * through it MUST pass `acks: -1`; only then does a resolved send mean every in-sync replica has the
 * record, which is what a 202 to a scanner promises.
 *
 * A send gives up after `retry.retries` attempts (kafkajs 2.2.4 uses 5 by default: its "retry forever
 * when idempotent" is lost when Kafka.producer() merges retry options). After a failed send the caller
 * MUST NOT send through the same producer again: kafkajs reuses the failed batch's sequence numbers,
 * and a broker that did store that batch would acknowledge a different batch of the same size as its
 * duplicate without storing it. Make a new producer instead (a new producer id).
 */
export function createIdempotentProducer(kafka: Kafka, opts: { retry?: RetryOptions } = {}): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Custody topics have one partition, so the partitioner never matters; naming one silences
    // kafkajs' v2 migration warning.
    createPartitioner: Partitioners.DefaultPartitioner,
    ...(opts.retry ? { retry: opts.retry } : {}),
  });
}
