import { createKafkaClient, kafkaReadiness } from '@rxledger/kafka';
import { createHttpService, type Logger } from '@rxledger/runtime';
import type { Express } from 'express';

/** The kinds of trading partner a gateway can face scanners for. */
export type PartnerKind = 'manufacturer' | 'distributor' | 'pharmacy';

export interface GatewayOptions {
  kind: PartnerKind;
  host: string;
  port: number;
  brokers: string[];
  channel: string;
  log: Logger;
  /** Routes only this kind of partner adds (the pharmacy's counter verify). */
  extraRoutes?: (app: Express) => void;
}

export interface Gateway {
  start(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * One partner gateway: scanners of one kind of trading partner talk to it. The three partner
 * services are this function with different options.
 */
export function createGateway(opts: GatewayOptions): Gateway {
  const kafka = createKafkaClient({
    brokers: opts.brokers,
    clientId: `rxledger-${opts.kind}`,
    log: opts.log,
  });
  const kafkaProbe = kafkaReadiness(kafka);
  const http = createHttpService({
    name: opts.kind,
    host: opts.host,
    port: opts.port,
    log: opts.log,
    readiness: () => kafkaProbe.check(),
    routes: (app) => opts.extraRoutes?.(app),
  });
  return {
    start: () => http.start(),
    async stop() {
      await http.stop();
      await kafkaProbe.close();
    },
  };
}
