import { Gauge, Histogram, type Registry } from 'prom-client';
import type { LedgerStore } from '../store/ledger-store.ts';

/** Buckets of time to close (s): a minute to a month, around the 2 working days manufacturers have. */
const CLOSE_BUCKETS = [60, 600, 3_600, 4 * 3_600, 86_400, 2 * 86_400, 4 * 86_400, 7 * 86_400, 30 * 86_400];

/**
 * Alert metrics on /metrics, read from the alert tables at each scrape, so every node reports what its
 * fold holds, across restarts: open alerts by code and by manufacturer, time from raise to close, and
 * the alerts the fold healed (the false alerts no person had to close) beside those closed by a step.
 */
export function alertMetrics(metrics: Registry, store: LedgerStore): void {
  new Gauge({
    name: 'ledger_alerts_open',
    help: 'Alerts not closed, by alert code',
    labelNames: ['code'],
    registers: [metrics],
    collect() {
      this.reset();
      for (const [code, n] of store.alerts.openCounts().byCode) this.set({ code }, n);
    },
  });
  new Gauge({
    name: 'ledger_alerts_open_by_manufacturer',
    help: "Alerts not closed, by the GLN of the GTIN's manufacturer ('' when none is registered)",
    labelNames: ['manufacturer'],
    registers: [metrics],
    collect() {
      this.reset();
      for (const [manufacturer, n] of store.alerts.openCounts().byManufacturer) this.set({ manufacturer }, n);
    },
  });
  new Gauge({
    name: 'ledger_alerts_closed',
    help: 'Closed alerts, by how: healed (explained by late data, closed by the fold) or step (a signed close)',
    labelNames: ['how'],
    registers: [metrics],
    collect() {
      const closed = store.alerts.closedDurations();
      const healed = closed.filter((c) => c.healed).length;
      this.set({ how: 'healed' }, healed);
      this.set({ how: 'step' }, closed.length - healed);
    },
  });
  const timeToClose = new Histogram({
    name: 'ledger_alert_time_to_close_seconds',
    help: 'Time from an alert being raised to its close (broker times), by how it closed',
    labelNames: ['how'],
    buckets: CLOSE_BUCKETS,
    registers: [metrics],
    collect() {
      timeToClose.reset();
      for (const c of store.alerts.closedDurations()) {
        timeToClose.observe({ how: c.healed ? 'healed' : 'step' }, Math.max(0, c.seconds));
      }
    },
  });
}
