import { asBuffer } from './bytes.ts';
import type { SchemaSet } from './schema-set.ts';
import { RECORD_NAMES, rxledgerSchemas } from './schemas.ts';

/** The Kafka record value (DESIGN §4): an encoded custody event, the signing key's id and the signature. */
export interface SignedEvent {
  /** The custody event's single-object encoding, exactly as signed. */
  event: Uint8Array;
  keyId: string;
  /** 64-byte Ed25519 signature. */
  signature: Uint8Array;
}

/** Avro single-object encoding of a signed event: the exact Kafka record value. */
export function encodeSignedEvent(signed: SignedEvent, schemas: SchemaSet = rxledgerSchemas): Uint8Array {
  return schemas.encode(RECORD_NAMES.signedEvent, {
    event: asBuffer(signed.event),
    keyId: signed.keyId,
    signature: asBuffer(signed.signature),
  });
}

/** The signed event in `bytes` (the inner event stays encoded); throws CodecError otherwise. */
export function decodeSignedEvent(bytes: Uint8Array, schemas: SchemaSet = rxledgerSchemas): SignedEvent {
  const record = schemas.decodeAs(RECORD_NAMES.signedEvent, bytes);
  const v = record.value as { event: Uint8Array; keyId: string; signature: Uint8Array };
  // Copies: avsc hands out slices of a shared pool.
  return { event: new Uint8Array(v.event), keyId: v.keyId, signature: new Uint8Array(v.signature) };
}
