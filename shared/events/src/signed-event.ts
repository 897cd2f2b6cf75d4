import { asBuffer } from './bytes.ts';
import type { BatchPosition } from './batch-signature.ts';
import { CodecError } from './errors.ts';
import type { SchemaSet } from './schema-set.ts';
import { RECORD_NAMES, rxledgerSchemas } from './schemas.ts';

/**
 * The Kafka record value (DESIGN §4): an encoded custody event, the signing key's id and the
 * signature. Without `batch` it is a v1 record, signed on its own; with it a v2 record, whose
 * signature covers the root of its batch and `batch` says how to reach that root from `event`.
 */
export interface SignedEvent {
  /** The custody event's single-object encoding, exactly as signed. */
  event: Uint8Array;
  keyId: string;
  /** 64-byte Ed25519 signature. */
  signature: Uint8Array;
  /** v2 only: the event's place in the batch the signature covers. */
  batch?: BatchPosition;
}

/** Avro single-object encoding of a signed event (v2 when it has a batch, else v1): the exact Kafka record value. */
export function encodeSignedEvent(signed: SignedEvent, schemas: SchemaSet = rxledgerSchemas): Uint8Array {
  const common = {
    event: asBuffer(signed.event),
    keyId: signed.keyId,
    signature: asBuffer(signed.signature),
  };
  if (signed.batch === undefined) return schemas.encode(RECORD_NAMES.signedEvent, common);
  const { index, size, path } = signed.batch;
  return schemas.encode(RECORD_NAMES.signedEventV2, {
    ...common,
    leafIndex: index,
    batchSize: size,
    path: path.map(asBuffer),
  });
}

interface RecordValue {
  event: Uint8Array;
  keyId: string;
  signature: Uint8Array;
  leafIndex?: number;
  batchSize?: number;
  path?: Uint8Array[];
}

/** The signed event (v1 or v2) in `bytes`, the inner event still encoded; throws CodecError otherwise. */
export function decodeSignedEvent(bytes: Uint8Array, schemas: SchemaSet = rxledgerSchemas): SignedEvent {
  const record = schemas.decode(bytes);
  const v = record.value as RecordValue;
  // Copies: avsc hands out slices of a shared pool.
  const signed: SignedEvent = {
    event: new Uint8Array(v.event),
    keyId: v.keyId,
    signature: new Uint8Array(v.signature),
  };
  if (record.name === RECORD_NAMES.signedEventV2) {
    // Views, not copies: the strict reader hands out a fresh copy of every fixed it reads.
    const path = v.path!.map((h) => new Uint8Array(h.buffer, h.byteOffset, h.byteLength));
    signed.batch = { index: v.leafIndex!, size: v.batchSize!, path };
  } else if (record.name !== RECORD_NAMES.signedEvent) {
    throw new CodecError(
      'WRONG_RECORD_TYPE',
      `expected a ${RECORD_NAMES.signedEvent} or ${RECORD_NAMES.signedEventV2} record, found ${record.name} (0x${record.fingerprint})`,
    );
  }
  return signed;
}
