import { Kafka, type LogEntry, logLevel, type Producer } from 'kafkajs';

/** The subset of a structured logger kafkajs' messages are forwarded to. */
export interface KafkaLogSink {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A kafkajs client whose own log lines go to `log` as structured entries. */
export function createKafkaClient(opts: { brokers: string[]; clientId: string; log?: KafkaLogSink }): Kafka {
  const sink = opts.log;
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    logLevel: sink ? logLevel.WARN : logLevel.NOTHING,
    logCreator:
      () =>
      ({ level, namespace, log }: LogEntry) => {
        if (!sink) return;
        const { message, ...rest } = log;
        const fields = { component: 'kafkajs', namespace, ...rest };
        if (level <= logLevel.ERROR) sink.error(fields, message);
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
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
}
