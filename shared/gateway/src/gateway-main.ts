import { createLogger, env, readConfig, runUntilStopped } from '@rxledger/runtime';
import type { Express } from 'express';
import { z } from 'zod';
import { createGateway, type PartnerKind } from './gateway.ts';

/** Default ports of DESIGN.md §5. */
export const DEFAULT_PORTS: Record<PartnerKind, number> = {
  manufacturer: 7101,
  distributor: 7102,
  pharmacy: 7103,
};

/** The environment a partner service reads, validated once at start. */
export function gatewayEnvSchema(kind: PartnerKind) {
  return z.object({
    HOST: env.host(),
    PORT: env.port(DEFAULT_PORTS[kind]),
    KAFKA_BROKERS: env
      .brokers()
      .refine((b) => b !== undefined, 'required: the Kafka brokers (host:port,...)'),
    CHANNEL: env.channel(),
    LOG_LEVEL: env.logLevel(),
  });
}

/** The body of each partner service's main.ts: read the environment, start, run until stopped. */
export async function gatewayMain(
  kind: PartnerKind,
  environment: NodeJS.ProcessEnv,
  extraRoutes?: (app: Express) => void,
): Promise<void> {
  const config = readConfig(kind, gatewayEnvSchema(kind), environment);
  const log = createLogger({ service: kind, level: config.LOG_LEVEL });
  const gateway = createGateway({
    kind,
    host: config.HOST,
    port: config.PORT,
    brokers: config.KAFKA_BROKERS!,
    channel: config.CHANNEL,
    log,
    extraRoutes,
  });
  await runUntilStopped(
    {
      start: async () => {
        const url = await gateway.start();
        log.info({ url }, `${kind} listening on ${url}`);
      },
      stop: () => gateway.stop(),
    },
    log,
  );
}
