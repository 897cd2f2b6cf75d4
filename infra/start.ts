// `npm start`: Kafka (found or started), the custody topic, the ledger and the three partner
// services with demo parties and credentials. Ctrl-C stops everything it started.
import { join } from 'node:path';
import { createKafkaClient, findOrStartKafka } from '@rxledger/kafka';
import { env, readConfig } from '@rxledger/runtime';
import { z } from 'zod';
import { prepareDemoChannel } from './demo/demo-channel.ts';
import { DEMO_LOG_ORIGIN, writeCredentials } from './demo/demo-setup.ts';
import { type ChildService, startChildService, stopChildren } from './supervisor.ts';

const schema = z.object({
  KAFKA_BROKERS: env.brokers(),
  DOCKER_HOST: z.string().optional(),
  RXLEDGER_DATA_DIR: z.string().min(1).default('data'),
  RXLEDGER_HOST: env.host(),
  CHANNEL: env.channel(),
  LEDGER_PORT: env.port(7100),
  MANUFACTURER_PORT: env.port(7101),
  DISTRIBUTOR_PORT: env.port(7102),
  PHARMACY_PORT: env.port(7103),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
  KAFKA_MIN_INSYNC_REPLICAS: z.coerce.number().int().min(1).default(1),
});

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const config = readConfig('rxledger', schema, process.env);
  const dataDir = config.RXLEDGER_DATA_DIR;
  const t0 = Date.now();
  const kafka = await findOrStartKafka({
    brokers: config.KAFKA_BROKERS,
    dockerHost: config.DOCKER_HOST,
    dataDir: join(dataDir, 'kafka'),
    onProgress: (line) => say(`kafka     ${line}`),
  });
  say(
    `kafka     ${kafka.source} broker at ${kafka.brokers.join(',')} (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );

  const children: ChildService[] = [];
  let stopping = false;
  const stopAll = async (why: string) => {
    if (stopping) return;
    stopping = true;
    say(`\nstopping (${why})...`);
    await stopChildren(children);
    await kafka.stop();
    say('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll('Ctrl-C'));
  process.on('SIGTERM', () => void stopAll('SIGTERM'));

  try {
    const channel = await prepareDemoChannel(
      createKafkaClient({ brokers: kafka.brokers, clientId: 'rxledger-start' }),
      {
        channel: config.CHANNEL,
        replicationFactor: config.KAFKA_REPLICATION_FACTOR,
        minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
      },
      dataDir,
    );
    const { identities, partnerConfigs } = channel;
    say(`kafka     topic ${channel.topic}${channel.genesisPublished ? ' (registry genesis published)' : ''}`);

    const common = {
      KAFKA_BROKERS: kafka.brokers.join(','),
      CHANNEL: config.CHANNEL,
      HOST: config.RXLEDGER_HOST,
    };
    const logDir = join(dataDir, 'logs');
    const watch = (s: ChildService) => {
      children.push(s);
      say(`${s.name.padEnd(13)} ${s.url}   (health ${s.url}/healthz, log ${join(logDir, `${s.name}.log`)})`);
      s.child.once('exit', (code) => {
        if (!stopping) void stopAll(`${s.name} exited with code ${code}`);
      });
      return s;
    };
    // The ledger first: the partner services need its URL, which a port of 0 leaves open until it listens.
    const ledger = watch(
      await startChildService(
        'ledger',
        {
          ...common,
          PORT: String(config.LEDGER_PORT),
          DATA_DIR: join(dataDir, 'ledger'),
          CHECKPOINT_KEY_FILE: identities.checkpointKeyFile,
          AUTHORITY_KEY_FILE: channel.authorityKeyFile,
          LOG_ORIGIN: DEMO_LOG_ORIGIN,
          LEDGER_TOKENS_FILE: channel.ledgerTokensFile,
        },
        logDir,
      ),
    );
    const partners = [
      { name: 'manufacturer', port: config.MANUFACTURER_PORT },
      { name: 'distributor', port: config.DISTRIBUTOR_PORT },
      { name: 'pharmacy', port: config.PHARMACY_PORT },
    ] as const;
    const started = [
      ledger,
      ...(await Promise.all(
        partners.map(async ({ name, port }) =>
          watch(
            await startChildService(
              name,
              {
                ...common,
                PORT: String(port),
                LEDGER_URL: ledger.url,
                PARTNER_CONFIG: partnerConfigs[name],
              },
              logDir,
            ),
          ),
        ),
      )),
    ];
    const urls = Object.fromEntries(started.map((s) => [s.name, s.url]));
    const credentials = await writeCredentials(dataDir, identities, {
      ledger: urls.ledger!,
      manufacturer: urls.manufacturer!,
      distributor: urls.distributor!,
      pharmacy: urls.pharmacy!,
    });
    say(`credentials   ${credentials}`);
    say('\nrxledger is running. Ctrl-C stops everything.');
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    await stopAll('start failed');
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
