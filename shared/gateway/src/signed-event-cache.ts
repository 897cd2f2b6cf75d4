import type { EventType } from '@rxledger/events';
import { BoundedLru, type LruLimits } from './bounded-lru.ts';

/** What the service remembers of an event it signed: enough to republish it byte for byte. */
export interface SignedEntry {
  eventId: string;
  type: EventType;
  /** eventFingerprint of the event as first posted. */
  fingerprint: string;
  /** The exact Kafka record value (encoded SignedEvent). */
  record: Buffer;
  /** The key `record` is signed with. */
  keyId: string;
  /**
   * Whether Kafka acknowledged the record at least once (then GET /v1/events/{id} can say PENDING),
   * late acknowledgements included. Once true, `record` is the event's record for good: it is never
   * signed again (sign-batch.ts).
   */
  acknowledged: boolean;
}

/** Default bounds: a million events, or 256 MB of records, whichever comes first. */
export const DEFAULT_CACHE_LIMITS: LruLimits = { maxEntries: 1_000_000, maxBytes: 256 * 1024 * 1024 };

// Map entry, strings and the fingerprint cost about this much beside the record itself.
const ENTRY_OVERHEAD_BYTES = 240;

/**
 * eventId → signed record, per party, bounded (LRU). A retry after a 503, or a duplicate post, finds
 * its events here and republishes the same bytes, which the ledger treats as a no-op. An evicted event
 * that carried its own eventId and eventTime encodes to the same event bytes again, signed in a new
 * batch: the ledger judges duplicates by the event bytes, so that too is a no-op. Only an evicted
 * event whose time the service filled in would get a new time (and be a conflict). A record Kafka
 * never acknowledged whose key the party no longer signs with is signed again, same event bytes, with
 * the current key (signBatch), so a retry after a key rotation is not rejected KEY_REVOKED.
 */
export class SignedEventCache {
  readonly #lru: BoundedLru<string, SignedEntry>;

  constructor(limits: LruLimits = DEFAULT_CACHE_LIMITS) {
    this.#lru = new BoundedLru(limits, (e) => e.record.length + e.eventId.length * 2 + ENTRY_OVERHEAD_BYTES);
  }

  get size(): number {
    return this.#lru.size;
  }

  /** The party's entry for `eventId`, marking it recently used. */
  get(party: string, eventId: string): SignedEntry | undefined {
    return this.#lru.get(key(party, eventId));
  }

  /** The party's entry for `eventId`, leaving recency alone (status queries are not reuse). */
  peek(party: string, eventId: string): SignedEntry | undefined {
    return this.#lru.peek(key(party, eventId));
  }

  set(party: string, entry: SignedEntry): void {
    this.#lru.set(key(party, entry.eventId), entry);
  }
}

// GLNs are 13 digits, so the first 13 characters are always the party.
function key(party: string, eventId: string): string {
  return party + eventId;
}
