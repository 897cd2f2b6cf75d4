export { type Principal, type Role, type TokenFile, tokenFileSchema, tokenHash } from './auth/principal.ts';
export { createLedgerService, type LedgerService, type LedgerServiceOptions } from './ledger-service.ts';
export type { AlertNotice } from './alerts/alert-notice.ts';
export { publishRegistryEvent } from './cli/registry/publish-registry-event.ts';
export { parseWitnessList, type WitnessEndpoint } from './witness/witness-config.ts';
export {
  checkQuality,
  formatQuality,
  readNetwork,
  runRounds,
  type Showcase,
  type SimAccess,
  showcaseLines,
} from './simulate/index.ts';
