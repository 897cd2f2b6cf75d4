import { createKafkaClient, kafkaReadiness } from '@rxledger/kafka';
import { createHttpService, type Logger } from '@rxledger/runtime';

export interface LedgerServiceOptions {
  host: string;
  port: number;
  brokers: string[];
  channel: string;
  /** Where this node keeps its database and checkpoint key. */
  dataDir: string;
  log: Logger;
}

export interface LedgerService {
  start(): Promise<string>;
  stop(): Promise<void>;
}

/** A ledger node: folds the channel's topic into its Merkle log and answers queries over HTTP. */
export function createLedgerService(opts: LedgerServiceOptions): LedgerService {
  const kafka = createKafkaClient({ brokers: opts.brokers, clientId: 'rxledger-ledger', log: opts.log });
  const kafkaProbe = kafkaReadiness(kafka);
  const http = createHttpService({
    name: 'ledger',
    host: opts.host,
    port: opts.port,
    log: opts.log,
    readiness: () => kafkaProbe.check(),
  });
  return {
    start: () => http.start(),
    async stop() {
      await http.stop();
      await kafkaProbe.close();
    },
  };
}
