import {
  type CustodyEvent,
  checkEventTime,
  EVENT_TYPES,
  type EventType,
  validateCustodyEvent,
} from '@rxledger/events';
import { WorkSlices } from '@rxledger/runtime';
import { type BatchIssue, BatchRejectedError } from './batch-rejected-error.ts';
import { eventFingerprint } from './event-fingerprint.ts';
import { siteRefusal } from './scanner-auth.ts';

/** Most events one POST may carry (DESIGN §5). */
export const MAX_BATCH_EVENTS = 10_000;

/** One event of a batch, validated and normalized, ready to be signed (or found already signed). */
export interface PreparedEvent {
  event: CustodyEvent;
  /** Content identity for idempotency; see eventFingerprint. */
  fingerprint: string;
}

/** What the service knows about a request that its body does not say. */
export interface BatchContext {
  /** Service name, for messages ("the distributor service takes ..."). */
  service: string;
  party: string;
  /** The posting scanner's site: the default site of its events. */
  site: string;
  /** Every site its events may name (default: `site` alone); anything else is a 400 naming `site`. */
  sites?: readonly string[];
  now: number;
  acceptTypes: readonly EventType[];
  newEventId: () => string;
}

/**
 * Checks a whole `{ events: [...] }` body before anything is signed: the batch shape (400), then every
 * event type against what this service takes (403), then every event (400, each issue with its index
 * and field). Returns the normalized events; throws BatchRejectedError listing every problem found.
 * @example prepareBatch({ events: [{ type: 'SHIP', items: ['(00)040123450000000016'], to: '9501101530003' }] }, ctx)
 */
export async function prepareBatch(body: unknown, ctx: BatchContext): Promise<PreparedEvent[]> {
  const events = batchEvents(body);
  const notHere: BatchIssue[] = [];
  const refused = new Set<string>();
  events.forEach((input, index) => {
    const type = (input as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) return;
    if (!ctx.acceptTypes.includes(type as EventType)) {
      refused.add(type);
      notHere.push({
        index,
        field: 'type',
        reason: `the ${ctx.service} service does not take ${type} events (it takes ${ctx.acceptTypes.join(', ')})`,
      });
    }
  });
  if (notHere.length > 0) {
    throw new BatchRejectedError(
      'EVENT_TYPE_NOT_ACCEPTED',
      403,
      notHere,
      `the ${ctx.service} service does not take ${[...refused].join(', ')} events; nothing was published`,
    );
  }

  const issues: BatchIssue[] = [];
  const prepared: PreparedEvent[] = [];
  const validation = {
    party: ctx.party,
    site: ctx.site,
    now: ctx.now,
    acceptTypes: ctx.acceptTypes,
    newEventId: ctx.newEventId,
  };
  // Validated a few ms at a time: a 10,000-event batch must not hold up the service's other requests.
  const slices = new WorkSlices();
  for (const [index, input] of events.entries()) {
    if (slices.due) await slices.next();
    const result = validateCustodyEvent(input, validation);
    if (!result.ok) {
      for (const issue of result.issues) issues.push({ index, field: issue.field, reason: issue.reason });
      continue;
    }
    // The ledger's own time window, judged now by this service's clock: refused at the door, not later.
    const window = checkEventTime(result.event.eventTime, ctx.now);
    if (window) issues.push({ index, field: 'eventTime', reason: window.message });
    const refused = siteRefusal({ site: ctx.site, sites: ctx.sites ?? [ctx.site] }, result.event.site);
    if (refused !== undefined) issues.push({ index, field: 'site', reason: refused });
    if (window || refused !== undefined) continue;
    const timeGiven = (input as { eventTime?: unknown }).eventTime !== undefined;
    prepared.push({ event: result.event, fingerprint: eventFingerprint(result.event, timeGiven) });
  }
  if (issues.length > 0) {
    const bad = new Set(issues.map((i) => i.index)).size;
    throw new BatchRejectedError(
      'VALIDATION',
      400,
      issues,
      `${bad} of ${events.length} events are invalid; nothing was published`,
    );
  }
  return prepared;
}

function batchEvents(body: unknown): unknown[] {
  const reject = (field: string, reason: string) =>
    new BatchRejectedError('VALIDATION', 400, [{ field, reason }], `${field} ${reason}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw reject('(body)', 'must be a JSON object { "events": [...] }');
  }
  const extra = Object.keys(body).filter((k) => k !== 'events');
  if (extra.length > 0) throw reject(extra[0]!, 'is not a field of a batch (only "events")');
  const events = (body as { events?: unknown }).events;
  if (!Array.isArray(events)) {
    throw reject('events', events === undefined ? 'is required' : 'must be an array of events');
  }
  if (events.length === 0) throw reject('events', 'must hold at least one event');
  if (events.length > MAX_BATCH_EVENTS) {
    throw reject('events', `holds ${events.length} events; at most ${MAX_BATCH_EVENTS} per batch`);
  }
  return events;
}
