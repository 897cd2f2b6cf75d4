import { asBuffer } from './bytes.ts';
import type { SchemaSet } from './schema-set.ts';
import { RECORD_NAMES, rxledgerSchemas } from './schemas.ts';

/** A Merkle log leaf before encoding (DESIGN §4). */
export interface LedgerEntry {
  seq: number;
  /** The exact Kafka record value. */
  signedEvent: Uint8Array;
  /** Per named item, in event order: the 32-byte leaf hash of the previous entry naming it, or null. */
  links: (Uint8Array | null)[];
}

/** Avro single-object encoding of a ledger entry: the leaf bytes. */
export function encodeLedgerEntry(entry: LedgerEntry, schemas: SchemaSet = rxledgerSchemas): Uint8Array {
  return schemas.encode(RECORD_NAMES.ledgerEntry, {
    seq: entry.seq,
    signedEvent: asBuffer(entry.signedEvent),
    links: entry.links.map((h) => (h === null ? null : { 'rxledger.v1.Hash': asBuffer(h) })),
  });
}

/** The ledger entry in leaf `bytes`; throws CodecError otherwise. */
export function decodeLedgerEntry(bytes: Uint8Array, schemas: SchemaSet = rxledgerSchemas): LedgerEntry {
  const record = schemas.decodeAs(RECORD_NAMES.ledgerEntry, bytes);
  const v = record.value as {
    seq: number;
    signedEvent: Uint8Array;
    links: ({ [k: string]: Uint8Array } | null)[];
  };
  return {
    seq: v.seq,
    signedEvent: new Uint8Array(v.signedEvent),
    links: v.links.map((l) => (l === null ? null : new Uint8Array(l['rxledger.v1.Hash'] as Uint8Array))),
  };
}
