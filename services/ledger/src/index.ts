export { createLedgerService, type LedgerService, type LedgerServiceOptions } from './ledger-service.ts';
