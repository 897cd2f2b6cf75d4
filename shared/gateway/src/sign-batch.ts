import {
  BatchTree,
  batchLeafHash,
  batchRecords,
  encodeCustodyEvent,
  encodeSignedEvent,
  nodeEd25519,
  type SigningKey,
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

interface SignOptions {
  party: string;
  key: SigningKey;
  cache: SignedEventCache;
  maxRecordBytes?: number;
}

/**
 * Signs a validated batch for `party` with one signature over the Merkle root of its new events
 * (SignedEvent v2, DESIGN §4), reusing the cached record of every eventId signed before with the same
 * content. Throws BatchRejectedError 409 when an eventId comes back with other content (in the cache
 * or twice in the batch), 400 when a record would exceed MAX_RECORD_BYTES; then nothing is cached.
 * Otherwise caches the new records (unacknowledged) and returns what to publish. Works a few ms at a
 * time, so a 10,000-event batch does not hold up the service's other requests.
 */
export async function signBatch(prepared: PreparedEvent[], opts: SignOptions): Promise<SignedBatch> {
  const before = knownIds(prepared, opts);
  const fresh = [...before.firstIndex.values()].filter((index) => !before.known.has(index));
  const signed = fresh.length === 0 ? new Map<number, SignedEntry>() : await signFresh(prepared, fresh, opts);
  // From here on without a pause: while this batch was being signed, another request of the party may
  // have cached one of its eventIds. The cache is asked again, as if the two had come one after the other.
  const now = knownIds(prepared, opts);
  const entries: SignedEntry[] = [];
  const added: SignedEntry[] = [];
  for (const index of before.firstIndex.values()) {
    const cached = now.known.get(index) ?? before.known.get(index);
    if (cached !== undefined) {
      entries.push(cached);
      continue;
    }
    const entry = signed.get(index)!;
    entries.push(entry);
    added.push(entry);
  }
  // Cached before publishing: a retry after a 503 must find and resend these very bytes.
  for (const entry of added) opts.cache.set(opts.party, entry);
  return {
    eventIds: prepared.map((p) => p.event.eventId),
    entries,
    replayed: entries.length - added.length,
  };
}

/**
 * The records of the events at `indexes`, signed as one batch: each event encoded once, hashed into
 * the tree, the root signed once, then each record written with its path. Throws BatchRejectedError
 * 400 listing every record above the size limit.
 */
async function signFresh(
  prepared: PreparedEvent[],
  indexes: number[],
  opts: SignOptions,
): Promise<Map<number, SignedEntry>> {
  const slices = new WorkSlices();
  const events: Uint8Array[] = [];
  const hashes: Uint8Array[] = [];
  for (const index of indexes) {
    if (slices.due) await slices.next();
    const bytes = encodeCustodyEvent(prepared[index]!.event);
    events.push(bytes);
    hashes.push(batchLeafHash(bytes));
  }
  const steps = BatchTree.build(hashes);
  let step = steps.next();
  for (; !step.done; step = steps.next()) if (slices.due) await slices.next();
  const records = batchRecords(nodeEd25519, opts.key, events, step.value);
  const maxBytes = opts.maxRecordBytes ?? MAX_RECORD_BYTES;
  const tooLarge: BatchIssue[] = [];
  const out = new Map<number, SignedEntry>();
  for (const [i, index] of indexes.entries()) {
    if (slices.due) await slices.next();
    const encoded = encodeSignedEvent(records[i]!);
    const record = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
    if (record.length > maxBytes) {
      tooLarge.push({
        index,
        field: '(event)',
        reason: `the signed record is ${record.length} bytes; Kafka takes at most ${maxBytes}: split the event`,
      });
      continue;
    }
    const p = prepared[index]!;
    out.set(index, {
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
  return out;
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
