import {
  BatchTree,
  batchLeafHash,
  batchRecords,
  decodeSignedEvent,
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
  /** How many of `entries` were signed again with the party's current key (never acknowledged before). */
  resigned: number;
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
 * content. A cached record Kafka never acknowledged and signed with another key than `key` (the key
 * rotated since its publish failed) is signed again with `key`, over the cached event bytes: the
 * ledger judges duplicates by those bytes, so the event stays the same event (the old record, if it
 * reached the topic after all, is a duplicate, or rejected while this one is accepted). An
 * acknowledged record MUST NOT be signed again: its bytes are on the topic. Throws BatchRejectedError 409 when an eventId comes back with other content (in the cache
 * or twice in the batch), 400 when a record would exceed MAX_RECORD_BYTES; then nothing is cached.
 * Otherwise caches the new records (unacknowledged) and returns what to publish. Works a few ms at a
 * time, so a 10,000-event batch does not hold up the service's other requests.
 */
export async function signBatch(prepared: PreparedEvent[], opts: SignOptions): Promise<SignedBatch> {
  const before = knownIds(prepared, opts);
  const fresh = [...before.firstIndex.values()].filter((index) => !before.known.has(index));
  const signed =
    fresh.length === 0
      ? new Map<number, SignedEntry>()
      : await signFresh(prepared, fresh, before.stale, opts);
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
    resigned: added.filter((entry) => before.stale.has(entry.eventId)).length,
  };
}

/**
 * The records of the events at `indexes`, signed as one batch: each event encoded once (or, signed
 * again, taken from its `stale` record), hashed into the tree, the root signed once, then each record
 * written with its path. Throws BatchRejectedError 400 listing every record above the size limit.
 */
async function signFresh(
  prepared: PreparedEvent[],
  indexes: number[],
  stale: ReadonlyMap<string, SignedEntry>,
  opts: SignOptions,
): Promise<Map<number, SignedEntry>> {
  const slices = new WorkSlices();
  const events: Uint8Array[] = [];
  const hashes: Uint8Array[] = [];
  for (const index of indexes) {
    if (slices.due) await slices.next();
    const event = prepared[index]!.event;
    const old = stale.get(event.eventId);
    // The cached bytes, not the event as posted again: a time the service filled in stays the first one.
    const bytes = old === undefined ? encodeCustodyEvent(event) : decodeSignedEvent(old.record).event;
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
      keyId: opts.key.keyId,
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
 * The first index of each eventId in the batch, the cached record of those signed before with the
 * same content (`known`, reused as is), and by eventId those of them to sign again (`stale`: never
 * acknowledged, signed with another key than `opts.key`). Throws BatchRejectedError 409 listing every
 * eventId used twice in the batch with other content, or cached with other content.
 */
function knownIds(
  prepared: PreparedEvent[],
  opts: SignOptions,
): { firstIndex: Map<string, number>; known: Map<number, SignedEntry>; stale: Map<string, SignedEntry> } {
  const conflicts: BatchIssue[] = [];
  const firstIndex = new Map<string, number>();
  const known = new Map<number, SignedEntry>();
  const stale = new Map<string, SignedEntry>();
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
    } else if (!cached.acknowledged && cached.keyId !== opts.key.keyId) stale.set(id, cached);
    else known.set(index, cached);
  });
  if (conflicts.length > 0) {
    throw new BatchRejectedError(
      'EVENT_ID_CONFLICT',
      409,
      conflicts,
      `${conflicts.length} eventIds were reused with different content; nothing was published`,
    );
  }
  return { firstIndex, known, stale };
}
