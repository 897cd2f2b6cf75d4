import { asBuffer } from './bytes.ts';
import type {
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

const BODY_RECORDS: Record<EventType, string> = {
  COMMISSION: `${NS}Commission`,
  AGGREGATE: `${NS}Aggregate`,
  DISAGGREGATE: `${NS}Disaggregate`,
  SHIP: `${NS}Ship`,
  RECEIVE: `${NS}Receive`,
  DISPENSE: `${NS}Dispense`,
  DECOMMISSION: `${NS}Decommission`,
  RECALL: `${NS}Recall`,
  REGISTRY: `${NS}Registry`,
};
const TYPE_OF_RECORD = new Map(Object.entries(BODY_RECORDS).map(([type, name]) => [name, type as EventType]));

type AvroRecord = Record<string, unknown>;

/** Avro single-object encoding of `event`: the exact bytes that are signed. */
export function encodeCustodyEvent(event: CustodyEvent, schemas: SchemaSet = rxledgerSchemas): Uint8Array {
  const { eventId, eventTime, eventTimeOffsetMinutes, party, site } = event;
  const body = { [BODY_RECORDS[event.type]]: bodyToAvro(event) };
  return schemas.encode(RECORD_NAMES.custodyEvent, {
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
  const record = schemas.decodeAs(RECORD_NAMES.custodyEvent, bytes);
  const v = record.value as AvroRecord;
  const [branch, body] = unwrap(v.body);
  const type = TYPE_OF_RECORD.get(branch) as EventType;
  const header = {
    eventId: v.eventId as string,
    eventTime: v.eventTime as number,
    eventTimeOffsetMinutes: v.eventTimeOffsetMinutes as number,
    party: v.party as string,
    site: v.site as string,
  };
  return { ...header, ...bodyFromAvro(type, body) };
}

function bodyToAvro(event: CustodyEventBody): AvroRecord {
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
      return { changes: event.changes.map(changeToAvro) };
  }
}

function bodyFromAvro(type: EventType, b: AvroRecord): CustodyEventBody {
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
      return { type, changes: (b.changes as unknown[]).map(changeFromAvro) };
  }
}

function changeToAvro(change: RegistryChange): AvroRecord {
  const { kind, ...fields } = change;
  if (change.kind === 'AddKey') {
    return { [NS + kind]: { ...fields, publicKey: asBuffer(change.publicKey) } };
  }
  return { [NS + kind]: fields };
}

function changeFromAvro(wrapped: unknown): RegistryChange {
  const [branch, c] = unwrap(wrapped);
  const kind = branch.slice(NS.length);
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
