import { Counter, Gauge, type Registry } from 'prom-client';
import type { DeliveryStore } from './delivery-store.ts';

/** What the delivery machinery counts; one place names the metrics. */
export interface DeliveryMetrics {
  delivered(): void;
  retried(): void;
  gaveUp(): void;
  streamClients(n: number): void;
  streamDropped(): void;
}

/** The delivery metrics on a node's /metrics registry; pending and failed are read from the outbox when scraped. */
export function deliveryMetrics(registry: Registry, store: DeliveryStore): DeliveryMetrics {
  const outcomes = new Counter({
    name: 'ledger_alert_deliveries_total',
    help: 'Webhook deliveries finished, by outcome: ok (answered 2xx) or failed (given up after the last retry)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'ledger_alert_delivery_retries_total',
    help: 'Webhook delivery attempts that failed and were scheduled again',
    registers: [registry],
  });
  new Gauge({
    name: 'ledger_alert_deliveries_pending',
    help: 'Webhook deliveries waiting in the outbox (due now or backing off)',
    registers: [registry],
    collect() {
      this.set(store.outboxCounts().pending);
    },
  });
  new Gauge({
    name: 'ledger_alert_deliveries_failed',
    help: 'Webhook deliveries given up and kept in the outbox for inspection',
    registers: [registry],
    collect() {
      this.set(store.outboxCounts().failed);
    },
  });
  const clients = new Gauge({
    name: 'ledger_alert_stream_clients',
    help: 'Clients following GET /v1/alerts/stream',
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'ledger_alert_stream_dropped_total',
    help: 'Stream clients dropped because they read too slowly',
    registers: [registry],
  });
  outcomes.inc({ outcome: 'ok' }, 0);
  outcomes.inc({ outcome: 'failed' }, 0);
  return {
    delivered: () => outcomes.inc({ outcome: 'ok' }),
    retried: () => retries.inc(),
    gaveUp: () => outcomes.inc({ outcome: 'failed' }),
    streamClients: (n) => clients.set(n),
    streamDropped: () => dropped.inc(),
  };
}
