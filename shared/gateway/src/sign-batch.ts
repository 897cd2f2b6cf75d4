import {
  encodeCustodyEvent,
  encodeSignedEvent,
  nodeEd25519,
  type SigningKey,
  signEvent,
} from '@rxledger/events';
import { WorkSlices } from '@rxledger/runtime';
import { type BatchIssue, BatchRejectedError } from './batch-rejected-error.ts';
import type { PreparedEvent } from './prepare-batch.ts';
import type { SignedEntry, SignedEventCache } from './signed-event-cache.ts';

/**
 * Largest record value the gateway publishes. Kafka's default limit (message.max.bytes, 1 MiB + 12)
 * applies to a whole record batch, so this leaves room for the batch and record headers.
 */
export const MAX_RECORD_BYTES = 1_000_000;

/** A batch ready to publish: the ids to answer with, in request order, and each distinct record once. */
export interface SignedBatch {
  eventIds: string[];
  entries: SignedEntry[];
  /** How many of `entries` were found already signed (idempotent replays). */
  replayed: number;
}

/** The encoded SignedEvent for `event`: the exact Kafka record value. */
export function signRecord(prepared: PreparedEvent, key: SigningKey): Buffer {
  const signed = encodeSignedEvent(signEvent(nodeEd25519, key, encodeCustodyEvent(prepared.event)));
  return Buffer.from(signed.buffer, signed.byteOffset, signed.byteLength);
}

interface SignOptions {
  party: string;
  key: SigningKey;
  cache: SignedEventCache;
  maxRecordBytes?: number;
}

/**
 * Signs a validated batch for `party`, reusing the cached record of every eventId signed before with
 * the same content. Throws BatchRejectedError 409 when an eventId comes back with other content (in
 * the cache or twice in the batch), 400 when a record would exceed MAX_RECORD_BYTES; then nothing is
 * cached. Otherwise caches the new records (unacknowledged) and returns what to publish. Signs a few
 * ms at a time, so a 10,000-event batch does not hold up the service's other requests.
 */
export async function signBatch(prepared: PreparedEvent[], opts: SignOptions): Promise<SignedBatch> {
  const before = knownIds(prepared, opts);
  const maxBytes = opts.maxRecordBytes ?? MAX_RECORD_BYTES;
  const tooLarge: BatchIssue[] = [];
  const signed = new Map<number, SignedEntry>();
  const slices = new WorkSlices();
  for (const index of before.firstIndex.values()) {
    if (before.known.has(index)) continue;
    if (slices.due) await slices.next();
    const p = prepared[index]!;
    const record = signRecord(p, opts.key);
    if (record.length > maxBytes) {
      tooLarge.push({
        index,
        field: '(event)',
        reason: `the signed record is ${record.length} bytes; Kafka takes at most ${maxBytes}: split the event`,
      });
      continue;
    }
    signed.set(index, {
      eventId: p.event.eventId,
      type: p.event.type,
      fingerprint: p.fingerprint,
      record,
      acknowledged: false,
    });
  }
  if (tooLarge.length > 0) {
    throw new BatchRejectedError(
      'VALIDATION',
      400,
      tooLarge,
      `${tooLarge.length} events are too large to publish; nothing was published`,
    );
  }
  // From here on without a pause: while this batch was being signed, another request of the party may
  // have cached one of its eventIds. The cache is asked again, as if the two had come one after the other.
  const now = knownIds(prepared, opts);
  const entries: SignedEntry[] = [];
  const fresh: SignedEntry[] = [];
  for (const index of before.firstIndex.values()) {
    const cached = now.known.get(index) ?? before.known.get(index);
    if (cached !== undefined) {
      entries.push(cached);
      continue;
    }
    const entry = signed.get(index)!;
    entries.push(entry);
    fresh.push(entry);
  }
  // Cached before publishing: a retry after a 503 must find and resend these very bytes.
  for (const entry of fresh) opts.cache.set(opts.party, entry);
  return {
    eventIds: prepared.map((p) => p.event.eventId),
    entries,
    replayed: entries.length - fresh.length,
  };
}

/**
 * The first index of each eventId in the batch, and the cached record of those signed before with the
 * same content. Throws BatchRejectedError 409 listing every eventId used twice in the batch with other
 * content, or cached with other content.
 */
function knownIds(
  prepared: PreparedEvent[],
  opts: SignOptions,
): { firstIndex: Map<string, number>; known: Map<number, SignedEntry> } {
  const conflicts: BatchIssue[] = [];
  const firstIndex = new Map<string, number>();
  const known = new Map<number, SignedEntry>();
  prepared.forEach((p, index) => {
    const id = p.event.eventId;
    const earlier = firstIndex.get(id);
    if (earlier !== undefined) {
      if (prepared[earlier]!.fingerprint !== p.fingerprint) {
        conflicts.push({
          index,
          eventId: id,
          reason: `eventId ${id} is also used by events[${earlier}] of this batch, with different content`,
        });
      }
      return;
    }
    firstIndex.set(id, index);
    const cached = opts.cache.get(opts.party, id);
    if (cached === undefined) return;
    if (cached.fingerprint !== p.fingerprint) {
      conflicts.push({
        index,
        eventId: id,
        reason: `eventId ${id} was already used for a different ${cached.type} event; an eventId names one event`,
      });
    } else known.set(index, cached);
  });
  if (conflicts.length > 0) {
    throw new BatchRejectedError(
      'EVENT_ID_CONFLICT',
      409,
      conflicts,
      `${conflicts.length} eventIds were reused with different content; nothing was published`,
    );
  }
  return { firstIndex, known };
}
