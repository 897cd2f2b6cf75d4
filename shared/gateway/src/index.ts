// @rxledger/gateway: the one library behind the manufacturer, distributor and pharmacy services.
// They differ only in their PartnerProfile: the event types they take and the routes they add.

export {
  createGateway,
  type Gateway,
  type GatewayOptions,
  type GatewayRouteContext,
  type PartnerProfile,
} from './gateway.ts';
export type { LedgerClient, LedgerReply } from './ledger-client.ts';
export {
  type PartnerConfig,
  type PartyConfig,
  parsePartnerConfig,
  readPartnerConfig,
} from './partner-config.ts';
export { type KafkaSecurity, type PartnerEnv, partnerEnvSchema, readKafkaSecurity } from './partner-env.ts';
export { MAX_BATCH_EVENTS } from './prepare-batch.ts';
export { runPartnerService } from './run-partner-service.ts';
export { hashScannerKey, type Scanner } from './scanner-auth.ts';
export { MAX_RECORD_BYTES } from './sign-batch.ts';
