import type { Response } from 'express';
import { prepareBatch } from './prepare-batch.ts';
import type { RouteDeps } from './route-deps.ts';
import { scannerOf } from './scanner-auth.ts';
import { signBatch } from './sign-batch.ts';

/**
 * The one way events enter the channel, for POST /v1/events and EPCIS capture alike: the whole
 * `{ events: [...] }` body validated for the authenticated scanner of `res` (BatchRejectedError
 * otherwise, nothing published), signed with its party's key, published. Resolves with the eventIds
 * in request order once Kafka acknowledged every record, and MUST NOT resolve before; rejects with
 * UnavailableError when that did not happen in time (a retry resends the same bytes).
 */
export async function publishBatch(body: unknown, res: Response, deps: RouteDeps): Promise<string[]> {
  const scanner = scannerOf(res);
  const party = deps.partyOf(res);
  deps.brokerClock.assertInStep();
  const prepared = await prepareBatch(body, {
    service: deps.service,
    party: party.gln,
    site: scanner.site,
    sites: scanner.sites,
    now: deps.now(),
    acceptTypes: deps.acceptTypes,
    newEventId: deps.newEventId,
  });
  deps.brokerClock.assertNotAhead(prepared);
  deps.metrics.batchEvents.observe(prepared.length);
  const batch = await signBatch(prepared, { party: party.gln, key: party.key, cache: deps.cache });

  const stopTimer = deps.metrics.publishSeconds.startTimer();
  try {
    // Marked per record as Kafka takes it, late or in part too: an acknowledged record is never signed again.
    const records = batch.entries.map((e) => ({
      key: e.eventId,
      value: e.record,
      onAcked: () => (e.acknowledged = true),
    }));
    await deps.publisher.publish(records);
    stopTimer({ outcome: 'acked' });
  } catch (err) {
    stopTimer({ outcome: 'unavailable' });
    throw err;
  }
  for (const entry of batch.entries) deps.metrics.eventsPublished.inc({ type: entry.type });
  deps.metrics.eventsReplayed.inc(batch.replayed);
  deps.log.debug(
    {
      party: party.gln,
      site: scanner.site,
      events: prepared.length,
      replayed: batch.replayed,
      resigned: batch.resigned,
    },
    'batch published',
  );
  return batch.eventIds;
}
