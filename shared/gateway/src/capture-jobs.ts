import { randomUUID } from 'node:crypto';
import { BoundedLru } from './bounded-lru.ts';
import type { EventState } from './event-status.ts';

/** One accepted EPCIS capture: whose, when, and its events, in document order. */
export interface CaptureJob {
  id: string;
  party: string;
  createdAt: number;
  /** rxledger eventIds of the document's events. */
  eventIds: string[];
  /** Their EPCIS eventIDs (the document's own, or the CBV 2.0 hash IDs computed for them). */
  epcisEventIds: string[];
  /** Each event's state once final (ACCEPTED or REJECTED): the ledger is not asked again. */
  final: Array<EventState | undefined>;
  finishedAt?: number;
}

// A job holds ids of up to 10,000 events: about 200 bytes each with their final states.
const JOB_BYTES_PER_EVENT = 200;

/**
 * The capture jobs a gateway remembers, bounded (LRU: 10,000 jobs or 256 MB). They are a view of
 * acknowledged events, not their record: a job forgotten (evicted, or the service restarted) loses
 * nothing, since every event stays queryable by its eventId at GET /v1/events/{id}.
 */
export class CaptureJobs {
  readonly #lru = new BoundedLru<string, CaptureJob>(
    { maxEntries: 10_000, maxBytes: 256 * 1024 * 1024 },
    (job) => 200 + job.eventIds.length * JOB_BYTES_PER_EVENT,
  );

  /** Remembers a capture whose events Kafka acknowledged; returns its id. */
  add(party: string, eventIds: string[], epcisEventIds: string[], now: number): CaptureJob {
    const job: CaptureJob = {
      id: randomUUID(),
      party,
      createdAt: now,
      eventIds,
      epcisEventIds,
      final: eventIds.map(() => undefined),
    };
    this.#lru.set(job.id, job);
    return job;
  }

  /** The job `id` of `party`; undefined for an unknown id or another party's. */
  get(party: string, id: string): CaptureJob | undefined {
    const job = this.#lru.peek(id);
    return job?.party === party ? job : undefined;
  }
}
