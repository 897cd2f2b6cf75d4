import type { EventType } from '@rxledger/events';
import type { Logger } from '@rxledger/runtime';
import type { RequestHandler, Response } from 'express';
import type { BrokerClock } from './broker-clock.ts';
import type { EventPublisher } from './event-publisher.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { HostedParty } from './hosted-party.ts';
import type { LedgerClient } from './ledger-client.ts';
import type { SignedEventCache } from './signed-event-cache.ts';

/** What the gateway's own routes are built from; createGateway assembles it. */
export interface RouteDeps {
  service: string;
  acceptTypes: readonly EventType[];
  /** scannerAuth for this service's scanners. */
  authenticate: RequestHandler;
  /** The hosted party of the authenticated scanner. */
  partyOf(res: Response): HostedParty;
  /** GLNs of every party this service hosts. */
  hostedGlns(): Iterable<string>;
  cache: SignedEventCache;
  publisher: EventPublisher;
  ledger: LedgerClient;
  metrics: GatewayMetrics;
  log: Logger;
  /** express.json limit for POST /v1/events. */
  bodyLimit: string | number;
  now(): number;
  /** The broker's clock as far as known: events it would date in the future are refused at the door. */
  brokerClock: BrokerClock;
  newEventId(): string;
}
