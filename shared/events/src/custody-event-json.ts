import { toBase64 } from '@rxledger/tlog';
import type { CustodyEvent, EventType } from './custody-event.ts';
import { formatRfc3339 } from './rfc3339.ts';

/** A custody event as people read it (timelines, provenance bundles): the §5 JSON shape plus party. */
export interface CustodyEventJson {
  eventId: string;
  type: EventType;
  /** RFC 3339 in the zone offset it was recorded with. */
  eventTime: string;
  party: string;
  site: string;
  [field: string]: unknown;
}

/**
 * The event in the JSON shape scanners send (DESIGN §5), with times in RFC 3339 at their original
 * offset and key bytes in base64; `validateCustodyEvent` accepts it back (minus `party`).
 */
export function custodyEventToJson(event: CustodyEvent): CustodyEventJson {
  const { eventId, type, eventTime, eventTimeOffsetMinutes, party, site, ...rest } = event;
  const head = { eventId, type, eventTime: formatRfc3339(eventTime, eventTimeOffsetMinutes), party, site };
  if (event.type !== 'REGISTRY') return { ...head, ...rest };
  const changes = event.changes.map((c) => {
    switch (c.kind) {
      case 'AddKey':
        return { ...c, publicKey: toBase64(c.publicKey), validFrom: formatRfc3339(c.validFrom, 0) };
      case 'RevokeKey':
        return { ...c, revokedAt: formatRfc3339(c.revokedAt, 0) };
      default:
        return c;
    }
  });
  return { ...head, changes };
}
