// The normalized custody event every part of rxledger works with: identifiers already in canonical form
// (Digital Link URIs, GLN-13, GTIN-14), time as epoch milliseconds plus the original zone offset.

/** Every custody event type (DESIGN §3). */
export const EVENT_TYPES = [
  'COMMISSION',
  'AGGREGATE',
  'DISAGGREGATE',
  'SHIP',
  'RECEIVE',
  'DISPENSE',
  'DECOMMISSION',
  'RECALL',
  'REGISTRY',
  'UNDO_DISPENSE',
  'RAISE_ALERT',
  'UPDATE_ALERT',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Participant roles in the registry. */
export const ROLES = ['AUTHORITY', 'MANUFACTURER', 'DISTRIBUTOR', 'PHARMACY', 'REGULATOR'] as const;
export type Role = (typeof ROLES)[number];

/** Reasons a pack or container may be decommissioned. */
export const DECOMMISSION_REASONS = ['destroyed', 'stolen', 'sample', 'expired', 'damaged'] as const;
export type DecommissionReason = (typeof DECOMMISSION_REASONS)[number];

/**
 * The alert codes of a verify answer (DESIGN §5), as pharmacists know them from NMVS and the US VRS.
 * A RAISE_ALERT event carries one of them, so they live with the events.
 */
export const ALERT_CODES = [
  'UNKNOWN_PRODUCT',
  'UNKNOWN_SERIAL',
  'LOT_MISMATCH',
  'EXPIRY_MISMATCH',
  'EXPIRED',
  'ALREADY_DISPENSED',
  'DECOMMISSIONED',
  'RECALLED',
  'CUSTODY_MISMATCH',
  'CHAIN_ANOMALY',
] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

/** Investigation steps of an alert (UPDATE_ALERT); an alert starts OPEN, which no event sets. */
export const ALERT_STATUSES = ['INVESTIGATING', 'INFO_REQUESTED', 'INFO_PROVIDED', 'CLOSED'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Why an alert was closed (the EMVO alert-management categories). */
export const ALERT_ROOT_CAUSES = [
  'PHARMACY_TECHNICAL_ERROR',
  'PHARMACY_PROCEDURAL_ERROR',
  'MANUFACTURER_DATA_ERROR',
  'DISTRIBUTOR_ERROR',
  'SYSTEM_ERROR',
  'CONFIRMED_FALSIFICATION',
] as const;
export type AlertRootCause = (typeof ALERT_ROOT_CAUSES)[number];

/** Fields every event carries. */
export interface EventHeader {
  /** Idempotency key: 1..128 chars of [A-Za-z0-9._:-]. */
  eventId: string;
  /** Epoch milliseconds. */
  eventTime: number;
  /** Minutes east of UTC of the original RFC 3339 time. */
  eventTimeOffsetMinutes: number;
  /** GLN-13 of the signing party. */
  party: string;
  /** GLN-13 of the site. */
  site: string;
}

export interface CommissionBody {
  type: 'COMMISSION';
  items: string[];
  lot: string;
  /** YYMMDD as scanned. */
  expiry: string;
}
export interface AggregateBody {
  type: 'AGGREGATE';
  parent: string;
  children: string[];
}
export interface DisaggregateBody {
  type: 'DISAGGREGATE';
  parent: string;
  /** Empty means all children. */
  children: string[];
}
export interface ShipBody {
  type: 'SHIP';
  items: string[];
  to: string;
}
export interface ReceiveBody {
  type: 'RECEIVE';
  items: string[];
  from: string;
}
export interface DispenseBody {
  type: 'DISPENSE';
  items: string[];
}
export interface DecommissionBody {
  type: 'DECOMMISSION';
  items: string[];
  reason: DecommissionReason;
}
export interface RecallBody {
  type: 'RECALL';
  /** GTIN-14. */
  gtin: string;
  lot: string;
  reason: string;
}
export interface RegistryBody {
  type: 'REGISTRY';
  changes: RegistryChange[];
}
/** Reverts a dispense of the same pharmacy (EU 2016/161 Art. 13); CustodyEvent v2. */
export interface UndoDispenseBody {
  type: 'UNDO_DISPENSE';
  /** eventId of the reverted DISPENSE, signed by the same party. */
  dispense: string;
  /** SGTIN URIs returned: all or some of that dispense's items. */
  items: string[];
}
/** A potential-falsification alert raised at a pharmacy's verify; CustodyEvent v2. */
export interface RaiseAlertBody {
  type: 'RAISE_ALERT';
  /** SGTIN URI of the scanned pack. */
  item: string;
  code: AlertCode;
  /** As scanned; '' when the scan carried none. */
  lot: string;
  /** YYMMDD as scanned; '' when the scan carried none. */
  expiry: string;
}
/** One step of an alert investigation; CustodyEvent v2. */
export interface UpdateAlertBody {
  type: 'UPDATE_ALERT';
  alert: string;
  /** SGTIN URI of the alert's pack. */
  item: string;
  status: AlertStatus;
  /** Set exactly when status is CLOSED. */
  rootCause: AlertRootCause | null;
  /** At most 500 characters; never patient data. */
  note: string;
}

export type CustodyEventBody =
  | CommissionBody
  | AggregateBody
  | DisaggregateBody
  | ShipBody
  | ReceiveBody
  | DispenseBody
  | DecommissionBody
  | RecallBody
  | RegistryBody
  | UndoDispenseBody
  | RaiseAlertBody
  | UpdateAlertBody;

/** A custody event; narrow on `type` to reach the per-type fields. */
export type CustodyEvent = EventHeader & CustodyEventBody;

/** The custody event of one type. */
export type CustodyEventOf<T extends EventType> = EventHeader & Extract<CustodyEventBody, { type: T }>;

export interface AddParty {
  kind: 'AddParty';
  gln: string;
  name: string;
  roles: Role[];
  companyPrefixes: string[];
}
export interface SetRoles {
  kind: 'SetRoles';
  gln: string;
  roles: Role[];
}
export interface SetCompanyPrefixes {
  kind: 'SetCompanyPrefixes';
  gln: string;
  companyPrefixes: string[];
}
export interface AddKey {
  kind: 'AddKey';
  gln: string;
  keyId: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  validFrom: number;
}
export interface RevokeKey {
  kind: 'RevokeKey';
  gln: string;
  keyId: string;
  revokedAt: number;
  reason: string;
}

/** One change to the participant registry. */
export type RegistryChange = AddParty | SetRoles | SetCompanyPrefixes | AddKey | RevokeKey;
