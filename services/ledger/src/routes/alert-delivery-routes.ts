import { jsonBody, sendJson, ValidationError } from '@rxledger/runtime';
import type { Express, RequestHandler } from 'express';
import type { AlertDelivery } from '../alerts/delivery/index.ts';
import type { TokenRegistry } from '../auth/principal.ts';

/**
 * Webhook subscriptions and the alert stream (issue 18). Register these before any
 * `/v1/alerts/:id` route, or that one would take `/v1/alerts/stream` for an alert id.
 */
export function alertDeliveryRoutes(app: Express, delivery: AlertDelivery, tokens: TokenRegistry): void {
  app.post('/v1/alerts/webhooks', jsonBody({ limit: '8kb' }), (req, res) => {
    const view = delivery.webhooks.add(tokens.authenticate(req), req.body);
    res.status(201).json(view);
  });
  app.get('/v1/alerts/webhooks', (req, res) => {
    sendJson(res, { webhooks: delivery.webhooks.list(tokens.authenticate(req)) });
  });
  app.delete('/v1/alerts/webhooks/:id', (req, res) => {
    delivery.webhooks.remove(tokens.authenticate(req), String(req.params.id));
    res.status(204).end();
  });
  app.get('/v1/alerts/stream', stream(delivery, tokens));
}

/** GET /v1/alerts/stream: notices the principal may see, as server-sent events, resumable. */
function stream(delivery: AlertDelivery, tokens: TokenRegistry): RequestHandler {
  return (req, res) => {
    const principal = tokens.authenticate(req);
    const last = lastEventId(req.get('last-event-id'));
    const { missed, gap } = last === undefined ? { missed: [] } : delivery.missedSince(last);
    delivery.stream.open(res, principal, missed, gap);
  };
}

function lastEventId(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  if (!/^\d{1,15}$/.test(header)) {
    throw new ValidationError([
      { field: 'Last-Event-ID', reason: 'must be an event id this stream sent (digits)' },
    ]);
  }
  return Number(header);
}
