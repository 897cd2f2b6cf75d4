// How an EPCIS eventID becomes rxledger's eventId (the idempotency key, DESIGN §3) and back, so a
// captured event keeps its original eventID on export and the same event captured twice lands once.
import { EVENT_ID_PATTERN } from '@rxledger/events';

/** A CBV 2.0 event hash ID, as GS1's EPCIS event hash algorithm writes it. */
const HASH_ID = /^ni:\/\/\/sha-256;([0-9a-f]{64})\?ver=CBV2\.0$/;
/** The same hash ID inside rxledger's eventId alphabet. */
const HASH_KEY = /^epcis-hash:sha-256:([0-9a-f]{64}):CBV2\.0$/;

/**
 * The eventId an EPCIS eventID is kept under: as is when it already fits the eventId alphabet
 * (`urn:uuid:…` does), a fixed reversible form for a CBV 2.0 hash ID, and `undefined` for any other
 * URI, which capture refuses by name rather than altering.
 */
export function custodyEventIdOf(epcisEventId: string): string | undefined {
  const hash = HASH_ID.exec(epcisEventId);
  if (hash) return `epcis-hash:sha-256:${hash[1]}:CBV2.0`;
  return EVENT_ID_PATTERN.test(epcisEventId) ? epcisEventId : undefined;
}

/** The EPCIS eventID an rxledger eventId is exported under: the inverse of `custodyEventIdOf`. */
export function epcisEventIdOf(custodyEventId: string): string {
  const hash = HASH_KEY.exec(custodyEventId);
  return hash ? `ni:///sha-256;${hash[1]}?ver=CBV2.0` : custodyEventId;
}
