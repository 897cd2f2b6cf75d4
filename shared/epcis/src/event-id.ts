// How an EPCIS eventID becomes rxledger's eventId (the idempotency key, DESIGN §3) and back, in one
// place: export writes every event's eventID with epcisEventIdOf, capture reads it with
// custodyEventIdOf, so an exported event captured again by its signer is the same event, whether it
// was captured from EPCIS in the first place or posted natively.
import { EVENT_ID_PATTERN } from '@rxledger/events';

/** A CBV 2.0 event hash ID, as GS1's EPCIS event hash algorithm writes it. */
const HASH_ID = /^ni:\/\/\/sha-256;([0-9a-f]{64})\?ver=CBV2\.0$/;
/** The same hash ID inside rxledger's eventId alphabet. */
const HASH_KEY = /^epcis-hash:sha-256:([0-9a-f]{64}):CBV2\.0$/;
/** An eventId that already reads as a URI (`urn:uuid:…`) is its own EPCIS eventID. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** Where eventIds that are no URI (a bare UUID, `batch-17.3`) go, scoped to their signer as eventIds are. */
export const NATIVE_EVENT_ID_PREFIX = 'urn:rxledger:epcis:event:';

/**
 * The eventId an EPCIS eventID captured by `party` is kept under: a fixed reversible form for a CBV
 * 2.0 hash ID; `<id>` for `urn:rxledger:epcis:event:<party>:<id>` (what export wrote for that party's
 * native eventId); as is when it fits the eventId alphabet (`urn:uuid:…` does); and `undefined` for
 * any other URI, which capture refuses by name rather than altering.
 * @example custodyEventIdOf('urn:rxledger:epcis:event:0614141000005:b-17', '0614141000005') // 'b-17'
 */
export function custodyEventIdOf(epcisEventId: string, party: string): string | undefined {
  const hash = HASH_ID.exec(epcisEventId);
  if (hash) return `epcis-hash:sha-256:${hash[1]}:CBV2.0`;
  const own = `${NATIVE_EVENT_ID_PREFIX}${party}:`;
  const id = epcisEventId.startsWith(own) ? epcisEventId.slice(own.length) : epcisEventId;
  return EVENT_ID_PATTERN.test(id) ? id : undefined;
}

/**
 * The EPCIS eventID the eventId of an event signed by `party` is exported under, the inverse of
 * custodyEventIdOf: its captured hash ID or URI as it came, any other eventId under the signer.
 * @example epcisEventIdOf('b-17', '0614141000005') // 'urn:rxledger:epcis:event:0614141000005:b-17'
 */
export function epcisEventIdOf(custodyEventId: string, party: string): string {
  const hash = HASH_KEY.exec(custodyEventId);
  if (hash) return `ni:///sha-256;${hash[1]}?ver=CBV2.0`;
  return URI.test(custodyEventId) ? custodyEventId : `${NATIVE_EVENT_ID_PREFIX}${party}:${custodyEventId}`;
}
