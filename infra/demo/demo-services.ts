import { join } from 'node:path';
import { createKafkaClient, type KafkaSecurity } from '@rxledger/kafka';
import { parseWitnessList } from '@rxledger/ledger';
import { type ChildService, startChildService } from '../supervisor.ts';
import { type DemoChannel, prepareDemoChannel } from './demo-channel.ts';
import { DEMO_LOG_ORIGIN, writeCredentials } from './demo-setup.ts';

export type ServiceName = 'ledger' | 'manufacturer' | 'distributor' | 'pharmacy';

export interface DemoServicesOptions {
  brokers: string[];
  /** TLS and SASL for the setup client; the services read the same variables from the environment. */
  kafkaSecurity?: KafkaSecurity | undefined;
  channel: string;
  replicationFactor: number;
  minInsyncReplicas: number;
  dataDir: string;
  host: string;
  /** 0 picks free ports. */
  ports: Record<ServiceName, number>;
  /** Extra environment for every service (LOG_LEVEL...). */
  env?: NodeJS.ProcessEnv;
  /** Told about each service as soon as it listens, so a caller can stop it if a later one fails. */
  onStarted?: (service: ChildService) => void;
}

export interface DemoServices {
  channel: DemoChannel;
  services: Record<ServiceName, ChildService>;
  credentialsFile: string;
}

/**
 * The demo system as separate processes: the channel prepared (topic, identities, genesis), the
 * ledger first (the partner services need its URL), then the three partner services, and the
 * credentials file written with the URLs they listen on.
 */
export async function startDemoServices(opts: DemoServicesOptions): Promise<DemoServices> {
  const channel = await prepareDemoChannel(
    createKafkaClient({ brokers: opts.brokers, security: opts.kafkaSecurity, clientId: 'rxledger-demo' }),
    {
      channel: opts.channel,
      replicationFactor: opts.replicationFactor,
      minInsyncReplicas: opts.minInsyncReplicas,
    },
    opts.dataDir,
  );
  const logDir = join(opts.dataDir, 'logs');
  const common = {
    ...opts.env,
    KAFKA_BROKERS: opts.brokers.join(','),
    CHANNEL: opts.channel,
    HOST: opts.host,
  };
  const started = async (name: ServiceName, env: NodeJS.ProcessEnv) => {
    const service = await startChildService(
      name,
      { ...common, PORT: String(opts.ports[name]), ...env },
      logDir,
    );
    opts.onStarted?.(service);
    return service;
  };
  const ledger = await started('ledger', {
    DATA_DIR: join(opts.dataDir, 'ledger'),
    CHECKPOINT_KEY_FILE: channel.identities.checkpointKeyFile,
    AUTHORITY_KEY_FILE: channel.authorityKeyFile,
    LOG_ORIGIN: DEMO_LOG_ORIGIN,
    LEDGER_TOKENS_FILE: channel.ledgerTokensFile,
    // A demo's webhook receivers run beside it, on this machine.
    ALERT_WEBHOOK_PRIVATE: '1',
  });
  const [manufacturer, distributor, pharmacy] = await Promise.all(
    (['manufacturer', 'distributor', 'pharmacy'] as const).map((name) =>
      started(name, { LEDGER_URL: ledger.url, PARTNER_CONFIG: channel.partnerConfigs[name] }),
    ),
  );
  const services = { ledger, manufacturer: manufacturer!, distributor: distributor!, pharmacy: pharmacy! };
  const witnesses = parseWitnessList(
    opts.env?.RXLEDGER_WITNESSES ?? process.env.RXLEDGER_WITNESSES ?? '',
    'RXLEDGER_WITNESSES',
  );
  const credentialsFile = await writeCredentials(
    opts.dataDir,
    channel.identities,
    {
      ledger: ledger.url,
      manufacturer: services.manufacturer.url,
      distributor: services.distributor.url,
      pharmacy: services.pharmacy.url,
    },
    witnesses.map((w) => w.key.vkey),
  );
  return { channel, services, credentialsFile };
}
