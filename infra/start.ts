// `npm start`: Kafka (found or started), the custody topic, the ledger and the three partner
// services with demo parties and credentials. Ctrl-C stops everything it started.
import { join } from 'node:path';
import { createKafkaClient, findOrStartKafka, setupCustodyTopic } from '@rxledger/kafka';
import { env, readConfig } from '@rxledger/runtime';
import { z } from 'zod';
import { ensureDemoIdentities, writeCredentials } from './demo/demo-setup.ts';
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
    const topic = await setupCustodyTopic(
      createKafkaClient({ brokers: kafka.brokers, clientId: 'rxledger-start' }),
      {
        channel: config.CHANNEL,
        replicationFactor: config.KAFKA_REPLICATION_FACTOR,
        minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
      },
    );
    say(`kafka     topic ${topic}`);

    const identities = await ensureDemoIdentities(dataDir);
    const common = {
      KAFKA_BROKERS: kafka.brokers.join(','),
      CHANNEL: config.CHANNEL,
      HOST: config.RXLEDGER_HOST,
    };
    const logDir = join(dataDir, 'logs');
    const services = [
      {
        name: 'ledger',
        env: { ...common, PORT: String(config.LEDGER_PORT), DATA_DIR: join(dataDir, 'ledger') },
      },
      { name: 'manufacturer', env: { ...common, PORT: String(config.MANUFACTURER_PORT) } },
      { name: 'distributor', env: { ...common, PORT: String(config.DISTRIBUTOR_PORT) } },
      { name: 'pharmacy', env: { ...common, PORT: String(config.PHARMACY_PORT) } },
    ];
    const started = await Promise.all(services.map((s) => startChildService(s.name, s.env, logDir)));
    children.push(...started);
    for (const s of started) {
      say(`${s.name.padEnd(13)} ${s.url}   (health ${s.url}/healthz, log ${join(logDir, `${s.name}.log`)})`);
      s.child.once('exit', (code) => {
        if (!stopping) void stopAll(`${s.name} exited with code ${code}`);
      });
    }
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
