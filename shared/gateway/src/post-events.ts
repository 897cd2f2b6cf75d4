import { jsonBody, RxError } from '@rxledger/runtime';
import type { Express } from 'express';
import { BatchRejectedError } from './batch-rejected-error.ts';
import { publishBatch } from './publish-batch.ts';
import type { RouteDeps } from './route-deps.ts';

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
        const eventIds = await publishBatch(req.body, res, deps);
        res.status(202).json({ eventIds });
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
