import { announceListening, createLogger, runUntilStopped } from '@rxledger/runtime';
import { createGateway, type PartnerProfile } from './gateway.ts';
import { loadHostedParties } from './hosted-party.ts';
import { readPartnerConfig } from './partner-config.ts';
import type { KafkaSecurity, PartnerEnv } from './partner-env.ts';

/**
 * The body of each partner service's main.ts, after it validated its environment: read the parties
 * file, start the gateway, run until a signal or the supervisor goes away. Throws ConfigError on a bad
 * parties file or key file; other start failures end the process with a log line. `kafkaSecurity` is
 * what readKafkaSecurity made of the environment.
 */
export async function runPartnerService(
  profile: PartnerProfile,
  config: PartnerEnv,
  kafkaSecurity?: KafkaSecurity,
): Promise<void> {
  const log = createLogger({ service: profile.name, level: config.LOG_LEVEL });
  const partners = await readPartnerConfig(config.PARTNER_CONFIG);
  // A key file that cannot be used is a configuration error: say so on stderr like the others, rather
  // than in a "start failed" log line (start() reads the keys again, which costs microseconds).
  await loadHostedParties(partners.parties);
  const gateway = createGateway({
    ...profile,
    host: config.HOST,
    port: config.PORT,
    brokers: config.KAFKA_BROKERS,
    kafkaSecurity,
    channel: config.CHANNEL,
    parties: partners.parties,
    configFile: config.PARTNER_CONFIG,
    ledgerUrl: config.LEDGER_URL,
    log,
    // An unfit custody topic (checkCustodyTopic) stops the service, as a bad configuration does.
    onFatal: (err) => {
      process.stderr.write(`${err.message}\n`);
      void gateway.stop().finally(() => process.exit(1));
    },
  });
  // The file watch takes edits by itself; SIGHUP is for where file events do not arrive (some network
  // and container mounts) and for operators who prefer to say when. Never a stop, as Node's default is.
  process.on('SIGHUP', () => void gateway.reload());
  await runUntilStopped(
    {
      start: async () => {
        const url = await gateway.start();
        log.info(
          {
            url,
            channel: config.CHANNEL,
            parties: partners.parties.map((p) => ({ gln: p.gln, scanners: p.scanners.length })),
            accepts: profile.acceptTypes,
          },
          `${profile.name} serves ${partners.parties.length} parties`,
        );
        announceListening(profile.name, url, log);
      },
      stop: () => gateway.stop(),
    },
    log,
  );
}
