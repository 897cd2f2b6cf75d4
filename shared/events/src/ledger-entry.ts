import { asBuffer } from './bytes.ts';
import { CodecError } from './errors.ts';
import type { SchemaSet } from './schema-set.ts';
import { RECORD_NAMES, rxledgerSchemas } from './schemas.ts';

type Link = Uint8Array | null;

/** A Merkle log leaf before encoding (DESIGN §4): v2 when it carries `appendedAt` and `signerLinks`. */
export interface LedgerEntry {
  seq: number;
  /** v2: the broker's append time of the record, epoch ms. Absent in v1 leaves. */
  appendedAt?: number;
  /** The exact Kafka record value. */
  signedEvent: Uint8Array;
  /**
   * Per link subject (linkSubjects: the named items in event order, then a REGISTRY event's registry
   * subjects; v1 has the items only): the 32-byte leaf hash of the previous entry naming it, or null.
   */
  links: Link[];
  /**
   * v2: per signer subject (signerSubjects: party, then key), the leaf hash of the latest REGISTRY
   * leaf naming it before this one, or null. Absent in v1 leaves.
   */
  signerLinks?: Link[];
}

/** A decoded ledger entry and the schema version its leaf was written with. */
export type DecodedLedgerEntry = LedgerEntry & { version: 1 | 2 };

/**
 * Avro single-object encoding of a ledger entry: the leaf bytes. Written as LedgerEntry v2 when the
 * entry has `appendedAt` and `signerLinks`, as v1 when it has neither (so old leaves re-encode to
 * their own bytes); one without the other is refused with CodecError INVALID_RECORD.
 */
export function encodeLedgerEntry(entry: LedgerEntry, schemas: SchemaSet = rxledgerSchemas): Uint8Array {
  const v2 = entry.appendedAt !== undefined || entry.signerLinks !== undefined;
  if (!v2) {
    return schemas.encode(RECORD_NAMES.ledgerEntry, {
      seq: entry.seq,
      signedEvent: asBuffer(entry.signedEvent),
      links: entry.links.map(hashOf('rxledger.v1.Hash')),
    });
  }
  if (entry.appendedAt === undefined || entry.signerLinks === undefined) {
    const missing = entry.appendedAt === undefined ? 'appendedAt' : 'signerLinks';
    throw new CodecError('INVALID_RECORD', `cannot encode ${RECORD_NAMES.ledgerEntryV2}: invalid ${missing}`);
  }
  return schemas.encode(RECORD_NAMES.ledgerEntryV2, {
    seq: entry.seq,
    appendedAt: entry.appendedAt,
    signedEvent: asBuffer(entry.signedEvent),
    links: entry.links.map(hashOf('rxledger.v2.Hash')),
    signerLinks: entry.signerLinks.map(hashOf('rxledger.v2.Hash')),
  });
}

/** The ledger entry in leaf `bytes`, v1 or v2, saying which; throws CodecError otherwise. */
export function decodeLedgerEntry(
  bytes: Uint8Array,
  schemas: SchemaSet = rxledgerSchemas,
): DecodedLedgerEntry {
  const record = schemas.decode(bytes);
  if (record.name === RECORD_NAMES.ledgerEntry) {
    const v = record.value as { seq: number; signedEvent: Uint8Array; links: AvroLink[] };
    return {
      version: 1,
      seq: v.seq,
      signedEvent: new Uint8Array(v.signedEvent),
      links: v.links.map(linkOf('rxledger.v1.Hash')),
    };
  }
  if (record.name === RECORD_NAMES.ledgerEntryV2) {
    const v = record.value as {
      seq: number;
      appendedAt: number;
      signedEvent: Uint8Array;
      links: AvroLink[];
      signerLinks: AvroLink[];
    };
    return {
      version: 2,
      seq: v.seq,
      appendedAt: v.appendedAt,
      signedEvent: new Uint8Array(v.signedEvent),
      links: v.links.map(linkOf('rxledger.v2.Hash')),
      signerLinks: v.signerLinks.map(linkOf('rxledger.v2.Hash')),
    };
  }
  throw new CodecError(
    'WRONG_RECORD_TYPE',
    `expected a ${RECORD_NAMES.ledgerEntry} or ${RECORD_NAMES.ledgerEntryV2} record, found ${record.name} (0x${record.fingerprint})`,
  );
}

type AvroLink = { [k: string]: Uint8Array } | null;

// avsc wraps union branches as { "<full name>": value } (SchemaSet reads with wrapUnions).
const hashOf = (name: string) => (h: Link) => (h === null ? null : { [name]: asBuffer(h) });
const linkOf = (name: string) => (l: AvroLink) => (l === null ? null : new Uint8Array(l[name] as Uint8Array));
