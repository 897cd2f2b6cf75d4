// @rxledger/events/portable: everything of @rxledger/events that runs unchanged in a browser and in
// Node: no `node:` imports, the Avro schemas embedded, signatures with @noble. The verifier, the web
// page and the CLI all read records through this entry; `@rxledger/events` adds the Node-only parts
// (node:crypto signing, key files) on top of it.

export {
  type Admission,
  type AdmissionContext,
  admitRecord,
  type Attribution,
  checkEventTime,
  DEFAULT_LATENESS_MS,
  EVENT_TIME_FLOOR,
  type EventContent,
  MAX_RECORD_BYTES,
  readEventContent,
  REJECTION_CODES,
  type RejectionCode,
} from './admission.ts';
export {
  BATCH_SIGNING_CONTEXT,
  type BatchPosition,
  type BatchRejection,
  BatchTree,
  batchLeafHash,
  batchRecords,
  batchRootOf,
  batchSigningMessage,
  MAX_BATCH_SIZE,
  signEventBatch,
} from './batch-signature.ts';
export { applyRegistryEvent, type RegistryRejection, type RegistryResult } from './apply-registry-event.ts';
export { fromBase64, fromHex, toBase64, toHex } from '@rxledger/tlog';
export { crc64Avro, fingerprintBytes, fingerprintHex } from './crc64-avro.ts';
export {
  type AddKey,
  type AddParty,
  type AggregateBody,
  ALERT_CODES,
  ALERT_ROOT_CAUSES,
  ALERT_STATUSES,
  type AlertCode,
  type AlertRootCause,
  type AlertStatus,
  type CommissionBody,
  type CustodyEvent,
  type CustodyEventBody,
  type CustodyEventOf,
  DECOMMISSION_REASONS,
  type DecommissionBody,
  type DecommissionReason,
  type DisaggregateBody,
  type DispenseBody,
  EVENT_TYPES,
  type EventHeader,
  type EventType,
  type RaiseAlertBody,
  type RecallBody,
  type ReceiveBody,
  type RegistryBody,
  type RegistryChange,
  type RevokeKey,
  ROLES,
  type Role,
  type SetCompanyPrefixes,
  type SetRoles,
  type ShipBody,
  type UndoDispenseBody,
  type UpdateAlertBody,
} from './custody-event.ts';
export { decodeCustodyEvent, encodeCustodyEvent } from './custody-event-codec.ts';
export { type CustodyEventJson, custodyEventToJson } from './custody-event-json.ts';
export type { Ed25519 } from './ed25519.ts';
export { nobleEd25519 } from './ed25519-noble.ts';
export { CodecError, type CodecErrorCode, KeyError, type KeyErrorCode } from './errors.ts';
export {
  SIGNING_CONTEXT,
  type SignatureCheck,
  type SignatureRejection,
  signEvent,
  signedMessage,
  signedMessages,
  signingPayload,
  verifyEventSignature,
} from './event-signature.ts';
export { type GenesisParty, genesisEvent } from './genesis.ts';
export { keyIdOf, SigningKey, VerifyingKey } from './keys.ts';
export {
  type DecodedLedgerEntry,
  decodeLedgerEntry,
  encodeLedgerEntry,
  type LedgerEntry,
} from './ledger-entry.ts';
export {
  ENTITLEMENTS,
  maySign,
  type SignerCheck,
  type SignerQuery,
  type SignerRejection,
} from './may-sign.ts';
export { namedItems } from './named-items.ts';
export { ownsGtin } from './owns-gtin.ts';
export { parsingCanonicalForm } from './parsing-canonical-form.ts';
export { createRegistry, type Party, type RegisteredKey, type RegistryState } from './registry-state.ts';
export {
  keySubject,
  linkSubjects,
  partySubject,
  registrySubjects,
  signerSubjects,
} from './registry-subjects.ts';
export { formatRfc3339, parseRfc3339, type ZonedTime } from './rfc3339.ts';
export { type DecodedRecord, type KnownSchema, SchemaSet, SINGLE_OBJECT_MAGIC } from './schema-set.ts';
export { RECORD_NAMES, rxledgerSchemas, SCHEMAS } from './schemas.ts';
export { decodeSignedEvent, encodeSignedEvent, type SignedEvent } from './signed-event.ts';
export {
  checkCustodyEvent,
  EVENT_ID_PATTERN,
  MAX_FUTURE_MS,
  MAX_ITEMS,
  type ValidationContext,
  type ValidationResult,
  validateCustodyEvent,
} from './validate-custody-event.ts';
