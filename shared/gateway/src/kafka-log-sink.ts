import type { KafkaLogSink } from '@rxledger/kafka';
import type { Logger } from '@rxledger/runtime';

// kafkajs warns about bounded retries on every idempotent producer; the publisher bounds them on
// purpose and replaces a producer whose send failed, so the warning would only alarm operators.
const EXPECTED_WARNING = 'Limiting retries for the idempotent producer';

/** kafkajs' log lines into the service log, minus the one warning the gateway provokes by design. */
export function kafkaLogSink(log: Logger): KafkaLogSink {
  return {
    debug: (obj, msg) => log.debug(obj, msg),
    info: (obj, msg) => log.info(obj, msg),
    warn: (obj, msg) =>
      msg.startsWith(EXPECTED_WARNING)
        ? log.debug(obj, `${msg} (expected: a producer whose send failed is replaced)`)
        : log.warn(obj, msg),
    error: (obj, msg) => log.error(obj, msg),
  };
}
