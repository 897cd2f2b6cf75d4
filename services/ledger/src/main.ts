import { createLogger, env, readConfig, runUntilStopped } from '@rxledger/runtime';
import { z } from 'zod';
import { createLedgerService } from './ledger-service.ts';

const schema = z.object({
  HOST: env.host(),
  PORT: env.port(7100),
  KAFKA_BROKERS: env.brokers().refine((b) => b !== undefined, 'required: the Kafka brokers (host:port,...)'),
  CHANNEL: env.channel(),
  DATA_DIR: z.string().min(1).default('data/ledger'),
  LOG_LEVEL: env.logLevel(),
});

try {
  const config = readConfig('ledger', schema, process.env);
  const log = createLogger({ service: 'ledger', level: config.LOG_LEVEL });
  const ledger = createLedgerService({
    host: config.HOST,
    port: config.PORT,
    brokers: config.KAFKA_BROKERS!,
    channel: config.CHANNEL,
    dataDir: config.DATA_DIR,
    log,
  });
  await runUntilStopped(
    {
      start: async () => {
        const url = await ledger.start();
        log.info({ url }, `ledger listening on ${url}`);
      },
      stop: () => ledger.stop(),
    },
    log,
  );
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
