import { RxError } from '@rxledger/runtime';

/** Kafka could not be found or started; the message says what to install or set. */
export class KafkaSetupError extends RxError {
  constructor(message: string, cause?: unknown) {
    super('KAFKA_SETUP', message, { status: 503, cause });
  }
}
