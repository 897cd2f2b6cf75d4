// One custody event as an EPCIS 2.0 event (JSON-LD form), the export's mapping in one place: the
// inverse of what capture reads (@rxledger/epcis), so an exported flow captures back to the same events.
import {
  BIZ_STEP_OF_CUSTODY_TYPE,
  CUSTODY_PARTY_TYPES,
  DISPOSITION_OF_REASON,
  epcisEventIdOf,
  ILMD_EXPIRY,
  ILMD_LOT,
  SHAPE_OF_STEP,
} from '@rxledger/epcis';
import { type CustodyEvent, type EventType, formatRfc3339 } from '@rxledger/events';
import { formatDigitalLink, parseExpiry } from '@rxledger/gs1';

/** The namespace of rxledger's EPCIS extension fields (`rxl:` in JSON-LD and in XML). */
export const RXL_NAMESPACE = 'urn:rxledger:epcis:';
export const RXL_PREFIX = 'rxl';

/** The custody event types the export writes: the ones with a CBV business step. */
export const EXPORTED_TYPES = Object.keys(BIZ_STEP_OF_CUSTODY_TYPE) as EventType[];

/** A leaf as the export reads it: its index, its custody event and when the broker appended it. */
export interface ExportedLeaf {
  seq: number;
  event: CustodyEvent;
  /** Epoch ms; absent on v1 leaves, which did not record it. */
  appendedAt?: number;
}

/** An EPCIS 2.0 ObjectEvent or AggregationEvent in JSON-LD form, keys in the XML binding's order. */
export type EpcisEvent = Record<string, unknown> & { type: 'ObjectEvent' | 'AggregationEvent' };

/** A site (physical location, AI 414) as a GS1 Digital Link URI. */
export const locationUri = (gln: string) => formatDigitalLink({ path: [['414', gln]], query: [] });
/** A party (AI 417) as a GS1 Digital Link URI. */
export const partyUri = (gln: string) => formatDigitalLink({ path: [['417', gln]], query: [] });

/**
 * The EPCIS event of an exported leaf, carrying under `rxl:` its leaf index, the tree size it is
 * proven under and the route of that proof, the signer and rxledger's own eventId.
 * @example epcisEvent({ seq: 7, event }, 40)['rxl:inclusionProof'] // '/v1/proofs/inclusion?index=7&size=40'
 */
export function epcisEvent(leaf: ExportedLeaf, treeSize: number): EpcisEvent {
  const { event, seq } = leaf;
  const bizStep = BIZ_STEP_OF_CUSTODY_TYPE[event.type];
  if (bizStep === undefined) throw new RangeError(`a ${event.type} event has no EPCIS form`);
  const site = { id: locationUri(event.site) };
  const shape = SHAPE_OF_STEP[bizStep];
  return {
    type: shape.type,
    eventTime: formatRfc3339(event.eventTime, event.eventTimeOffsetMinutes),
    ...(leaf.appendedAt === undefined ? {} : { recordTime: new Date(leaf.appendedAt).toISOString() }),
    eventTimeZoneOffset: zoneOffset(event.eventTimeOffsetMinutes),
    eventID: epcisEventIdOf(event.eventId, event.party),
    ...what(event),
    action: shape.actions[0],
    bizStep,
    disposition: disposition(event),
    readPoint: site,
    bizLocation: site,
    ...parties(event),
    ...ilmd(event),
    'rxl:leafIndex': seq,
    'rxl:treeSize': treeSize,
    'rxl:inclusionProof': `/v1/proofs/inclusion?index=${seq}&size=${treeSize}`,
    'rxl:signer': partyUri(event.party),
    'rxl:eventId': event.eventId,
  } as EpcisEvent;
}

// EPCIS writes the offset even for UTC: `+00:00`, never `Z`.
function zoneOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${hh}:${String(abs % 60).padStart(2, '0')}`;
}

// What the event is about.
function what(event: CustodyEvent): Record<string, unknown> {
  switch (event.type) {
    case 'AGGREGATE':
      return { parentID: event.parent, childEPCs: event.children };
    case 'DISAGGREGATE':
      // No children means every child (DESIGN §3); EPCIS says the same of a DELETE without childEPCs.
      return { parentID: event.parent, ...(event.children.length ? { childEPCs: event.children } : {}) };
    case 'COMMISSION':
    case 'DECOMMISSION':
    case 'SHIP':
    case 'RECEIVE':
    case 'DISPENSE':
      return { epcList: event.items };
    default:
      throw new RangeError(`a ${event.type} event has no EPCIS form`);
  }
}

function disposition(event: CustodyEvent): string {
  switch (event.type) {
    case 'COMMISSION':
      return 'active';
    case 'SHIP':
      return 'in_transit';
    case 'DISPENSE':
      return 'dispensed';
    case 'DECOMMISSION':
      return DISPOSITION_OF_REASON[event.reason];
    default:
      return 'in_progress';
  }
}

// Who hands over to whom: the signer and the shipment's other party, as the possessing parties they
// are to rxledger (capture reads the possessing party first; who owns the goods is not recorded).
function parties(event: CustodyEvent): Record<string, unknown> {
  const [type] = CUSTODY_PARTY_TYPES;
  const source = (gln: string) => [{ type, source: partyUri(gln) }];
  const destination = (gln: string) => [{ type, destination: partyUri(gln) }];
  if (event.type === 'SHIP')
    return { sourceList: source(event.party), destinationList: destination(event.to) };
  if (event.type === 'RECEIVE')
    return { sourceList: source(event.from), destinationList: destination(event.party) };
  return {};
}

// Lot and expiry of commissioned items; the expiry's century placed from the event's own time.
function ilmd(event: CustodyEvent): Record<string, unknown> {
  if (event.type !== 'COMMISSION') return {};
  const expiry = parseExpiry(event.expiry, new Date(event.eventTime)).date;
  return { ilmd: { [ILMD_LOT]: event.lot, [ILMD_EXPIRY]: expiry } };
}
