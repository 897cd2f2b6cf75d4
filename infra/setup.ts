// One-shot setup for `docker compose up`: the custody topic on the given cluster, the demo parties'
// keys and tokens, each partner service's parties file (data/demo/<kind>.json), and
// data/demo/credentials.json with the URLs the compose file publishes.
import { createKafkaClient, readKafkaSecurity, waitForBroker } from '@rxledger/kafka';
import { env, readConfig } from '@rxledger/runtime';
import { z } from 'zod';
import { prepareDemoChannel } from './demo/demo-channel.ts';
import { writeCredentials } from './demo/demo-setup.ts';

const schema = z.object({
  KAFKA_BROKERS: env.brokers().refine((b) => b !== undefined, 'required: the Kafka brokers (host:port,...)'),
  CHANNEL: env.channel(),
  RXLEDGER_DATA_DIR: z.string().min(1).default('data'),
  PUBLIC_HOST: z.string().min(1).default('localhost'),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
  KAFKA_MIN_INSYNC_REPLICAS: z.coerce.number().int().min(1).default(1),
});

try {
  const config = readConfig('setup', schema, process.env);
  const security = readKafkaSecurity('setup', process.env);
  const brokers = config.KAFKA_BROKERS!;
  await waitForBroker(brokers, 120_000, security);
  const { topic, identities } = await prepareDemoChannel(
    createKafkaClient({ brokers, security, clientId: 'rxledger-setup' }),
    {
      channel: config.CHANNEL,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
    },
    config.RXLEDGER_DATA_DIR,
  );
  const url = (port: number) => `http://${config.PUBLIC_HOST}:${port}`;
  const path = await writeCredentials(config.RXLEDGER_DATA_DIR, identities, {
    ledger: url(7100),
    manufacturer: url(7101),
    distributor: url(7102),
    pharmacy: url(7103),
  });
  process.stdout.write(`topic ${topic} ready; credentials in ${path}\n`);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
