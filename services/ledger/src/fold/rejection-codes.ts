/**
 * Why a record on the topic was not appended (DESIGN §3, "Rejected, never appended"). Every code is
 * stored with the record's offset and a message, and is queryable at GET /v1/rejections.
 */
export const REJECTION_CODES = {
  UNDECODABLE: 'the record is not a known Avro single-object SignedEvent wrapping a CustodyEvent',
  NO_GENESIS: 'the registry has no genesis record yet; only the authority-signed genesis can be first',
  UNKNOWN_KEY: 'the signing key is not in the registry',
  KEY_NOT_YET_VALID: 'the key was not yet valid at the event time',
  KEY_REVOKED: 'the key was revoked at the event time',
  KEY_PARTY_MISMATCH: 'the key belongs to another party than the event names',
  ROLE_NOT_ENTITLED: 'the signing party has no role that may sign this event type',
  BAD_SIGNATURE: 'the Ed25519 signature does not verify (strict RFC 8032)',
  INVALID_EVENT: 'a field fails its rule (an identifier check digit, a character set, a length...)',
  FUTURE_EVENT_TIME: 'eventTime is more than 5 minutes after the broker received the record',
  NOT_GTIN_OWNER: 'COMMISSION or RECALL of a GTIN or SSCC outside the signer company prefixes',
  EVENT_ID_CONFLICT: 'the eventId was already used for an event with different content',
  REGISTRY_REJECTED: 'the REGISTRY event does not apply to the current registry',
} as const;

export type RejectionCode = keyof typeof REJECTION_CODES;
