import { EMBEDDED_SCHEMAS } from './embedded-schemas.ts';
import { SchemaSet } from './schema-set.ts';

// The .avsc files are the contract (DESIGN §4). They are embedded as data so this module runs where
// there are no files (a browser); a unit test holds the embedded copy equal to the files.
function load(file: string): unknown {
  const schema = EMBEDDED_SCHEMAS[file];
  if (schema === undefined) throw new Error(`no embedded schema ${file}`);
  return schema;
}

/**
 * Full record names of every schema version rxledger reads. Ledgers write LedgerEntry v2; v1 leaves
 * (written before registry links) stay readable, and the single-object fingerprint tells them apart.
 * Partner services write SignedEvent v2 (batch-signed); v1 records stay accepted.
 * CustodyEvent v2 adds the undo and alert bodies; every event v1 can express is still written as v1.
 */
export const RECORD_NAMES = {
  custodyEvent: 'rxledger.v1.CustodyEvent',
  custodyEventV2: 'rxledger.v2.CustodyEvent',
  signedEvent: 'rxledger.v1.SignedEvent',
  signedEventV2: 'rxledger.v2.SignedEvent',
  ledgerEntry: 'rxledger.v1.LedgerEntry',
  ledgerEntryV2: 'rxledger.v2.LedgerEntry',
} as const;

/** Every schema version rxledger reads, as parsed `.avsc` JSON. */
export const SCHEMAS: readonly unknown[] = Object.freeze([
  load('custody-event.v1.avsc'),
  load('custody-event.v2.avsc'),
  load('signed-event.v1.avsc'),
  load('signed-event.v2.avsc'),
  load('ledger-entry.v1.avsc'),
  load('ledger-entry.v2.avsc'),
]);

/** The SchemaSet of every rxledger record version; `rxledgerSchemas.toJSON()` is `GET /v1/schemas`. */
export const rxledgerSchemas: SchemaSet = new SchemaSet(SCHEMAS);
