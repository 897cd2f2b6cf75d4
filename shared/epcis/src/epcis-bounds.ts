// How much of a document capture reads. The caller passes its own batch bound as `maxEvents` (the
// gateway: MAX_BATCH_EVENTS, DESIGN §5), and an event's EPC lists are bounded as a native event's
// items are (MAX_ITEMS), so a document is never refused for a size a native batch could have had,
// nor read beyond one.
import { MAX_ITEMS } from '@rxledger/events';

/** The bounds of one read; see DEFAULT_READ_LIMITS. */
export interface ReadLimits {
  /** Most events one document may carry: one capture is one batch. */
  maxEvents: number;
  /** Most EPCs one list of one event may name (epcList, childEPCs). */
  maxEpcs: number;
  /** Largest document, in characters; the gateway's body limit stops larger ones before they are read. */
  maxChars: number;
  /** Deepest element (or JSON object/array) nesting. */
  maxDepth: number;
}

/**
 * The deepest nesting an EPCIS document needs is about 8 (document, body, list, event, extension,
 * ilmd, field, value); user extensions get room beyond that and no more: namespace-tracking XML
 * parsers slow sharply on deep nesting, so the XML reader stops (throws) at this depth.
 */
export const MAX_ELEMENT_DEPTH = 32;

/** Bounds for callers that have none of their own; maxEvents as the gateway's batch bound. */
export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxEvents: 10_000,
  maxEpcs: MAX_ITEMS,
  maxChars: 32 * 1024 * 1024,
  maxDepth: MAX_ELEMENT_DEPTH,
};
