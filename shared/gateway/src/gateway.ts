import { randomUUID } from 'node:crypto';
import type { EventType } from '@rxledger/events';
import {
  assertCustodyTopic,
  createKafkaClient,
  custodyTopicName,
  KafkaSetupError,
  type KafkaSecurity,
  kafkaReadiness,
} from '@rxledger/kafka';
import { createHttpService, type Logger } from '@rxledger/runtime';
import type { Express, RequestHandler, Response } from 'express';
import type { Registry } from 'prom-client';
import type { LruLimits } from './bounded-lru.ts';
import { BrokerClock } from './broker-clock.ts';
import { CaptureJobs } from './capture-jobs.ts';
import { mountEpcisCapture } from './epcis-capture.ts';
import { createEventPublisher } from './event-publisher.ts';
import { mountEventStatus } from './event-status.ts';
import { createGatewayMetrics } from './gateway-metrics.ts';
import type { HostedParty } from './hosted-party.ts';
import { kafkaLogSink } from './kafka-log-sink.ts';
import { createLedgerClient, type LedgerClient } from './ledger-client.ts';
import { createLiveParties } from './live-parties.ts';
import type { PartyConfig } from './partner-config.ts';
import { mountPostEvents } from './post-events.ts';
import { publishBatch } from './publish-batch.ts';
import { scannerAuth, scannerOf } from './scanner-auth.ts';
import { SignedEventCache } from './signed-event-cache.ts';

/** What an extra route of one partner kind (the pharmacy's verify) may use. */
export interface GatewayRouteContext {
  /** Middleware: 401 unless the request carries a known scanner key. */
  authenticate: RequestHandler;
  /** The authenticated scanner's party: its GLN, name and ledger token (never its key). */
  partyOf(res: Response): { gln: string; name: string; ledgerToken?: string | undefined };
  ledger: LedgerClient;
  log: Logger;
  metrics: Registry;
  /**
   * Publishes `events` (JSON, as POST /v1/events takes them, of `types` only) for the authenticated
   * scanner of `res`, through the same path as POST /v1/events: resolves with their eventIds once
   * Kafka acknowledged them, and MUST NOT before (the pharmacy's counter verify raises alerts so).
   */
  publish(events: unknown[], res: Response, types: readonly EventType[]): Promise<string[]>;
}

/** What makes one kind of partner service: its name, the event types it takes, its extra routes. */
export interface PartnerProfile {
  name: string;
  acceptTypes: readonly EventType[];
  /** DESIGN §5 port. */
  defaultPort: number;
  extraRoutes?: (app: Express, ctx: GatewayRouteContext) => void;
}

/** A profile plus where this instance listens, which Kafka and ledger it uses, and its limits. */
export interface GatewayOptions extends Omit<PartnerProfile, 'defaultPort'> {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  brokers: string[];
  /** TLS and SASL towards the brokers (readKafkaSecurity); omitted means plaintext. */
  kafkaSecurity?: KafkaSecurity | undefined;
  channel: string;
  /** The parties hosted here (PARTNER_CONFIG); their keys are read by start(). */
  parties: readonly PartyConfig[];
  /**
   * The PARTNER_CONFIG file `parties` came from: when given, it and its key files are watched, and a
   * change is taken without a restart (or refused, keeping the last good one; see reload()).
   */
  configFile?: string | undefined;
  /** How often the ledger's registry is read to pick each party's signing key; default 5 s, 0 never. */
  registryPollMs?: number;
  /** Base URL of the ledger asked for event states (and the pharmacy's verify). */
  ledgerUrl: string;
  log: Logger;
  /** How long a POST waits for Kafka before answering 503; default 10 s. */
  publishTimeoutMs?: number;
  /** How long a call to the ledger may take; default 5 s. */
  ledgerTimeoutMs?: number;
  /** Largest POST /v1/events or /v1/epcis/capture body; default 32 MB. */
  bodyLimit?: string | number;
  /** Bounds of the idempotency cache; default 1,000,000 events or 256 MB. */
  cacheLimits?: LruLimits;
  /** This host's clock; default Date.now (tests skew it). */
  now?: () => number;
  /** Told when the gateway cannot go on (an unfit custody topic); a service's main stops the process. */
  onFatal?: (err: Error) => void;
}

/** A running partner gateway (STYLE §6). */
export interface Gateway {
  /** Loads the parties' keys, then listens; resolves with the base URL. */
  start(): Promise<string>;
  /** Stops listening, fails what still waits for Kafka with 503, disconnects; leaves nothing running. */
  stop(): Promise<void>;
  /**
   * Reads the configFile and its key files again (SIGHUP); resolves true when taken, false when
   * refused (logged, in /healthz and /metrics; the last good configuration stays in force).
   */
  reload(): Promise<boolean>;
}

/**
 * One partner gateway: scanners of one kind of trading partner post custody events to it, and it signs
 * them with their party's key and publishes them to the channel. The three partner services are this
 * function with different profiles.
 * @example createGateway({ ...manufacturer, host, port, brokers, channel, parties, ledgerUrl, log })
 */
export function createGateway(opts: GatewayOptions): Gateway {
  const kafka = createKafkaClient({
    brokers: opts.brokers,
    security: opts.kafkaSecurity,
    clientId: `rxledger-${opts.name}`,
    log: kafkaLogSink(opts.log),
  });
  const kafkaProbe = kafkaReadiness(kafka);
  const topic = custodyTopicName(opts.channel);
  const now = opts.now ?? Date.now;
  const clock = new BrokerClock(now);
  // The topic's settings are checked once Kafka answers; an unfit topic stops the service.
  let topicChecked: Promise<void> | undefined;
  let unfitTopic: Error | undefined;
  const verifyTopic = () => {
    topicChecked ??= (async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await assertCustodyTopic(admin, topic);
      } finally {
        await admin.disconnect();
      }
    })().catch((err: Error) => {
      if (err instanceof KafkaSetupError) {
        unfitTopic = err;
        opts.log.fatal({ topic }, err.message);
        opts.onFatal?.(err);
      } else topicChecked = undefined;
      throw err;
    });
    return topicChecked;
  };
  const publisher = createEventPublisher({
    kafka,
    topic,
    log: opts.log,
    timeoutMs: opts.publishTimeoutMs ?? 10_000,
    clock,
    verifyTopic,
  });
  const ledger = createLedgerClient({ baseUrl: opts.ledgerUrl, timeoutMs: opts.ledgerTimeoutMs ?? 5_000 });
  const live = createLiveParties({
    parties: opts.parties,
    configFile: opts.configFile,
    ledger,
    log: opts.log,
    now,
    registryPollMs: opts.registryPollMs,
  });
  const authenticate = scannerAuth(`rxledger-${opts.name}`, live.scanners);
  const partyOf = (res: Response): HostedParty => live.signer(scannerOf(res).party);

  const http = createHttpService({
    name: opts.name,
    host: opts.host,
    port: opts.port,
    log: opts.log,
    async readiness() {
      if (!live.started) return { ready: false, detail: 'signing keys not loaded' };
      if (unfitTopic) return { ready: false, detail: unfitTopic.message };
      return kafkaProbe.check();
    },
    routes(app, registry) {
      live.registerMetrics(registry);
      // Before the shell's own /healthz: the same answer, with the configuration and signing keys.
      app.get('/healthz', (_req, res) => {
        res.json({ status: 'ok', service: opts.name, ...live.status() });
      });
      const deps = {
        service: opts.name,
        acceptTypes: opts.acceptTypes,
        authenticate,
        partyOf,
        hostedGlns: live.glns,
        cache: new SignedEventCache(opts.cacheLimits),
        publisher,
        ledger,
        metrics: createGatewayMetrics(registry),
        log: opts.log,
        bodyLimit: opts.bodyLimit ?? '32mb',
        now,
        brokerClock: clock,
        newEventId: randomUUID,
      };
      mountPostEvents(app, deps);
      mountEventStatus(app, deps);
      mountEpcisCapture(app, { ...deps, captures: new CaptureJobs() });
      opts.extraRoutes?.(app, {
        authenticate,
        partyOf: (res) => {
          const { gln, name, ledgerToken } = partyOf(res);
          return { gln, name, ledgerToken };
        },
        ledger,
        log: opts.log,
        metrics: registry,
        publish: (events, res, types) => publishBatch({ events }, res, { ...deps, acceptTypes: types }),
      });
    },
  });

  return {
    async start() {
      await live.start();
      const url = await http.start();
      publisher.warmUp();
      return url;
    },
    reload: live.reload,
    async stop() {
      live.stop();
      const closing = http.stop();
      // Scanners still waiting for Kafka get their 503 now instead of holding the server open.
      await publisher.close();
      await closing;
      await kafkaProbe.close();
    },
  };
}
