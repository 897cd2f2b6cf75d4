// `npm start`: Kafka (found or started), the custody topic, the ledger and the three partner
// services with demo parties and credentials. Ctrl-C stops everything it started.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findOrStartKafka, readKafkaSecurity, readKafkaVersion } from '@rxledger/kafka';
import { env, readConfig } from '@rxledger/runtime';
import { z } from 'zod';
import { startDemoServices } from './demo/demo-services.ts';
import { runDemoSimulation } from './demo/demo-simulation.ts';
import { type ChildService, stopChildren } from './supervisor.ts';

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

const USAGE = `npm start [-- --no-demo] [-- --demo-rate N]
  --no-demo       no simulated network: the ledger holds only what you post
  --demo-rate N   the simulated network's events per second (default 3)`;

/** npm start's own flags (after \`--\`): the demo network on by default, at a few events per second. */
function startFlags(args: string[]): { demo: boolean; demoRate: number } {
  const { values } = parseArgs({
    args,
    options: { 'no-demo': { type: 'boolean' }, 'demo-rate': { type: 'string' } },
    strict: true,
  });
  const demoRate = Number(values['demo-rate'] ?? 3);
  if (!Number.isFinite(demoRate) || demoRate <= 0 || demoRate > 10_000) {
    throw new Error(
      `--demo-rate: '${values['demo-rate']}' is not a number of events per second from 0 to 10000`,
    );
  }
  return { demo: values['no-demo'] !== true, demoRate };
}

async function main() {
  let flags: ReturnType<typeof startFlags>;
  try {
    flags = startFlags(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`npm start: ${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const config = readConfig('rxledger', schema, process.env);
  // The services read the same variables themselves: they inherit this environment.
  const kafkaSecurity = readKafkaSecurity('rxledger', process.env);
  const kafkaVersion = readKafkaVersion('rxledger', process.env);
  const dataDir = config.RXLEDGER_DATA_DIR;
  const t0 = Date.now();
  const kafka = await findOrStartKafka({
    brokers: config.KAFKA_BROKERS,
    security: kafkaSecurity,
    dockerHost: config.DOCKER_HOST,
    version: kafkaVersion,
    dataDir: join(dataDir, 'kafka'),
    onProgress: (line) => say(`kafka     ${line}`),
  });
  say(
    `kafka     ${kafka.source} broker at ${kafka.brokers.join(',')} (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );

  const children: ChildService[] = [];
  const demo = new AbortController();
  let stopping = false;
  const stopAll = async (why: string) => {
    if (stopping) return;
    stopping = true;
    demo.abort();
    say(`\nstopping (${why})...`);
    await stopChildren(children);
    await kafka.stop();
    say('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll('Ctrl-C'));
  process.on('SIGTERM', () => void stopAll('SIGTERM'));

  try {
    const logDir = join(dataDir, 'logs');
    const { channel, services, credentialsFile } = await startDemoServices({
      brokers: kafka.brokers,
      kafkaSecurity,
      channel: config.CHANNEL,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
      dataDir,
      host: config.RXLEDGER_HOST,
      ports: {
        ledger: config.LEDGER_PORT,
        manufacturer: config.MANUFACTURER_PORT,
        distributor: config.DISTRIBUTOR_PORT,
        pharmacy: config.PHARMACY_PORT,
      },
      onStarted: (s) => {
        children.push(s);
        s.child.once('exit', (code) => {
          if (!stopping) void stopAll(`${s.name} exited with code ${code}`);
        });
      },
    });
    say(`kafka     topic ${channel.topic}${channel.genesisPublished ? ' (registry genesis published)' : ''}`);
    for (const s of Object.values(services)) {
      say(`${s.name.padEnd(13)} ${s.url}   (health ${s.url}/healthz, log ${join(logDir, `${s.name}.log`)})`);
    }
    say(`credentials   ${credentialsFile}`);
    say(
      `counter page  ${services.ledger.url}/   (verify: paste a pharmacist token from the credentials file)`,
    );
    say(
      `dispensing    ${services.pharmacy.url}/   (verify and dispense: paste a pharmacy's counter scanner key)`,
    );
    say(`regulators    ${services.ledger.url}/regulator   (choose the credentials file as trust anchors)`);
    say('\nrxledger is running. Ctrl-C stops everything.');
    if (flags.demo) {
      say(`demo      a simulated network posts through the partner services (npm start -- --no-demo: none)`);
      void runDemoSimulation({
        credentialsFile,
        dataDir,
        rate: flags.demoRate,
        pageUrl: services.ledger.url,
        say,
        signal: demo.signal,
      }).catch((e: Error) => say(`demo      stopped: ${e.message}`));
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    await stopAll('start failed');
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
