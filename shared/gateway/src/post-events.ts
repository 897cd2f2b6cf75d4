import { jsonBody, RxError } from '@rxledger/runtime';
import type { Express } from 'express';
import { BatchRejectedError } from './batch-rejected-error.ts';
import { prepareBatch } from './prepare-batch.ts';
import type { RouteDeps } from './route-deps.ts';
import { scannerOf } from './scanner-auth.ts';
import { signBatch } from './sign-batch.ts';

/**
 * POST /v1/events: authenticate, validate the whole batch, sign, publish, and answer 202 with the
 * event ids. The 202 MUST NOT be sent before Kafka acknowledged every record of the batch; when it
 * cannot be had in time the answer is 503 with Retry-After, and a retry resends the same bytes.
 */
export function mountPostEvents(app: Express, deps: RouteDeps): void {
  app.post(
    '/v1/events',
    // Authentication first: an unknown caller must not make the service read 32 MB.
    deps.authenticate,
    jsonBody({ limit: deps.bodyLimit }),
    async (req, res, next) => {
      try {
        if (!req.is('application/json')) {
          throw new RxError('UNSUPPORTED_MEDIA_TYPE', 'send the batch as Content-Type: application/json', {
            status: 415,
          });
        }
        const scanner = scannerOf(res);
        const party = deps.partyOf(res);
        deps.brokerClock.assertInStep();
        const prepared = await prepareBatch(req.body, {
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
          await deps.publisher.publish(batch.entries.map((e) => ({ key: e.eventId, value: e.record })));
          stopTimer({ outcome: 'acked' });
        } catch (err) {
          stopTimer({ outcome: 'unavailable' });
          throw err;
        }
        for (const entry of batch.entries) {
          entry.acknowledged = true;
          deps.metrics.eventsPublished.inc({ type: entry.type });
        }
        deps.metrics.eventsReplayed.inc(batch.replayed);
        deps.log.debug(
          { party: party.gln, site: scanner.site, events: prepared.length, replayed: batch.replayed },
          'batch published',
        );
        res.status(202).json({ eventIds: batch.eventIds });
      } catch (err) {
        if (err instanceof BatchRejectedError) {
          res.status(err.status).json(err.toJSON());
          return;
        }
        next(err);
      }
    },
  );
}
