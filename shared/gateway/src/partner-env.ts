// The Kafka TLS and SASL variables are read by the one parser every service's main calls.
export { type KafkaSecurity, readKafkaSecurity } from '@rxledger/kafka';
import { env } from '@rxledger/runtime';
import { z } from 'zod';
import type { PartnerProfile } from './gateway.ts';

/**
 * The environment a partner service reads, for its main.ts to validate once with readConfig.
 * PARTNER_CONFIG names the JSON file of hosted parties (see readPartnerConfig).
 */
export function partnerEnvSchema(profile: Pick<PartnerProfile, 'defaultPort'>) {
  return z.object({
    HOST: env.host(),
    PORT: env.port(profile.defaultPort),
    KAFKA_BROKERS: env
      .brokers()
      .refine((b) => b !== undefined, 'required: the Kafka brokers (host:port,...)')
      .transform((b) => b as string[]),
    CHANNEL: env.channel(),
    LOG_LEVEL: env.logLevel(),
    LEDGER_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:7100' })
      .default('http://127.0.0.1:7100'),
    PARTNER_CONFIG: z
      .string({ error: 'required: path of the JSON file listing the parties this service hosts' })
      .min(1, 'required: path of the JSON file listing the parties this service hosts'),
  });
}

/** A partner service's validated environment. */
export type PartnerEnv = z.output<ReturnType<typeof partnerEnvSchema>>;
