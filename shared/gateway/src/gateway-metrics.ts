import { Counter, Histogram, type Registry } from 'prom-client';

/** The gateway's own Prometheus metrics (the HTTP shell already counts requests by route and status). */
export interface GatewayMetrics {
  eventsPublished: Counter<'type'>;
  eventsReplayed: Counter;
  publishSeconds: Histogram<'outcome'>;
  batchEvents: Histogram;
}

/** Registers the gateway's metrics on the service's registry. */
export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  return {
    eventsPublished: new Counter({
      name: 'gateway_events_published_total',
      help: 'Signed events Kafka acknowledged, by event type (replays included)',
      labelNames: ['type'],
      registers: [registry],
    }),
    eventsReplayed: new Counter({
      name: 'gateway_events_replayed_total',
      help: 'Events re-posted with a known eventId and content, republished with their first signature',
      registers: [registry],
    }),
    publishSeconds: new Histogram({
      name: 'gateway_publish_duration_seconds',
      help: 'From handing a batch to the producer until Kafka acknowledged all of it (outcome acked) or the service gave up (outcome unavailable)',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    batchEvents: new Histogram({
      name: 'gateway_batch_events',
      help: 'Events per POST /v1/events that passed validation',
      buckets: [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000],
      registers: [registry],
    }),
  };
}
