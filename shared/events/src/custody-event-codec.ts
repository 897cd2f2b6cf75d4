import { asBuffer } from './bytes.ts';
import { CodecError } from './errors.ts';
import type {
  AlertCode,
  AlertRootCause,
  AlertStatus,
  CustodyEvent,
  CustodyEventBody,
  DecommissionReason,
  EventType,
  RegistryChange,
  Role,
} from './custody-event.ts';
import type { SchemaSet } from './schema-set.ts';
import { RECORD_NAMES, rxledgerSchemas } from './schemas.ts';

const NS = 'rxledger.v1.';
const NS2 = 'rxledger.v2.';

// Body record names without namespace. The first nine are in CustodyEvent v1 and v2; the rest only in v2.
const BODY_RECORDS: Record<EventType, string> = {
  COMMISSION: 'Commission',
  AGGREGATE: 'Aggregate',
  DISAGGREGATE: 'Disaggregate',
  SHIP: 'Ship',
  RECEIVE: 'Receive',
  DISPENSE: 'Dispense',
  DECOMMISSION: 'Decommission',
  RECALL: 'Recall',
  REGISTRY: 'Registry',
  UNDO_DISPENSE: 'UndoDispense',
  RAISE_ALERT: 'RaiseAlert',
  UPDATE_ALERT: 'UpdateAlert',
};
const V2_ONLY: ReadonlySet<EventType> = new Set(['UNDO_DISPENSE', 'RAISE_ALERT', 'UPDATE_ALERT']);
const TYPE_OF_RECORD = new Map(Object.entries(BODY_RECORDS).map(([type, name]) => [name, type as EventType]));

type AvroRecord = Record<string, unknown>;

/**
 * Avro single-object encoding of `event`: the exact bytes that are signed. An event CustodyEvent v1
 * can express is written as v1, so its bytes (and every signature and leaf over them) are what they
 * always were and a v1-only reader keeps reading them; the undo and alert events are written as v2.
 */
export function encodeCustodyEvent(event: CustodyEvent, schemas: SchemaSet = rxledgerSchemas): Uint8Array {
  const { eventId, eventTime, eventTimeOffsetMinutes, party, site } = event;
  const v2 = V2_ONLY.has(event.type);
  const ns = v2 ? NS2 : NS;
  const body = { [ns + BODY_RECORDS[event.type]]: bodyToAvro(event, ns) };
  return schemas.encode(v2 ? RECORD_NAMES.custodyEventV2 : RECORD_NAMES.custodyEvent, {
    eventId,
    eventTime,
    eventTimeOffsetMinutes,
    party,
    site,
    body,
  });
}

/** The custody event in `bytes`; throws CodecError if they are not a well-formed custody event record. */
export function decodeCustodyEvent(bytes: Uint8Array, schemas: SchemaSet = rxledgerSchemas): CustodyEvent {
  const record = schemas.decode(bytes);
  if (record.name !== RECORD_NAMES.custodyEvent && record.name !== RECORD_NAMES.custodyEventV2) {
    throw new CodecError(
      'WRONG_RECORD_TYPE',
      `expected a ${RECORD_NAMES.custodyEvent} or ${RECORD_NAMES.custodyEventV2} record, found ${record.name} (0x${record.fingerprint})`,
    );
  }
  const v = record.value as AvroRecord;
  const [branch, body] = unwrap(v.body);
  const ns = branch.slice(0, branch.lastIndexOf('.') + 1);
  const type = TYPE_OF_RECORD.get(branch.slice(ns.length)) as EventType;
  const header = {
    eventId: v.eventId as string,
    eventTime: v.eventTime as number,
    eventTimeOffsetMinutes: v.eventTimeOffsetMinutes as number,
    party: v.party as string,
    site: v.site as string,
  };
  return { ...header, ...bodyFromAvro(type, body, ns) };
}

function bodyToAvro(event: CustodyEventBody, ns: string): AvroRecord {
  switch (event.type) {
    case 'COMMISSION':
      return { items: event.items, lot: event.lot, expiry: event.expiry };
    case 'AGGREGATE':
    case 'DISAGGREGATE':
      return { parent: event.parent, children: event.children };
    case 'SHIP':
      return { items: event.items, to: event.to };
    case 'RECEIVE':
      return { items: event.items, from: event.from };
    case 'DISPENSE':
      return { items: event.items };
    case 'DECOMMISSION':
      return { items: event.items, reason: event.reason };
    case 'RECALL':
      return { gtin: event.gtin, lot: event.lot, reason: event.reason };
    case 'REGISTRY':
      return { changes: event.changes.map((c) => changeToAvro(c, ns)) };
    case 'UNDO_DISPENSE':
      return { dispense: event.dispense, items: event.items };
    case 'RAISE_ALERT':
      return { item: event.item, code: event.code, lot: event.lot, expiry: event.expiry };
    case 'UPDATE_ALERT': {
      const { alert, item, status, rootCause, note } = event;
      return { alert, item, status, rootCause: rootCause && { [`${NS2}AlertRootCause`]: rootCause }, note };
    }
  }
}

function bodyFromAvro(type: EventType, b: AvroRecord, ns: string): CustodyEventBody {
  const items = () => [...(b.items as string[])];
  switch (type) {
    case 'COMMISSION':
      return { type, items: items(), lot: b.lot as string, expiry: b.expiry as string };
    case 'AGGREGATE':
    case 'DISAGGREGATE':
      return { type, parent: b.parent as string, children: [...(b.children as string[])] };
    case 'SHIP':
      return { type, items: items(), to: b.to as string };
    case 'RECEIVE':
      return { type, items: items(), from: b.from as string };
    case 'DISPENSE':
      return { type, items: items() };
    case 'DECOMMISSION':
      return { type, items: items(), reason: b.reason as DecommissionReason };
    case 'RECALL':
      return { type, gtin: b.gtin as string, lot: b.lot as string, reason: b.reason as string };
    case 'REGISTRY':
      return { type, changes: (b.changes as unknown[]).map((c) => changeFromAvro(c, ns)) };
    case 'UNDO_DISPENSE':
      return { type, dispense: b.dispense as string, items: items() };
    case 'RAISE_ALERT':
      return {
        type,
        item: b.item as string,
        code: b.code as AlertCode,
        lot: b.lot as string,
        expiry: b.expiry as string,
      };
    case 'UPDATE_ALERT':
      return {
        type,
        alert: b.alert as string,
        item: b.item as string,
        status: b.status as AlertStatus,
        rootCause: b.rootCause === null ? null : (unwrap(b.rootCause)[1] as unknown as AlertRootCause),
        note: b.note as string,
      };
  }
}

function changeToAvro(change: RegistryChange, ns: string): AvroRecord {
  const { kind, ...fields } = change;
  if (change.kind === 'AddKey') {
    return { [ns + kind]: { ...fields, publicKey: asBuffer(change.publicKey) } };
  }
  return { [ns + kind]: fields };
}

function changeFromAvro(wrapped: unknown, ns: string): RegistryChange {
  const [branch, c] = unwrap(wrapped);
  const kind = branch.slice(ns.length);
  switch (kind) {
    case 'AddParty':
      return {
        kind,
        gln: c.gln as string,
        name: c.name as string,
        roles: [...(c.roles as Role[])],
        companyPrefixes: [...(c.companyPrefixes as string[])],
      };
    case 'SetRoles':
      return { kind, gln: c.gln as string, roles: [...(c.roles as Role[])] };
    case 'SetCompanyPrefixes':
      return { kind, gln: c.gln as string, companyPrefixes: [...(c.companyPrefixes as string[])] };
    case 'AddKey':
      return {
        kind,
        gln: c.gln as string,
        keyId: c.keyId as string,
        // Copy: avsc hands out slices of a shared pool.
        publicKey: new Uint8Array(c.publicKey as Uint8Array),
        validFrom: c.validFrom as number,
      };
    default:
      return {
        kind: 'RevokeKey',
        gln: c.gln as string,
        keyId: c.keyId as string,
        revokedAt: c.revokedAt as number,
        reason: c.reason as string,
      };
  }
}

function unwrap(wrapped: unknown): [string, AvroRecord] {
  const [entry] = Object.entries(wrapped as AvroRecord);
  const [branch, value] = entry as [string, unknown];
  return [branch, value as AvroRecord];
}
